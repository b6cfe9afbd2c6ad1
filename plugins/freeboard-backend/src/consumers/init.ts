import { HttpAuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TrustLevelThresholds } from '@freeboard/backstage-plugin-common';
import express from 'express';
import { Knex } from 'knex';
import { CatalogVisibility } from '../shared/visibility';
import { createConsumersRouter } from './router';
import { ConsumerViewService } from './service';
import { DatabaseConsumerBalanceStore } from './store';

/**
 * Sets up the consumer view ("your balance with the platform"): read-only,
 * over the trust ledger's per-consumer sums and the portfolio's tables.
 */
export async function initConsumers(deps: {
  db: Knex;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  /** The configured trust levels (`freeboard.trust.levels`). */
  levels: TrustLevelThresholds;
}): Promise<{ router: express.Router }> {
  const service = new ConsumerViewService({
    store: new DatabaseConsumerBalanceStore(deps.db),
    visibility: new CatalogVisibility(deps.catalog),
    levels: deps.levels,
  });
  return {
    router: await createConsumersRouter({ httpAuth: deps.httpAuth, service }),
  };
}
