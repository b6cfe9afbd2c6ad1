import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * Where the legacy app mounts `EntityTrustCreditsContent` (an entity tab).
 */
export const trustCreditsRouteRef = createRouteRef({
  id: 'freeboard:trust-credits',
});

/**
 * The path of the "Trust credits" entity tab, relative to the entity page.
 * The card's "View history" link points here.
 */
export const TRUST_CREDITS_TAB_PATH = 'trust-credits';
