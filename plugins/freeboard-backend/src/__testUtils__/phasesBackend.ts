import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createFreeboardConditionalDecision,
  freeboardConditions,
} from '@freeboard/backstage-plugin-node';
import { Knex } from 'knex';
import request from 'supertest';
import { ADOPTION_SNAPSHOT_TASK_ID } from '../phases/tasks';
import { freeboardPlugin } from '../plugin';
import { entity } from './trustBackend';

export { entity };

/** A platform lead: may manage (under the test policy), in no stakeholder group. */
export const LEAD = 'user:default/lead';
/** A member of the security group: may sign off for it. */
export const SAM = 'user:default/sam';
/** Sees less of the catalog than the others. */
export const OUTSIDER = 'user:default/outsider';

/** Who belongs to which groups (the user info service's ownership refs). */
export const MEMBERSHIPS: Record<string, string[]> = {
  [LEAD]: [LEAD, 'group:default/platform-leads'],
  [SAM]: [SAM, 'group:default/security'],
  [OUTSIDER]: [OUTSIDER],
};

/** How the test policy decides: per permission name, or every one. */
export interface PolicyState {
  /** Permission names the policy denies. */
  deny: Set<string>;
  /** Permission names the policy answers with "owner of one of `claims`". */
  ownerOf?: { names: Set<string>; claims: string[] };
}

/**
 * A catalog where what a user sees depends on who asks, as with a
 * permission policy: `hidden[user]` lists refs that user cannot see.
 */
function catalogFor(entities: Entity[], hidden: Record<string, string[]>) {
  const byRef = new Map(
    entities.map(e => [stringifyEntityRef(e).toLocaleLowerCase('en-US'), e]),
  );
  const hiddenFor = new Map(
    Object.entries(hidden).map(([user, refs]) => [
      user,
      new Set(refs.map(r => r.toLocaleLowerCase('en-US'))),
    ]),
  );
  const lookup = (ref: string, credentials: any) => {
    const key = ref.toLocaleLowerCase('en-US');
    const user = credentials?.principal?.userEntityRef;
    if (user && hiddenFor.get(user)?.has(key)) return undefined;
    return byRef.get(key);
  };
  return catalogServiceMock.mock({
    getEntityByRef: jest.fn(async (ref: any, options: any) =>
      lookup(
        typeof ref === 'string' ? ref : stringifyEntityRef(ref),
        options?.credentials,
      ),
    ) as any,
    getEntitiesByRefs: jest.fn(async (req: any, options: any) => ({
      items: req.entityRefs.map(
        (ref: string) => lookup(ref, options?.credentials) ?? null,
      ),
    })) as any,
  });
}

/**
 * Starts the Freeboard backend on `knex` with a visibility-aware catalog, a
 * policy the test can change, group memberships from {@link MEMBERSHIPS},
 * a recording auditor and a scheduler whose tasks the test triggers.
 */
export async function startPhasesBackend(options: {
  knex: Knex;
  entities: Entity[];
  hidden?: Record<string, string[]>;
  config?: Record<string, any>;
  extraFeatures?: BackendFeature[];
}) {
  const successes: Array<Record<string, unknown>> = [];
  const failures: Array<{ eventId: string; error: Error }> = [];
  const createEvent = jest.fn(async (o: { eventId: string }) => ({
    success: async (s?: { meta?: Record<string, unknown> }) => {
      successes.push({ eventId: o.eventId, ...s?.meta });
    },
    fail: async (f: { error: Error }) => {
      failures.push({ eventId: o.eventId, error: f.error });
    },
  }));
  const policy: PolicyState = { deny: new Set() };
  const permissions = mockServices.permissions.mock({
    authorizeConditional: jest.fn(async requests =>
      requests.map(({ permission }: { permission: { name: string } }) => {
        if (policy.deny.has(permission.name)) {
          return { result: AuthorizeResult.DENY } as const;
        }
        if (policy.ownerOf?.names.has(permission.name)) {
          return createFreeboardConditionalDecision(
            permission as any,
            freeboardConditions.isEntityOwner({
              claims: policy.ownerOf.claims,
            }),
          );
        }
        return { result: AuthorizeResult.ALLOW } as const;
      }),
    ) as any,
  });
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: jest.fn(async (credentials: any) => {
      const userEntityRef = credentials.principal.userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: MEMBERSHIPS[userEntityRef] ?? [userEntityRef],
      };
    }) as any,
  });
  const scheduler = mockServices.scheduler();
  const backend = await startTestBackend({
    features: [
      freeboardPlugin,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      catalogFor(options.entities, options.hidden ?? {}).factory,
      permissions.factory,
      userInfo.factory,
      (scheduler as any).factory(),
      mockServices.auditor.mock({ createEvent: createEvent as any }).factory,
      ...(options.extraFeatures ?? []),
    ],
  });
  const { server } = backend;
  const as = (user: string) => {
    const header = mockCredentials.user.header(user);
    return {
      get: (path: string) =>
        request(server).get(path).set('authorization', header),
      post: (path: string) =>
        request(server).post(path).set('authorization', header),
      put: (path: string) =>
        request(server).put(path).set('authorization', header),
      delete: (path: string) =>
        request(server).delete(path).set('authorization', header),
    };
  };
  return {
    server,
    successes,
    failures,
    as,
    policy,
    /** Stops the backend and closes its database connections. */
    stop: async () => {
      await backend.stop();
      await options.knex.destroy();
    },
    /** Runs the daily adoption snapshot now. */
    snapshot: () => scheduler.triggerTask(ADOPTION_SNAPSHOT_TASK_ID),
  };
}
