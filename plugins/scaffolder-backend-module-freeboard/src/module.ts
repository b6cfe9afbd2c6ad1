import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createPhasesSetCriterionAction,
  createTrustPreflightAction,
  createTrustRecordAction,
} from './actions';

/**
 * Adds Freeboard's actions to the scaffolder: `freeboard:trust:preflight`,
 * `freeboard:trust:record` and `freeboard:phases:set-criterion`. They call
 * Freeboard's HTTP API on behalf of the user who runs the template.
 * `freeboard.scaffolder.enabled: false` leaves them out.
 *
 * @public
 */
export const scaffolderModuleFreeboard = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'freeboard',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, logger, discovery, auth }) {
        if (
          config.getOptionalBoolean('freeboard.scaffolder.enabled') === false
        ) {
          logger.info(
            'Freeboard scaffolder actions are off (freeboard.scaffolder.enabled: false)',
          );
          return;
        }
        const options = { discovery, auth };
        scaffolder.addActions(
          createTrustPreflightAction(options),
          createTrustRecordAction(options),
          createPhasesSetCriterionAction(options),
        );
      },
    });
  },
});
