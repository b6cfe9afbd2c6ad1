import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TrustLevelThresholds } from '@freeboard/backstage-plugin-common';
import express from 'express';
import { Knex } from 'knex';
import { CatalogReadScope } from '../shared/readScope';
import { CatalogVisibility } from '../shared/visibility';
import { readPortfolioFilter, schedulePortfolioRefresh } from './refresher';
import { createPortfolioRouter } from './router';
import { PortfolioService } from './service';
import { DatabasePortfolioStore } from './store';

/**
 * Sets up the portfolio: its store, the scheduled refresher that copies the
 * capability set and group hierarchy from the catalog, and the routes.
 */
export async function initPortfolio(deps: {
  db: Knex;
  config: RootConfigService;
  logger: LoggerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  /** The configured trust level thresholds. */
  levels: TrustLevelThresholds;
}): Promise<{ router: express.Router; service: PortfolioService }> {
  const store = new DatabasePortfolioStore(deps.db);
  const filter = readPortfolioFilter(deps.config);
  await schedulePortfolioRefresh({
    scheduler: deps.scheduler,
    config: deps.config,
    db: deps.db,
    catalog: deps.catalog,
    auth: deps.auth,
    store,
    logger: deps.logger,
    ...(filter ? { filter } : {}),
  });
  const service = new PortfolioService({
    store,
    readScope: new CatalogReadScope({
      catalog: deps.catalog,
      permissions: deps.permissions,
    }),
    visibility: new CatalogVisibility(deps.catalog),
    levels: deps.levels,
  });
  return {
    router: await createPortfolioRouter({ httpAuth: deps.httpAuth, service }),
    service,
  };
}
