import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { TrustCategory } from '@freeboard/backstage-plugin-common';

/**
 * Lets backend modules extend the Freeboard backend's trust credits.
 *
 * @public
 */
export interface FreeboardTrustExtensionPoint {
  /**
   * Adds ledger categories beyond the configured ones, for entries that a
   * module records itself. An id that is already known is rejected at start-up.
   */
  addCategories(...categories: TrustCategory[]): void;
}

/**
 * The extension point of the Freeboard backend's trust credits.
 *
 * @public
 */
export const freeboardTrustExtensionPoint =
  createExtensionPoint<FreeboardTrustExtensionPoint>({
    id: 'freeboard.trust',
  });
