import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  FREEBOARD_PLUGIN_ID,
  TrustCategory,
  freeboardPermissions,
} from '@freeboard/backstage-plugin-common';
import {
  TrustLedgerWriter,
  freeboardEntityResourceRef,
  freeboardPermissionRules,
  freeboardTrustExtensionPoint,
} from '@freeboard/backstage-plugin-node';
import { DatabaseTrustStore } from './database/DatabaseTrustStore';
import { createRouter } from './service/router';
import { readTrustConfig } from './trust/config';
import { createLedgerWriter } from './trust/ledgerWriter';
import { sweepOrphanedLedgers } from './trust/retention';
import { TrustService } from './trust/TrustService';

/**
 * The Freeboard backend plugin.
 *
 * @public
 */
export const freeboardPlugin = createBackendPlugin({
  pluginId: FREEBOARD_PLUGIN_ID,
  register(env) {
    const extraCategories: TrustCategory[] = [];
    const ledgerTasks: Array<{
      moduleId: string;
      task: (writer: TrustLedgerWriter) => Promise<void>;
    }> = [];
    env.registerExtensionPoint(freeboardTrustExtensionPoint, {
      addCategories(...categories) {
        extraCategories.push(...categories);
      },
      addLedgerTask(moduleId, task) {
        ledgerTasks.push({ moduleId, task });
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
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { logger, config, database, httpRouter, auth, catalog } = deps;
        const trustConfig = readTrustConfig(config, extraCategories);
        const store = await DatabaseTrustStore.create({
          database,
          halfLifeDays: trustConfig.halfLifeDays,
        });
        const service = new TrustService(store, catalog, trustConfig);

        deps.permissionsRegistry.addResourceType({
          resourceRef: freeboardEntityResourceRef,
          permissions: freeboardPermissions,
          rules: freeboardPermissionRules,
          async getResources(resourceRefs) {
            const { items } = await catalog.getEntitiesByRefs(
              { entityRefs: resourceRefs },
              { credentials: await auth.getOwnServiceCredentials() },
            );
            return items.map(item => item ?? undefined);
          },
        });

        await deps.scheduler.scheduleTask({
          id: 'freeboard-trust-maintenance',
          frequency: { hours: 1 },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            if (await store.rebaseIfDue(new Date())) {
              logger.info('Moved the trust decay landmark forward');
            }
            await store.pruneDailyHistory(new Date());
            const purged = await store.purgeIdempotencyKeys(
              new Date(Date.now() - 24 * 60 * 60 * 1000),
            );
            if (purged > 0) {
              logger.info('Purged expired idempotency keys', { purged });
            }
          },
        });

        const retentionDays =
          config.getOptionalNumber('freeboard.trust.orphanRetentionDays') ?? 90;
        await deps.scheduler.scheduleTask({
          id: 'freeboard-trust-retention',
          frequency: { hours: 24 },
          timeout: { minutes: 30 },
          initialDelay: { minutes: 5 },
          fn: async () => {
            const result = await sweepOrphanedLedgers({
              store,
              catalog,
              auth,
              retentionDays,
            });
            if (result.deleted > 0 || result.missing > 0) {
              logger.info('Checked trust ledgers against the catalog', result);
            }
          },
        });

        for (const { moduleId, task } of ledgerTasks) {
          await task(createLedgerWriter({ store, service, source: moduleId }));
        }

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            permissionsRegistry: deps.permissionsRegistry,
            auditor: deps.auditor,
            store,
            service,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        logger.info('Freeboard trust credits ready', {
          halfLifeDays: trustConfig.halfLifeDays,
          categories: trustConfig.categories.length,
          ledgerTasks: ledgerTasks.map(t => t.moduleId).join(',') || 'none',
        });
      },
    });
  },
});
