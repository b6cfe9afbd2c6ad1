import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  FREEBOARD_PLUGIN_ID,
  TrustCategory,
} from '@freeboard/backstage-plugin-common';
import {
  MODULE_ID_MAX_LENGTH,
  freeboardPhasesExtensionPoint,
  freeboardTrustExtensionPoint,
  isValidModuleId,
} from '@freeboard/backstage-plugin-node';
import { CursorCodec } from './shared/cursors';
import { migratedClient } from './shared/database';
import { registerEntityResource } from './shared/permissions';
import { createRouter } from './shared/router';
import { registerFreeboardActions } from './actions/registerActions';
import { initConsumers } from './consumers/init';
import { initDecisions } from './decisions/init';
import { initNotifications } from './notifications/init';
import { initPhases } from './phases/init';
import { InitiativeTask } from './phases/moduleTasks';
import { initPortfolio } from './portfolio/init';
import { initThickness } from './thickness/init';
import { initTrust } from './trust/init';
import { LedgerTask } from './trust/tasks';

/**
 * The Freeboard backend plugin.
 *
 * @public
 */
export const freeboardPlugin = createBackendPlugin({
  pluginId: FREEBOARD_PLUGIN_ID,
  register(env) {
    const extraCategories: TrustCategory[] = [];
    const ledgerTasks: LedgerTask[] = [];
    env.registerExtensionPoint(freeboardTrustExtensionPoint, {
      addCategories(...categories) {
        extraCategories.push(...categories);
      },
      addLedgerTask(moduleId, task) {
        if (!isValidModuleId(moduleId)) {
          throw new Error(
            `Freeboard ledger task module id "${String(moduleId).slice(
              0,
              100,
            )}" ` +
              `must be 1 to ${MODULE_ID_MAX_LENGTH} letters, digits, dots, dashes ` +
              `or underscores, and not manual, pulse or api`,
          );
        }
        ledgerTasks.push({ moduleId, task });
      },
    });
    const initiativeTasks: InitiativeTask[] = [];
    env.registerExtensionPoint(freeboardPhasesExtensionPoint, {
      addInitiativeTask(moduleId, task) {
        if (!isValidModuleId(moduleId)) {
          throw new Error(
            `Freeboard initiative task module id "${String(moduleId).slice(
              0,
              100,
            )}" ` +
              `must be 1 to ${MODULE_ID_MAX_LENGTH} letters, digits, dots, dashes ` +
              `or underscores, and not manual, pulse or api`,
          );
        }
        initiativeTasks.push({ moduleId, task });
      },
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const db = await migratedClient(deps.database);
        const cursors = await CursorCodec.create(db);
        registerEntityResource({
          registry: deps.permissionsRegistry,
          catalog: deps.catalog,
          auth: deps.auth,
        });
        const notifier = await initNotifications({ ...deps, db });
        const trust = await initTrust({
          ...deps,
          db,
          cursors,
          extraCategories,
          ledgerTasks,
          notifier,
        });
        const phases = await initPhases({
          ...deps,
          db,
          cursors,
          trust: trust.service,
          initiativeTasks,
          notifier,
        });
        const decisions = await initDecisions({ ...deps, db, cursors });
        const portfolio = await initPortfolio({
          ...deps,
          db,
          levels: trust.service.config.levels,
        });
        const thickness = await initThickness({ ...deps, db });
        const consumers = await initConsumers({
          ...deps,
          db,
          levels: trust.service.config.levels,
        });
        registerFreeboardActions({ ...deps, trust, phases, portfolio });
        // Modules' ledger tasks may wait for the catalog; start-up does not.
        deps.lifecycle.addStartupHook(() => {
          trust
            .runLedgerTasks()
            .catch(error =>
              deps.logger.error('Trust ledger tasks failed', error),
            );
          phases
            .runInitiativeTasks()
            .catch(error =>
              deps.logger.error('Phases initiative tasks failed', error),
            );
        });
        deps.httpRouter.use(
          createRouter({
            ping: async () => {
              await db.raw('select 1');
            },
            routers: [
              trust.router,
              phases.router,
              decisions.router,
              portfolio.router,
              thickness.router,
              consumers.router,
            ],
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
