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
 * The permission resource type of one trust-ledger entry: its resource ref is
 * the entry's id. Policies decide on it with the entry's entity and recorder.
 *
 * @public
 */
export const FREEBOARD_TRUST_ENTRY_RESOURCE_TYPE = 'freeboard-trust-entry';

/**
 * Record a trust-credit entry or run a pre-flight on an entity.
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
 * Revert a trust-credit entry: append the correction that cancels it. A
 * resource permission on the entry, so a policy can allow owners of the
 * entity to revert only what they recorded themselves. Pulses are never
 * reverted; their senders withdraw them.
 *
 * @public
 */
export const trustEntryRevertPermission: ResourcePermission<
  typeof FREEBOARD_TRUST_ENTRY_RESOURCE_TYPE
> = createPermission({
  name: 'freeboard.trust.entry.revert',
  attributes: { action: 'update' },
  resourceType: FREEBOARD_TRUST_ENTRY_RESOURCE_TYPE,
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
 * Manage an entity's MVP initiative: start it, move it between phases, tick,
 * waive and add criteria, request sign-offs, set the pioneer team, target
 * dates and cohorts. Every phases write but deciding a sign-off.
 *
 * @public
 */
export const phasesManagePermission: ResourcePermission<
  typeof FREEBOARD_ENTITY_RESOURCE_TYPE
> = createPermission({
  name: 'freeboard.phases.manage',
  attributes: { action: 'update' },
  resourceType: FREEBOARD_ENTITY_RESOURCE_TYPE,
});

/**
 * Approve or reject a stakeholder sign-off on an entity's initiative. The
 * backend also requires the caller to be a member of the signing group,
 * whatever the policy says.
 *
 * @public
 */
export const phasesSignoffPermission: ResourcePermission<
  typeof FREEBOARD_ENTITY_RESOURCE_TYPE
> = createPermission({
  name: 'freeboard.phases.signoff',
  attributes: { action: 'update' },
  resourceType: FREEBOARD_ENTITY_RESOURCE_TYPE,
});

/**
 * Every permission of the Freeboard suite.
 *
 * @public
 */
export const freeboardPermissions: Array<BasicPermission | ResourcePermission> =
  [
    trustEntryCreatePermission,
    trustEntryRevertPermission,
    trustPulseCreatePermission,
    phasesManagePermission,
    phasesSignoffPermission,
  ];
