import {
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { readGlobalSchedule } from '../shared/schedule';
import { scheduleRecordedTask } from '../shared/taskRuns';
import { snapshotThickness } from './log';

/** The task's id, as the scheduler lists it. */
export const THICKNESS_SNAPSHOT_TASK_ID = 'freeboard-thickness-snapshot';

const CONFIG_KEY = 'freeboard.thickness.snapshot';
/**
 * Daily, like the adoption snapshot. The first run waits a minute: the
 * portfolio refresher logs the day's rows itself, and start-up has enough
 * to do.
 */
const DEFAULT_SCHEDULE = {
  frequency: { hours: 24 },
  timeout: { minutes: 10 },
  initialDelay: { minutes: 1 },
};

/**
 * `freeboard.thickness.snapshot` (frequency, timeout, initialDelay as in
 * any Backstage task schedule) over the defaults; always global, so one
 * replica writes the day's rows.
 */
export function readThicknessSnapshotSchedule(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  return readGlobalSchedule(config, CONFIG_KEY, DEFAULT_SCHEDULE);
}

/**
 * Schedules the daily thickness snapshot: it makes sure the log holds
 * today's state of every capability, so the trend has a point per day even
 * when the portfolio refresher did not run (the refresher logs the same way
 * after each refresh).
 */
export async function scheduleThicknessSnapshot(deps: {
  scheduler: SchedulerService;
  config: RootConfigService;
  db: Knex;
  logger: LoggerService;
  now?: () => Date;
}): Promise<void> {
  await scheduleRecordedTask(deps, {
    id: THICKNESS_SNAPSHOT_TASK_ID,
    ...readThicknessSnapshotSchedule(deps.config),
    fn: async () => {
      const result = await snapshotThickness(
        deps.db,
        deps.now?.() ?? new Date(),
      );
      deps.logger.info('Logged the platform thickness', { ...result });
    },
  });
}
