import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  trustEntryCreatePermission,
  trustPulseCreatePermission,
} from '@freeboard/backstage-plugin-common';

/**
 * The current entity's ref in lower case: how the backend stores ledgers and
 * how permission policies see the resource.
 */
export function useEntityTrustRef(): string {
  const { entity } = useEntity();
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/** Whether the user may record/revert/pre-flight and send pulses here. */
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
