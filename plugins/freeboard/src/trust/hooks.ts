import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  normalizeEntityRef,
  trustEntryCreatePermission,
  trustPulseCreatePermission,
} from '@freeboard/backstage-plugin-common';

/**
 * The current entity's ref as Freeboard stores and compares it
 * (`kind:namespace/name`, lower case): how the backend keys ledgers and how
 * permission policies see the resource.
 */
export function useEntityTrustRef(): string {
  const { entity } = useEntity();
  return normalizeEntityRef(getCompoundEntityRef(entity));
}

/**
 * Whether the user may record and pre-flight, and send pulses, on this
 * entity. Reverts are decided per entry (`trustEntryRevertPermission`).
 */
export function useTrustPermissions(entityRef: string): {
  canRecord: boolean;
  canPulse: boolean;
} {
  const record = usePermission({
    permission: trustEntryCreatePermission,
    resourceRef: entityRef,
  });
  const pulse = usePermission({
    permission: trustPulseCreatePermission,
    resourceRef: entityRef,
  });
  return { canRecord: record.allowed, canPulse: pulse.allowed };
}
