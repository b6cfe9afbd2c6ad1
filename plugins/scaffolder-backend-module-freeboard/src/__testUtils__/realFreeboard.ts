import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
// Tests only (a devDependency): the real plugin the actions talk to.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import freeboardPlugin from '@freeboard/backstage-plugin-backend';
import { scaffolderModuleFreeboard } from '../module';

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

async function jsonBody(req: AsyncIterable<unknown>): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  return raw ? JSON.parse(raw) : {};
}

/**
 * A stand-in `catalog` plugin serving `entities` on the catalog's own routes
 * (by name and by refs), so the Freeboard plugin reaches it through its real
 * catalog client, discovery and service-to-service auth.
 */
function catalogStandIn(entities: Entity[]) {
  const byRef = new Map(
    entities.map(e => [stringifyEntityRef(e).toLocaleLowerCase('en-US'), e]),
  );
  const find = (ref: string) => byRef.get(ref.toLocaleLowerCase('en-US'));
  return createBackendPlugin({
    pluginId: 'catalog',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          httpRouter.use(async (req, res, next) => {
            try {
              await httpAuth.credentials(req);
              const byName = req.path.match(
                /^\/entities\/by-name\/([^/]+)\/([^/]+)\/([^/]+)$/,
              );
              if (req.method === 'GET' && byName) {
                const [kind, namespace, name] = byName
                  .slice(1)
                  .map(decodeURIComponent);
                const found = find(`${kind}:${namespace}/${name}`);
                if (found) res.json(found);
                else {
                  res.status(404).json({
                    error: { name: 'NotFoundError', message: 'No entity' },
                  });
                }
                return;
              }
              if (req.method === 'POST' && req.path === '/entities/by-refs') {
                const { entityRefs } = await jsonBody(req);
                res.json({
                  items: (entityRefs as string[]).map(r => find(r) ?? null),
                });
                return;
              }
              if (req.method === 'GET' && req.path === '/entities/by-query') {
                res.json({ items: [], totalItems: 0, pageInfo: {} });
                return;
              }
              res.status(404).json({
                error: { name: 'NotFoundError', message: 'No such route' },
              });
            } catch (error) {
              next(error);
            }
          });
        },
      });
    },
  });
}

/**
 * SQLite databases for {@link startRealFreeboard}. Call at the top level of
 * a test file: it registers the hooks that close them.
 */
export function createTestDatabases() {
  return TestDatabases.create({ ids: ['SQLITE_3'] });
}

/**
 * A test backend with the REAL Freeboard backend plugin (on SQLite, with
 * Backstage's allow-all mock permissions), a stand-in catalog holding
 * `entities`, and a stand-in scaffolder that collects the actions the real
 * module registers. The actions reach Freeboard over HTTP exactly as in a
 * running Backstage: discovery, a token on behalf of the initiator, and
 * Freeboard's own routes, validation, permissions and ledger.
 */
export async function startRealFreeboard(options: {
  databases: TestDatabases;
  entities: Entity[];
  config?: Record<string, unknown>;
}) {
  const actions = new Map<string, TemplateAction<any, any, any>>();
  const scaffolderStandIn = createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerExtensionPoint(scaffolderActionsExtensionPoint, {
        addActions(...added) {
          for (const action of added) actions.set(action.id, action);
        },
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });

  const knex = await options.databases.init('SQLITE_3');
  const backend = await startTestBackend({
    features: [
      freeboardPlugin,
      mockServices.database.factory({ knex }),
      catalogStandIn(options.entities),
      scaffolderStandIn,
      scaffolderModuleFreeboard,
      mockServices.permissions.factory(),
      mockServices.rootConfig.factory({
        data: {
          // No notifications backend runs here.
          freeboard: { notifications: { enabled: false } },
          ...options.config,
        },
      }),
    ],
  });

  /** Calls Freeboard's HTTP API directly as `user`. */
  const api = async (
    user: string,
    method: string,
    path: string,
    body?: object,
  ) => {
    const response = await fetch(
      `http://localhost:${backend.server.port()}/api/freeboard${path}`,
      {
        method,
        headers: {
          authorization: mockCredentials.user.header(user),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      },
    );
    return { status: response.status, body: await response.json() };
  };

  return {
    backend,
    api,
    /** Stops the backend and closes its database connections. */
    stop: async () => {
      await backend.stop();
      await knex.destroy();
    },
    action(id: string) {
      const action = actions.get(id);
      if (!action) throw new Error(`The module registered no action ${id}`);
      return action;
    },
  };
}
