import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import { Knex } from 'knex';
import { CatalogReadScope } from '../shared/readScope';
import { createThicknessRouter } from './router';
import { ThicknessService } from './service';
import { DatabaseThicknessStore } from './store';
import { scheduleThicknessSnapshot } from './tasks';

/**
 * Sets up the thinnest-viable-platform meter: the daily snapshot of the
 * capability log and the `/thickness` route.
 */
export async function initThickness(deps: {
  db: Knex;
  config: RootConfigService;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  scheduler: SchedulerService;
  catalog: CatalogService;
}): Promise<{ router: express.Router }> {
  await scheduleThicknessSnapshot(deps);
  const service = new ThicknessService({
    store: new DatabaseThicknessStore(deps.db),
    scope: new CatalogReadScope({
      catalog: deps.catalog,
      permissions: deps.permissions,
    }),
  });
  return {
    router: await createThicknessRouter({ httpAuth: deps.httpAuth, service }),
  };
}
