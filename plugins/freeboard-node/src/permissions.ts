import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import {
  FREEBOARD_ENTITY_RESOURCE_TYPE,
  FREEBOARD_PLUGIN_ID,
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
    const owners = (entity.relations ?? [])
      .filter(r => r.type === RELATION_OWNED_BY)
      .map(r => r.targetRef.toLocaleLowerCase('en-US'));
    const wanted = claims.map(c => c.toLocaleLowerCase('en-US'));
    return owners.some(owner => wanted.includes(owner));
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
