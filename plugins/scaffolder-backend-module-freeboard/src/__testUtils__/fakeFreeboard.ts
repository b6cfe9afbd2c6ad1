import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleFreeboard } from '../module';

/** A request the actions sent to the stand-in Freeboard plugin. */
export interface SeenRequest {
  method: string;
  path: string;
  /** The principal Backstage's auth resolved from the request's token. */
  caller: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** Answers one route: a JSON body, or a thrown Backstage error. */
export type Responder = (request: SeenRequest) => unknown;

/**
 * A test backend with the real module, a stand-in scaffolder plugin that
 * collects the actions it registers, and a stand-in `freeboard` plugin whose
 * routes each test scripts. Discovery, auth and the HTTP server are
 * Backstage's own test services, so the actions' token goes through the same
 * `httpAuth` a real plugin uses, and thrown errors are serialized by the
 * backend's error handler exactly as Freeboard's are.
 */
export async function startFakeFreeboard(config: object = {}) {
  const actions = new Map<string, TemplateAction<any, any, any>>();
  const routes = new Map<string, Responder>();
  const requests: SeenRequest[] = [];

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

  const freeboardStandIn = createBackendPlugin({
    pluginId: 'freeboard',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          httpRouter.use(async (req, res, next) => {
            try {
              const credentials = await httpAuth.credentials(req, {
                allow: ['user', 'service'],
              });
              const chunks: Buffer[] = [];
              for await (const chunk of req) chunks.push(chunk as Buffer);
              const raw = Buffer.concat(chunks).toString('utf8');
              const seen: SeenRequest = {
                method: req.method,
                path: req.path,
                caller:
                  credentials.principal.type === 'user'
                    ? credentials.principal.userEntityRef
                    : `service:${credentials.principal.subject}`,
                headers: req.headers,
                ...(raw ? { body: JSON.parse(raw) } : {}),
              };
              requests.push(seen);
              const route = routes.get(`${req.method} ${req.path}`);
              if (!route) {
                res.status(404).json({
                  error: { name: 'NotFoundError', message: 'No such route' },
                });
                return;
              }
              const answer = route(seen);
              res.status(req.method === 'POST' ? 201 : 200).json(answer);
            } catch (error) {
              next(error);
            }
          });
        },
      });
    },
  });

  const backend = await startTestBackend({
    features: [
      scaffolderStandIn,
      scaffolderModuleFreeboard,
      freeboardStandIn,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });

  return {
    backend,
    requests,
    /** Scripts `METHOD /path` of the stand-in Freeboard. */
    respond(methodAndPath: string, responder: Responder) {
      routes.set(methodAndPath, responder);
    },
    action(id: string) {
      const action = actions.get(id);
      if (!action) throw new Error(`The module registered no action ${id}`);
      return action;
    },
    actionIds: () => [...actions.keys()],
  };
}
