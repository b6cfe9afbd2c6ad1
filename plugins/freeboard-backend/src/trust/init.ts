import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FREEBOARD_TRUST_ENTRY_RESOURCE_TYPE,
  TrustCategory,
  freeboardPermissions,
} from '@freeboard/backstage-plugin-common';
import {
  freeboardEntityResourceRef,
  freeboardTrustEntryPermissionRules,
  freeboardTrustEntryResourceRef,
} from '@freeboard/backstage-plugin-node';
import express from 'express';
import { Knex } from 'knex';
import { ResourceAuthorizer } from '../shared/authorize';
import { CursorCodec } from '../shared/cursors';
import { FreeboardNotifier } from '../notifications/init';
import { CatalogVisibility } from '../shared/visibility';
import { readTrustConfig, readTrustRetentionConfig } from './config';
import { TrustCursors } from './cursors';
import { createModuleWriter } from './moduleWriter';
import { createTrustRouter } from './router';
import { createDatabaseTrustStores } from './store/DatabaseTrustStore';
import { LedgerTask, runLedgerTasks, scheduleTrustTasks } from './tasks';
import { TrustService } from './TrustService';
import { TrustWriteService } from './TrustWriteService';

/**
 * Sets up trust credits: store, services, permissions, scheduled tasks and
 * routes. Modules' ledger tasks start once the backend has started.
 */
export async function initTrust(deps: {
  db: Knex;
  cursors: CursorCodec;
  config: RootConfigService;
  logger: LoggerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  extraCategories: TrustCategory[];
  ledgerTasks: LedgerTask[];
  /** Tells people of falling trust and spends once written. */
  notifier?: FreeboardNotifier;
}): Promise<{
  router: express.Router;
  runLedgerTasks: () => Promise<void>;
  /** The trust reads, for instruments that measure an entity's trust. */
  service: TrustService;
  /** The trust writes, for the actions registry (same checks as the routes). */
  writes: TrustWriteService;
}> {
  const trustConfig = readTrustConfig(deps.config, deps.extraCategories);
  const stores = await createDatabaseTrustStores({
    client: deps.db,
    halfLifeDays: trustConfig.halfLifeDays,
  });
  const visibility = new CatalogVisibility(deps.catalog);
  const service = new TrustService(
    stores.reads,
    visibility,
    new TrustCursors(deps.cursors),
    trustConfig,
  );

  deps.permissionsRegistry.addResourceType({
    resourceRef: freeboardTrustEntryResourceRef,
    permissions: freeboardPermissions.filter(
      p =>
        'resourceType' in p &&
        p.resourceType === FREEBOARD_TRUST_ENTRY_RESOURCE_TYPE,
    ),
    rules: freeboardTrustEntryPermissionRules,
    async getResources(entryIds) {
      const valid = entryIds.filter(id => /^[1-9]\d{0,15}$/.test(id));
      const entries = await stores.reads.getEntries(valid);
      const entities = await visibility.entities(
        entries.map(e => e.entityRef),
        [],
        await deps.auth.getOwnServiceCredentials(),
      );
      const byId = new Map(
        entries.map((entry, i) => [entry.id, { entry, entity: entities[i] }]),
      );
      return entryIds.map(id => {
        const found = byId.get(id);
        return found?.entity
          ? { entry: found.entry, entity: found.entity }
          : undefined;
      });
    },
  });

  const writes = new TrustWriteService({
    ledger: stores.ledger,
    reads: stores.reads,
    service,
    visibility,
    auth: deps.auth,
    entityAuthorizer: new ResourceAuthorizer(
      deps.permissions,
      deps.permissionsRegistry,
      freeboardEntityResourceRef,
    ),
    entryAuthorizer: new ResourceAuthorizer(
      deps.permissions,
      deps.permissionsRegistry,
      freeboardTrustEntryResourceRef,
    ),
    onRecorded: deps.notifier?.trustRecorder({
      reads: stores.reads,
      config: trustConfig,
      now: () => service.currentTime(),
    }),
  });

  await scheduleTrustTasks({
    scheduler: deps.scheduler,
    config: deps.config,
    db: deps.db,
    maintenance: stores.maintenance,
    catalog: deps.catalog,
    auth: deps.auth,
    logger: deps.logger,
    halfLifeDays: trustConfig.halfLifeDays,
    retention: readTrustRetentionConfig(deps.config),
  });

  deps.logger.info('Freeboard trust credits ready', {
    halfLifeDays: trustConfig.halfLifeDays,
    categories: trustConfig.categories.length,
    ledgerTasks: deps.ledgerTasks.map(t => t.moduleId).join(',') || 'none',
  });

  return {
    service,
    writes,
    router: await createTrustRouter({
      logger: deps.logger,
      httpAuth: deps.httpAuth,
      auditor: deps.auditor,
      service,
      writes,
    }),
    runLedgerTasks: () =>
      runLedgerTasks({
        db: deps.db,
        tasks: deps.ledgerTasks,
        logger: deps.logger,
        writerFor: moduleId =>
          createModuleWriter({
            reads: stores.reads,
            writes,
            config: trustConfig,
            now: () => service.currentTime(),
            moduleId,
          }),
      }),
  };
}
