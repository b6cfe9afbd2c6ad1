import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { freeboardPlugin } from '../plugin';
import { THICKNESS_SNAPSHOT_TASK_ID } from '../thickness/tasks';

/*
 * A backend for the platform-wide reads (decision view, thickness, consumer
 * view): a catalog in which what a user sees depends on who asks, and a
 * permission policy that answers `catalog.entity.read` as a real one would
 * for such a catalog: CONDITIONAL for a user who cannot see everything (so
 * `CatalogReadScope` checks the refs against the catalog), ALLOW for the
 * others (so the "sees everything" path is exercised too). Every other
 * permission is allowed.
 */

/** Sees every entity; `catalog.entity.read` is allowed outright. */
export const LEAD = 'user:default/lead';
/** Sees less of the catalog; `catalog.entity.read` is conditional. */
export const OUTSIDER = 'user:default/outsider';

/** A catalog entity for the tests, with annotations, relations and a title. */
export function catalogEntity(
  kind: string,
  name: string,
  options: {
    annotations?: Record<string, string>;
    relations?: Array<[string, string]>;
    title?: string;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      ...(options.title ? { title: options.title } : {}),
      ...(options.annotations ? { annotations: options.annotations } : {}),
    },
    spec: {},
    relations: (options.relations ?? []).map(([type, targetRef]) => ({
      type,
      targetRef,
    })),
  };
}

/** `hidden[user]` lists the refs that user cannot see. */
function catalogFor(entities: Entity[], hidden: Map<string, Set<string>>) {
  const byRef = new Map(
    entities.map(e => [stringifyEntityRef(e).toLocaleLowerCase('en-US'), e]),
  );
  const lookup = (ref: string, credentials: any) => {
    const key = ref.toLocaleLowerCase('en-US');
    const user = credentials?.principal?.userEntityRef;
    if (user && hidden.get(user)?.has(key)) return undefined;
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
 * Starts the Freeboard backend on `knex` with that catalog and policy and a
 * scheduler whose tasks the test triggers.
 */
export async function startReadsBackend(options: {
  knex: Knex;
  entities: Entity[];
  hidden?: Record<string, string[]>;
  config?: Record<string, any>;
}) {
  const hidden = new Map(
    Object.entries(options.hidden ?? {}).map(([user, refs]) => [
      user,
      new Set(refs.map(r => r.toLocaleLowerCase('en-US'))),
    ]),
  );
  const catalog = catalogFor(options.entities, hidden);
  const permissions = mockServices.permissions.mock({
    authorizeConditional: jest.fn(async (requests: any[], opts: any) =>
      requests.map(({ permission }) => {
        const user = opts?.credentials?.principal?.userEntityRef;
        if (
          permission.name === catalogEntityReadPermission.name &&
          hidden.has(user)
        ) {
          return {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions: {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity',
              params: { claims: [] },
            },
          };
        }
        return { result: AuthorizeResult.ALLOW };
      }),
    ) as any,
  });
  const scheduler = mockServices.scheduler();
  const backend = await startTestBackend({
    features: [
      freeboardPlugin,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      catalog.factory,
      permissions.factory,
      (scheduler as any).factory(),
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
    };
  };
  return {
    server,
    knex: options.knex,
    catalog,
    permissions,
    as,
    /** Runs the daily thickness snapshot now. */
    snapshot: () => scheduler.triggerTask(THICKNESS_SNAPSHOT_TASK_ID),
    /** Stops the backend and closes its database connections. */
    stop: async () => {
      await backend.stop();
      await options.knex.destroy();
    },
  };
}

/** A row of `freeboard_capabilities`, as the portfolio refresher writes it. */
export function capabilityRow(
  entityRef: string,
  values: {
    decision?: 'float' | 'sink';
    baseCapability?: string;
    systemRef?: string;
    ownerRef?: string;
    consumerTeams?: number;
    problems?: string[];
  } = {},
) {
  return {
    entity_ref: entityRef,
    kind: entityRef.slice(0, entityRef.indexOf(':')),
    title: entityRef.slice(entityRef.indexOf('/') + 1),
    owner_ref: values.ownerRef ?? null,
    system_ref: values.systemRef ?? null,
    decision: values.decision ?? null,
    base_capability: values.baseCapability ?? null,
    replaced_by: null,
    review_by: null,
    problems: values.problems ? JSON.stringify(values.problems) : null,
    consumer_teams: values.consumerTeams ?? 0,
    refreshed_at: new Date(),
  };
}
