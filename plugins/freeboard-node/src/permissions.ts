import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import {
  FREEBOARD_ENTITY_RESOURCE_TYPE,
  FREEBOARD_PLUGIN_ID,
  FREEBOARD_TRUST_ENTRY_RESOURCE_TYPE,
  TrustLedgerEntry,
} from '@freeboard/backstage-plugin-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/**
 * The Freeboard permission resource: a catalog entity whose ledger, phases or
 * decisions are being changed. Its resource ref is the entity ref.
 *
 * @public
 */
export const freeboardEntityResourceRef = createPermissionResourceRef<
  Entity,
  { ownerRefs: string[] }
>().with({
  pluginId: FREEBOARD_PLUGIN_ID,
  resourceType: FREEBOARD_ENTITY_RESOURCE_TYPE,
});

function lowerCase(refs: string[]): string[] {
  return refs.map(ref => ref.toLocaleLowerCase('en-US'));
}

function isOwnedByOneOf(entity: Entity, claims: string[]): boolean {
  const wanted = lowerCase(claims);
  return (entity.relations ?? []).some(
    r =>
      r.type === RELATION_OWNED_BY &&
      wanted.includes(r.targetRef.toLocaleLowerCase('en-US')),
  );
}

/**
 * Matches entities owned by one of the given claims (usually the caller's
 * ownership refs: the user and the groups it belongs to).
 *
 * @public
 */
export const isEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description: 'Allow when the entity is owned by one of the given claims',
  resourceRef: freeboardEntityResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs, such as the caller ownership refs'),
  }),
  apply(entity, { claims }) {
    return isOwnedByOneOf(entity, claims);
  },
  toQuery({ claims }) {
    return { ownerRefs: claims };
  },
});

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: freeboardEntityResourceRef,
  rules: { isEntityOwner },
});

/**
 * Conditions for Freeboard permissions, for use in a permission policy:
 * `freeboardConditions.isEntityOwner({ claims: user.identity.ownershipEntityRefs })`.
 *
 * @public
 */
export const freeboardConditions = conditions;

/**
 * Wraps Freeboard conditions into a conditional policy decision.
 *
 * @public
 */
export const createFreeboardConditionalDecision = createConditionalDecision;

/**
 * Every permission rule of the Freeboard resource type.
 *
 * @public
 */
export const freeboardPermissionRules = [isEntityOwner];

/**
 * A trust-ledger entry as permission policies see it: the entry and the
 * catalog entity whose ledger holds it.
 *
 * @public
 */
export interface FreeboardTrustEntryResource {
  entry: TrustLedgerEntry;
  entity: Entity;
}

/**
 * The Freeboard trust-entry permission resource (used by
 * `freeboard.trust.entry.revert`). Its resource ref is the entry's id.
 *
 * @public
 */
export const freeboardTrustEntryResourceRef = createPermissionResourceRef<
  FreeboardTrustEntryResource,
  { ownerRefs?: string[]; recordedBy?: string[] }
>().with({
  pluginId: FREEBOARD_PLUGIN_ID,
  resourceType: FREEBOARD_TRUST_ENTRY_RESOURCE_TYPE,
});

const claimsSchema = z.object({
  claims: z
    .array(z.string())
    .describe('Entity refs, such as the caller ownership refs'),
});

/**
 * Matches entries in the ledger of an entity owned by one of the claims.
 *
 * @public
 */
export const isTrustEntryOfOwnedEntity = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description:
    'Allow when the entry belongs to an entity owned by one of the given claims',
  resourceRef: freeboardTrustEntryResourceRef,
  paramsSchema: claimsSchema,
  apply({ entity }, { claims }) {
    return isOwnedByOneOf(entity, claims);
  },
  toQuery({ claims }) {
    return { ownerRefs: claims };
  },
});

/**
 * Matches entries recorded by one of the claims (usually the caller's user
 * entity ref).
 *
 * @public
 */
export const isTrustEntryRecordedBy = createPermissionRule({
  name: 'IS_RECORDED_BY',
  description: 'Allow when the entry was recorded by one of the given claims',
  resourceRef: freeboardTrustEntryResourceRef,
  paramsSchema: claimsSchema,
  apply({ entry }, { claims }) {
    return lowerCase(claims).includes(
      entry.recordedBy.toLocaleLowerCase('en-US'),
    );
  },
  toQuery({ claims }) {
    return { recordedBy: claims };
  },
});

const trustEntryConditionExports = createConditionExports({
  resourceRef: freeboardTrustEntryResourceRef,
  rules: {
    isEntityOwner: isTrustEntryOfOwnedEntity,
    isRecordedBy: isTrustEntryRecordedBy,
  },
});

/**
 * Conditions for permissions on trust-ledger entries, for use in a policy:
 * `freeboardTrustEntryConditions.isRecordedBy({ claims: [user.identity.userEntityRef] })`.
 *
 * @public
 */
export const freeboardTrustEntryConditions =
  trustEntryConditionExports.conditions;

/**
 * Wraps trust-entry conditions into a conditional policy decision.
 *
 * @public
 */
export const createFreeboardTrustEntryConditionalDecision =
  trustEntryConditionExports.createConditionalDecision;

/**
 * Every permission rule of the Freeboard trust-entry resource type.
 *
 * @public
 */
export const freeboardTrustEntryPermissionRules = [
  isTrustEntryOfOwnedEntity,
  isTrustEntryRecordedBy,
];
