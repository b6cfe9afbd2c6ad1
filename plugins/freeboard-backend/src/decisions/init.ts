import {
  AuthService,
  HttpAuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import { Knex } from 'knex';
import { CursorCodec } from '../shared/cursors';
import { CatalogVisibility } from '../shared/visibility';
import { scheduleDecisionHistory } from './recorder';
import { createDecisionsRouter } from './router';
import { DecisionHistoryService } from './service';
import { DatabaseDecisionHistoryStore } from './store';

/**
 * Sets up the float-or-sink decision history: its store, the scheduled
 * recorder that learns changes from the catalog, and the history route.
 */
export async function initDecisions(deps: {
  db: Knex;
  cursors: CursorCodec;
  config: RootConfigService;
  logger: LoggerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  scheduler: SchedulerService;
  catalog: CatalogService;
}): Promise<{ router: express.Router }> {
  const store = new DatabaseDecisionHistoryStore(deps.db);
  await scheduleDecisionHistory({
    scheduler: deps.scheduler,
    config: deps.config,
    catalog: deps.catalog,
    auth: deps.auth,
    store,
    logger: deps.logger,
  });
  const service = new DecisionHistoryService({
    store,
    visibility: new CatalogVisibility(deps.catalog),
    cursors: deps.cursors,
  });
  return {
    router: await createDecisionsRouter({ httpAuth: deps.httpAuth, service }),
  };
}
