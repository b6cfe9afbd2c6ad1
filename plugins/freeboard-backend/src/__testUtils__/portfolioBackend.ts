import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { CatalogApi } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { PORTFOLIO_REFRESH_TASK_ID } from '../portfolio/refresher';
import { freeboardPlugin } from '../plugin';
import { MEMBERSHIPS } from './phasesBackend';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * A catalog the test can change between refreshes, where what a user sees
 * depends on who asks, as with a permission policy: `hidden[user]` lists
 * refs that user cannot see. Service credentials see everything. Calls are
 * counted by the jest mocks.
 */
export function visibilityCatalog(
  entities: Entity[],
  hidden: Record<string, string[]> = {},
) {
  let inner: CatalogApi = catalogServiceMock({ entities });
  let byRef = new Map<string, Entity>();
  const index = (list: Entity[]) => {
    byRef = new Map(list.map(e => [lower(stringifyEntityRef(e)), e]));
  };
  index(entities);
  const hiddenFor = new Map(
    Object.entries(hidden).map(([user, refs]) => [
      user,
      new Set(refs.map(lower)),
    ]),
  );
  const sees = (ref: string, credentials: any) => {
    const user = credentials?.principal?.userEntityRef;
    return !(user && hiddenFor.get(user)?.has(lower(ref)));
  };
  const queryEntities = jest.fn(async (req: any, options: any) => {
    const response = await inner.queryEntities(req);
    return {
      ...response,
      items: response.items.filter(e =>
        sees(stringifyEntityRef(e), options?.credentials),
      ),
    };
  });
  const getEntitiesByRefs = jest.fn(async (req: any, options: any) => {
    // The in-memory catalog matches refs as written; the real one ignores case.
    const refs: string[] = req.entityRefs.map((ref: string) => {
      const entity = byRef.get(lower(ref));
      return entity ? stringifyEntityRef(entity) : ref;
    });
    const { items } = await inner.getEntitiesByRefs({
      ...req,
      entityRefs: refs,
    });
    return {
      items: items.map((item, i) =>
        item && sees(refs[i], options?.credentials) ? item : undefined,
      ),
    };
  });
  const getEntityByRef = jest.fn(async (ref: any, options: any) => {
    const key = lower(typeof ref === 'string' ? ref : stringifyEntityRef(ref));
    return sees(key, options?.credentials) ? byRef.get(key) : undefined;
  });
  const catalog = catalogServiceMock.mock({
    queryEntities: queryEntities as any,
    getEntitiesByRefs: getEntitiesByRefs as any,
    getEntityByRef: getEntityByRef as any,
  });
  return {
    catalog,
    queryEntities,
    getEntitiesByRefs,
    getEntityByRef,
    /** Replaces the catalog's entities. */
    set: (list: Entity[]) => {
      inner = catalogServiceMock({ entities: list });
      index(list);
    },
    /** Users with hidden refs: the catalog's read permission is conditional for them. */
    restricted: (user: string | undefined) =>
      Boolean(user && (hiddenFor.get(user)?.size ?? 0) > 0),
  };
}

/**
 * Starts the Freeboard backend on `knex` with a changeable, visibility-aware
 * catalog. `catalog.entity.read` answers CONDITIONAL for users with hidden
 * refs (so platform-wide reads check refs one by one) and ALLOW for
 * everyone else, as does every other permission. Scheduled tasks run only
 * when triggered; `refresh()` runs the portfolio refresher.
 */
export async function startPortfolioBackend(options: {
  knex: Knex;
  entities: Entity[];
  hidden?: Record<string, string[]>;
  config?: Record<string, any>;
}) {
  const catalog = visibilityCatalog(options.entities, options.hidden);
  const permissions = mockServices.permissions.mock({
    authorizeConditional: jest.fn(async (requests: any[], opts: any) =>
      requests.map(({ permission }: { permission: { name: string } }) => {
        const user = opts?.credentials?.principal?.userEntityRef;
        if (
          permission.name === 'catalog.entity.read' &&
          catalog.restricted(user)
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
          } as const;
        }
        return { result: AuthorizeResult.ALLOW } as const;
      }),
    ) as any,
    authorize: jest.fn(async (requests: any[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
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
  const logger = mockServices.logger.mock();
  const backend = await startTestBackend({
    features: [
      freeboardPlugin,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      catalog.catalog.factory,
      permissions.factory,
      userInfo.factory,
      logger.factory,
      (scheduler as any).factory({ skipTaskRunOnStartup: true }),
    ],
  });
  const { server } = backend;
  const as = (user: string) => {
    const header = mockCredentials.user.header(user);
    return {
      get: (path: string) =>
        request(server).get(path).set('authorization', header),
    };
  };
  return {
    server,
    as,
    catalog,
    logger,
    scheduler,
    /** Runs the portfolio refresher now. */
    refresh: () => scheduler.triggerTask(PORTFOLIO_REFRESH_TASK_ID),
    /** Stops the backend and closes its database connections. */
    stop: async () => {
      await backend.stop();
      await options.knex.destroy();
    },
  };
}
