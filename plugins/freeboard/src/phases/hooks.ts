import { getCompoundEntityRef } from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  normalizeEntityRef,
  phasesManagePermission,
  phasesSignoffPermission,
} from '@freeboard/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';

/**
 * The current entity's ref as Freeboard stores and compares it
 * (`kind:namespace/name`, lower case): how the backend keys initiatives and
 * how permission policies see the resource.
 */
export function useInitiativeRef(): string {
  const { entity } = useEntity();
  return normalizeEntityRef(getCompoundEntityRef(entity));
}

/**
 * Whether the user may manage the initiative (every write but sign-offs) and
 * sign off on it. Signing off also needs membership of the group, which the
 * backend checks; see {@link useOwnershipRefs}.
 */
export function usePhasesPermissions(entityRef: string): {
  canManage: boolean;
  canSignoff: boolean;
} {
  const manage = usePermission({
    permission: phasesManagePermission,
    resourceRef: entityRef,
  });
  const signoff = usePermission({
    permission: phasesSignoffPermission,
    resourceRef: entityRef,
  });
  return { canManage: manage.allowed, canSignoff: signoff.allowed };
}

const EMPTY = new Set<string>();

/**
 * The signed-in user's ownership refs (themselves and their groups), lower
 * case: a sign-off's Approve and Reject are offered to members of its group
 * only. Empty until loaded.
 */
export function useOwnershipRefs(): Set<string> {
  const identityApi = useApi(identityApiRef);
  const { value } = useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    return new Set(identity.ownershipEntityRefs.map(r => r.toLowerCase()));
  }, [identityApi]);
  return value ?? EMPTY;
}
