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
import { AdoptionReader } from '../phases/adoption';
import { CatalogVisibility } from '../shared/visibility';
import { scheduleDecisionHistory } from './recorder';
import { createDecisionsRouter } from './router';
import { DecisionHistoryService } from './service';
import { DatabaseDecisionHistoryStore } from './store';
import { DecisionViewService } from './view';

/**
 * Sets up the float-or-sink decision history: its store, the scheduled
 * recorder that learns changes from the catalog, the history route, and
 * the view of an entity's decision with its consumers and retirement.
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
    db: deps.db,
    catalog: deps.catalog,
    auth: deps.auth,
    store,
    logger: deps.logger,
  });
  const visibility = new CatalogVisibility(deps.catalog);
  const service = new DecisionHistoryService({
    store,
    visibility,
    cursors: deps.cursors,
  });
  const view = new DecisionViewService({
    visibility,
    adoption: new AdoptionReader(deps.catalog),
  });
  return {
    router: await createDecisionsRouter({
      httpAuth: deps.httpAuth,
      service,
      view,
    }),
  };
}
