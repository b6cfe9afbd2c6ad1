import {
  createPermission,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * The permission resource type of a Freeboard ledger: its resource ref is the
 * stringified ref of the catalog entity the ledger belongs to.
 *
 * @public
 */
export const FREEBOARD_ENTITY_RESOURCE_TYPE = 'freeboard-entity';

/**
 * Record a trust-credit entry, revert one, or run a pre-flight on an entity.
 *
 * @public
 */
export const trustEntryCreatePermission: ResourcePermission<
  typeof FREEBOARD_ENTITY_RESOURCE_TYPE
> = createPermission({
  name: 'freeboard.trust.entry.create',
  attributes: { action: 'create' },
  resourceType: FREEBOARD_ENTITY_RESOURCE_TYPE,
});

/**
 * Send a feedback pulse ("this helped" / "this hurt") about an entity.
 *
 * @public
 */
export const trustPulseCreatePermission: ResourcePermission<
  typeof FREEBOARD_ENTITY_RESOURCE_TYPE
> = createPermission({
  name: 'freeboard.trust.pulse.create',
  attributes: { action: 'create' },
  resourceType: FREEBOARD_ENTITY_RESOURCE_TYPE,
});

/**
 * Every permission of the Freeboard suite.
 *
 * @public
 */
export const freeboardPermissions: Array<BasicPermission | ResourcePermission> =
  [trustEntryCreatePermission, trustPulseCreatePermission];
