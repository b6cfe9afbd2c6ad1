import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { freeboardEntityResourceRef } from '@freeboard/backstage-plugin-node';
import express from 'express';
import { Knex } from 'knex';
import { ResourceAuthorizer } from '../shared/authorize';
import { CursorCodec } from '../shared/cursors';
import { FreeboardNotifier } from '../notifications/init';
import { CatalogVisibility } from '../shared/visibility';
import { TrustService } from '../trust/TrustService';
import { AdoptionReader } from './adoption';
import { readPhasesConfig } from './config';
import { PhaseCursors } from './cursors';
import { InitiativeTask, runInitiativeTasks } from './moduleTasks';
import { createPhasesModuleWriter } from './moduleWriter';
import { PhaseService } from './PhaseService';
import { PhaseWriteService } from './PhaseWriteService';
import { createPhasesRouter } from './router';
import { createDatabasePhaseStores } from './store/DatabasePhaseStore';
import { schedulePhaseTasks } from './tasks';

/**
 * Sets up MVP phases: stores, the catalog adoption reader, services, the
 * daily adoption snapshot and routes. The `freeboard-entity` resource type
 * its permissions are decided on is registered by the plugin.
 */
export async function initPhases(deps: {
  db: Knex;
  cursors: CursorCodec;
  config: RootConfigService;
  logger: LoggerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  /** Trust credits' reads: `trust-level` criteria measure the entity's level. */
  trust: TrustService;
  /** Modules' imports, run by `runInitiativeTasks` once the backend has started. */
  initiativeTasks?: InitiativeTask[];
  /** Tells people of sign-offs and phase changes once written. */
  notifier?: FreeboardNotifier;
}): Promise<{
  router: express.Router;
  runInitiativeTasks: () => Promise<void>;
  /** The initiative reads, for the actions registry. */
  service: PhaseService;
}> {
  const config = readPhasesConfig(deps.config);
  const stores = createDatabasePhaseStores({ client: deps.db });
  const visibility = new CatalogVisibility(deps.catalog);
  const reader = new AdoptionReader(deps.catalog);

  const service = new PhaseService({
    phases: stores.phases,
    adoption: stores.adoption,
    reader,
    visibility,
    auth: deps.auth,
    cursors: new PhaseCursors(deps.cursors),
    config,
    // The entity is loaded as the caller before any measurement.
    trustLevel: entityRef => deps.trust.levelOf(entityRef),
  });
  const writes = new PhaseWriteService({
    phases: stores.phases,
    service,
    visibility,
    userInfo: deps.userInfo,
    authorizer: new ResourceAuthorizer(
      deps.permissions,
      deps.permissionsRegistry,
      freeboardEntityResourceRef,
    ),
    onAppended: (entityRef, result) =>
      deps.notifier?.phasesAppended(entityRef, result),
  });

  await schedulePhaseTasks({
    scheduler: deps.scheduler,
    config: deps.config,
    db: deps.db,
    phases: stores.phases,
    adoption: stores.adoption,
    reader,
    auth: deps.auth,
    logger: deps.logger,
  });

  deps.logger.info('Freeboard MVP phases ready', {
    waiverDefaultDays: config.waiverDefaultDays,
    signoffGroups: [...new Set(Object.values(config.signoffs).flat())].length,
  });

  return {
    service,
    router: await createPhasesRouter({
      httpAuth: deps.httpAuth,
      auditor: deps.auditor,
      service,
      writes,
    }),
    runInitiativeTasks: () =>
      runInitiativeTasks({
        db: deps.db,
        tasks: deps.initiativeTasks ?? [],
        logger: deps.logger,
        writerFor: () =>
          createPhasesModuleWriter({
            phases: stores.phases,
            config,
            now: () => new Date(),
            // Imports name entities and groups the catalog must hold, as API
            // writes do; the plugin's own credentials see them all.
            existing: async refs =>
              visibility.refs(refs, await deps.auth.getOwnServiceCredentials()),
          }),
      }),
  };
}
