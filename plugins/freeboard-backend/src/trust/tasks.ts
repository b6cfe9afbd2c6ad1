import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TrustLedgerWriter } from '@freeboard/backstage-plugin-node';
import { Knex } from 'knex';
import { ModuleTask, runModuleTasks } from '../shared/moduleTasks';
import { TrustRetentionConfig } from './config';
import { sweepOrphanedLedgers } from './retention';
import { TrustMaintenanceStore } from './store/TrustStore';

/** Idempotency keys answer retries for this long, then are purged. */
export const IDEMPOTENCY_KEY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** A module's ledger task, as registered through the extension point. */
export type LedgerTask = ModuleTask<TrustLedgerWriter>;

/**
 * The scheduled upkeep of trust credits; the scheduler runs each task on one
 * replica at a time.
 */
export async function scheduleTrustTasks(options: {
  scheduler: SchedulerService;
  maintenance: TrustMaintenanceStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  halfLifeDays: number;
  retention: TrustRetentionConfig;
}): Promise<void> {
  const { scheduler, maintenance, logger } = options;
  await scheduler.scheduleTask({
    id: 'freeboard-trust-maintenance',
    frequency: { hours: 1 },
    timeout: { minutes: 10 },
    // Soon after start-up, so that a changed half-life applies quickly.
    initialDelay: { seconds: 30 },
    fn: async () => {
      if (await maintenance.applyHalfLife(options.halfLifeDays)) {
        logger.info('Rebuilt the trust sums for a new half-life', {
          halfLifeDays: options.halfLifeDays,
        });
      }
      if (await maintenance.rebaseIfDue(new Date())) {
        logger.info('Moved the trust decay landmark forward');
      }
      await maintenance.pruneDailyHistory(new Date());
      const purged = await maintenance.purgeIdempotencyKeys(
        new Date(Date.now() - IDEMPOTENCY_KEY_RETENTION_MS),
      );
      if (purged > 0)
        logger.info('Purged expired idempotency keys', { purged });
    },
  });

  await scheduler.scheduleTask({
    id: 'freeboard-trust-retention',
    frequency: { hours: 24 },
    timeout: { minutes: 30 },
    initialDelay: { minutes: 5 },
    fn: async () => {
      const result = await sweepOrphanedLedgers({
        maintenance,
        catalog: options.catalog,
        auth: options.auth,
        logger,
        retentionDays: options.retention.orphanRetentionDays,
        maxDeleteShare: options.retention.maxDeleteShare,
      });
      if (result.deleted > 0 || result.missing > 0) {
        logger.info('Checked trust ledgers against the catalog', { ...result });
      }
    },
  });
}

/**
 * Runs each module's ledger task once across replicas starting together: a
 * task that checks `isEmpty()` first writes its entries once.
 */
export function runLedgerTasks(options: {
  db: Knex;
  tasks: LedgerTask[];
  writerFor: (moduleId: string) => TrustLedgerWriter;
  logger: LoggerService;
  leaseMs?: number;
}): Promise<void> {
  return runModuleTasks({
    ...options,
    leasePrefix: 'trust-ledger-task',
    label: 'Trust ledger task',
  });
}
