import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import os from 'os';

/** The table with one row per run of a Freeboard scheduled task. */
export const TASK_RUNS_TABLE = 'freeboard_task_runs';

/** A task's runs are kept this long, then deleted by the task's next run. */
export const TASK_RUN_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Longer error messages are cut to this many characters. */
export const TASK_RUN_ERROR_MAX_LENGTH = 1000;

/** This process, as the `instance` column names it. */
export const TASK_RUN_INSTANCE = `${os.hostname()}:${process.pid}`;

export type TaskRunOutcome = 'running' | 'succeeded' | 'failed';

export type RecordedTaskDefinition = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

/** Records the runs of one process's tasks. */
class TaskRunRecorder {
  constructor(
    private readonly db: Knex,
    private readonly logger: LoggerService,
    private readonly instance: string,
  ) {}

  async run(
    taskId: string,
    fn: RecordedTaskDefinition['fn'],
    signal: AbortSignal,
  ): Promise<void> {
    const [inserted] = await this.db(TASK_RUNS_TABLE)
      .insert({
        task_id: taskId,
        instance: this.instance,
        started_at: new Date(),
        outcome: 'running' satisfies TaskRunOutcome,
      })
      .returning('id');
    const runId = typeof inserted === 'object' ? inserted.id : inserted;
    try {
      await fn(signal);
    } catch (error) {
      await this.finish(taskId, runId, { error });
      throw error;
    }
    await this.finish(taskId, runId);
  }

  /** Records the end of a run and prunes old runs; never throws. */
  private async finish(
    taskId: string,
    runId: number | string,
    failure?: { error: unknown },
  ): Promise<void> {
    const finishedAt = new Date();
    try {
      await this.db(TASK_RUNS_TABLE)
        .where({ id: runId })
        .update({
          finished_at: finishedAt,
          outcome: (failure ? 'failed' : 'succeeded') satisfies TaskRunOutcome,
          error: failure ? messageOf(failure.error) : null,
        });
    } catch (recordError) {
      this.logger.warn(
        `Could not record the end of a run of ${taskId}`,
        recordError as Error,
      );
    }
    try {
      // Bounded upkeep: each run deletes its own task's runs past retention,
      // so the table holds at most 30 days of runs per task.
      await this.db(TASK_RUNS_TABLE)
        .where('task_id', taskId)
        .where(
          'started_at',
          '<',
          new Date(finishedAt.getTime() - TASK_RUN_RETENTION_MS),
        )
        .delete();
    } catch (pruneError) {
      this.logger.warn(
        `Could not delete old runs of ${taskId}`,
        pruneError as Error,
      );
    }
  }
}

/**
 * Schedules `definition` as is, except that each run is recorded in
 * `freeboard_task_runs`: a `running` row before the task starts, then its
 * outcome and end. Times are from this process's clock (`new Date()`), as
 * every Freeboard timestamp is; replicas on one machine share it.
 *
 * A run whose start cannot be recorded fails before doing anything: the
 * tasks work on this same database, and the table stays a complete record
 * of the work done. A run whose end cannot be recorded keeps its own
 * outcome; the row stays `running`, like that of a process that died.
 */
export async function scheduleRecordedTask(
  deps: { scheduler: SchedulerService; db: Knex; logger: LoggerService },
  definition: RecordedTaskDefinition,
  /** Tests name their replicas; a process is `<hostname>:<pid>`. */
  options: { instance?: string } = {},
): Promise<void> {
  const recorder = new TaskRunRecorder(
    deps.db,
    deps.logger,
    options.instance ?? TASK_RUN_INSTANCE,
  );
  await deps.scheduler.scheduleTask({
    ...definition,
    fn: signal => recorder.run(definition.id, definition.fn, signal),
  });
}

/** The error's message, cut; not by `instanceof`, which errors from another realm fail. */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return (typeof message === 'string' ? message : String(error)).slice(
    0,
    TASK_RUN_ERROR_MAX_LENGTH,
  );
}
