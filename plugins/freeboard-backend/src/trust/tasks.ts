import {
  AuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TrustLedgerWriter } from '@freeboard/backstage-plugin-node';
import { Knex } from 'knex';
import { ModuleTask, runModuleTasks } from '../shared/moduleTasks';
import { readGlobalSchedule } from '../shared/schedule';
import { scheduleRecordedTask } from '../shared/taskRuns';
import { TrustRetentionConfig } from './config';
import { sweepOrphanedLedgers } from './retention';
import { TrustMaintenanceStore } from './store/TrustStore';

/** Idempotency keys answer retries for this long, then are purged. */
export const IDEMPOTENCY_KEY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** A module's ledger task, as registered through the extension point. */
export type LedgerTask = ModuleTask<TrustLedgerWriter>;

/** The tasks' ids, as the scheduler lists them. */
export const TRUST_MAINTENANCE_TASK_ID = 'freeboard-trust-maintenance';
export const TRUST_RETENTION_TASK_ID = 'freeboard-trust-retention';

/** Hourly; soon after start-up, so that a changed half-life applies quickly. */
const DEFAULT_MAINTENANCE_SCHEDULE = {
  frequency: { hours: 1 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 30 },
};

/** Daily; a few minutes after start-up, when start-up has less to do. */
const DEFAULT_RETENTION_SWEEP_SCHEDULE = {
  frequency: { hours: 24 },
  timeout: { minutes: 30 },
  initialDelay: { minutes: 5 },
};

/**
 * `freeboard.trust.maintenance` (frequency, timeout, initialDelay as in any
 * Backstage task schedule) over the defaults; always global.
 */
export function readTrustMaintenanceSchedule(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  return readGlobalSchedule(
    config,
    'freeboard.trust.maintenance',
    DEFAULT_MAINTENANCE_SCHEDULE,
  );
}

/**
 * `freeboard.trust.retentionSweep` (frequency, timeout, initialDelay as in
 * any Backstage task schedule) over the defaults; always global.
 */
export function readTrustRetentionSweepSchedule(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  return readGlobalSchedule(
    config,
    'freeboard.trust.retentionSweep',
    DEFAULT_RETENTION_SWEEP_SCHEDULE,
  );
}

/**
 * The scheduled upkeep of trust credits; the scheduler runs each task on one
 * replica at a time, and each run is recorded.
 */
export async function scheduleTrustTasks(options: {
  scheduler: SchedulerService;
  config: RootConfigService;
  db: Knex;
  maintenance: TrustMaintenanceStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  halfLifeDays: number;
  retention: TrustRetentionConfig;
}): Promise<void> {
  const { scheduler, db, maintenance, logger } = options;
  await scheduleRecordedTask(
    { scheduler, db, logger },
    {
      id: TRUST_MAINTENANCE_TASK_ID,
      ...readTrustMaintenanceSchedule(options.config),
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
    },
  );

  await scheduleRecordedTask(
    { scheduler, db, logger },
    {
      id: TRUST_RETENTION_TASK_ID,
      ...readTrustRetentionSweepSchedule(options.config),
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
          logger.info('Checked trust ledgers against the catalog', {
            ...result,
          });
        }
      },
    },
  );
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
