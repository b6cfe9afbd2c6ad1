import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { FREEBOARD_PLUGIN_ID } from '@freeboard/backstage-plugin-common';
import { DatabaseTrustStore } from './database/DatabaseTrustStore';
import { createRouter } from './service/router';

/**
 * The Freeboard backend plugin.
 *
 * @public
 */
export const freeboardPlugin = createBackendPlugin({
  pluginId: FREEBOARD_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
      },
      async init({ logger, database, httpRouter }) {
        const trustStore = await DatabaseTrustStore.create({ database });
        httpRouter.use(await createRouter({ logger, trustStore }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
