import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { freeboardPlugin } from '../plugin';

/** A catalog entity with relations, for tests. */
export function entity(
  kind: string,
  name: string,
  relations: Array<[string, string]> = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: {},
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

export const LEAD = 'user:default/lead';
export const OUTSIDER = 'user:default/outsider';

/**
 * A catalog where `hiddenFromOutsider` refs exist for everyone but the
 * outsider: visibility depends on who asks, as with a permission policy.
 */
function catalogFor(entities: Entity[], hiddenFromOutsider: Set<string>) {
  const byRef = new Map(
    entities.map(e => [stringifyEntityRef(e).toLocaleLowerCase('en-US'), e]),
  );
  const sees = (ref: string, credentials: any) =>
    !(
      credentials?.principal?.userEntityRef === OUTSIDER &&
      hiddenFromOutsider.has(ref.toLocaleLowerCase('en-US'))
    );
  const lookup = (ref: string, credentials: any) => {
    const key = ref.toLocaleLowerCase('en-US');
    return sees(key, credentials) ? byRef.get(key) : undefined;
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
 * Starts the Freeboard backend on `knex` with a visibility-aware catalog,
 * permissive permissions and a recording auditor.
 */
export async function startTrustBackend(options: {
  knex: Knex;
  entities: Entity[];
  hiddenFromOutsider?: string[];
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
  const permissions = mockServices.permissions.mock({
    authorizeConditional: jest.fn(async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    ) as any,
  });
  const { server } = await startTestBackend({
    features: [
      freeboardPlugin,
      mockServices.database.factory({ knex: options.knex }),
      catalogFor(options.entities, new Set(options.hiddenFromOutsider ?? []))
        .factory,
      permissions.factory,
      mockServices.auditor.mock({ createEvent: createEvent as any }).factory,
      ...(options.extraFeatures ?? []),
    ],
  });
  const as = (user: string) => ({
    get: (path: string) =>
      request(server)
        .get(path)
        .set('authorization', mockCredentials.user.header(user)),
    post: (path: string) =>
      request(server)
        .post(path)
        .set('authorization', mockCredentials.user.header(user)),
    put: (path: string) =>
      request(server)
        .put(path)
        .set('authorization', mockCredentials.user.header(user)),
    delete: (path: string) =>
      request(server)
        .delete(path)
        .set('authorization', mockCredentials.user.header(user)),
  });
  return { server, successes, failures, as, permissions };
}
