import { SchedulerService } from '@backstage/backend-plugin-api';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import knexFactory, { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateLatest, toDate } from './database';
import {
  RecordedTaskDefinition,
  TASK_RUNS_TABLE,
  TASK_RUN_ERROR_MAX_LENGTH,
  TASK_RUN_INSTANCE,
  TASK_RUN_RETENTION_MS,
  scheduleRecordedTask,
} from './taskRuns';

jest.setTimeout(120_000);

const DAY_MS = 24 * 60 * 60 * 1000;
const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

interface Run {
  taskId: string;
  instance: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: string;
  error: string | null;
}

async function runsOf(knex: Knex, taskId: string): Promise<Run[]> {
  const rows = await knex(TASK_RUNS_TABLE)
    .where('task_id', taskId)
    .orderBy('started_at', 'asc')
    .orderBy('id', 'asc');
  return rows.map(row => ({
    taskId: row.task_id,
    instance: row.instance,
    startedAt: toDate(row.started_at),
    finishedAt: row.finished_at === null ? null : toDate(row.finished_at),
    outcome: row.outcome,
    error: row.error,
  }));
}

/** Pairs of runs, in start order, of which the later started before the earlier finished. */
function overlapsOf(runs: Run[]): Array<[Run, Run]> {
  const overlaps: Array<[Run, Run]> = [];
  for (let i = 1; i < runs.length; i++) {
    const before = runs[i - 1];
    if (!before.finishedAt || runs[i].startedAt < before.finishedAt) {
      overlaps.push([before, runs[i]]);
    }
  }
  return overlaps;
}

const SCHEDULE = {
  frequency: { hours: 1 },
  timeout: { minutes: 5 },
  scope: 'global',
} as const;

describe('scheduleRecordedTask', () => {
  const databases = createTestDatabases();
  const clients: Knex[] = [];
  afterAll(async () => {
    await Promise.all(clients.map(c => c.destroy()));
  });

  async function migrated(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    clients.push(knex);
    await migrateLatest(knex);
    return knex;
  }

  /** Schedules `fn` on a mock scheduler and returns the wrapped function it was given. */
  async function scheduled(knex: Knex, fn: RecordedTaskDefinition['fn']) {
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    await scheduleRecordedTask(
      { scheduler, db: knex, logger },
      { id: 'freeboard-test-task', ...SCHEDULE, fn },
    );
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const definition = scheduler.scheduleTask.mock.calls[0][0];
    return {
      definition,
      logger,
      run: (signal = new AbortController().signal) =>
        (definition.fn as (signal: AbortSignal) => Promise<void>)(signal),
    };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('records a succeeded run, running while it runs', async () => {
      const knex = await migrated(databaseId);
      const seen: { signal?: AbortSignal; during?: Run[] } = {};
      const { definition, run, logger } = await scheduled(
        knex,
        async signal => {
          seen.signal = signal;
          seen.during = await runsOf(knex, 'freeboard-test-task');
        },
      );
      // The schedule is passed on as given.
      expect(definition).toEqual({
        id: 'freeboard-test-task',
        ...SCHEDULE,
        fn: expect.any(Function),
      });

      const before = Date.now();
      const signal = new AbortController().signal;
      await run(signal);
      const after = Date.now();

      expect(seen.signal).toBe(signal);
      expect(seen.during).toEqual([
        {
          taskId: 'freeboard-test-task',
          instance: TASK_RUN_INSTANCE,
          startedAt: expect.any(Date),
          finishedAt: null,
          outcome: 'running',
          error: null,
        },
      ]);
      const [recorded] = await runsOf(knex, 'freeboard-test-task');
      expect(recorded).toMatchObject({
        outcome: 'succeeded',
        error: null,
        instance: TASK_RUN_INSTANCE,
      });
      expect(recorded.startedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(recorded.finishedAt!.getTime()).toBeGreaterThanOrEqual(
        recorded.startedAt.getTime(),
      );
      expect(recorded.finishedAt!.getTime()).toBeLessThanOrEqual(after);
      expect(TASK_RUN_INSTANCE).toMatch(/^.+:\d+$/);
      expect(logger.warn).not.toHaveBeenCalled();

      // A second run is a second row.
      await run();
      expect(
        (await runsOf(knex, 'freeboard-test-task')).map(r => r.outcome),
      ).toEqual(['succeeded', 'succeeded']);
    });

    it('records a failed run with its message, and the error still propagates', async () => {
      const knex = await migrated(databaseId);
      const failure = new Error('catalog unreachable');
      const { run } = await scheduled(knex, async () => {
        throw failure;
      });
      await expect(run()).rejects.toBe(failure);
      const [recorded] = await runsOf(knex, 'freeboard-test-task');
      expect(recorded).toMatchObject({
        outcome: 'failed',
        error: 'catalog unreachable',
      });
      expect(recorded.finishedAt).toBeInstanceOf(Date);

      // A long message is cut; a thrown non-error is recorded as text.
      const long = await scheduled(knex, async () => {
        throw new Error('x'.repeat(5000));
      });
      await expect(long.run()).rejects.toThrow('xxx');
      const odd = await scheduled(knex, async () => {
        // eslint-disable-next-line no-throw-literal
        throw 'plain text';
      });
      await expect(odd.run()).rejects.toBe('plain text');
      const runs = await runsOf(knex, 'freeboard-test-task');
      expect(runs.map(r => r.outcome)).toEqual(['failed', 'failed', 'failed']);
      expect(runs[1].error).toBe('x'.repeat(TASK_RUN_ERROR_MAX_LENGTH));
      expect(runs[2].error).toBe('plain text');
    });

    it("deletes the task's runs older than 30 days after a run", async () => {
      const knex = await migrated(databaseId);
      const now = Date.now();
      const row = (taskId: string, ageMs: number) => ({
        task_id: taskId,
        instance: 'old-host:1',
        started_at: new Date(now - ageMs),
        finished_at: new Date(now - ageMs + 1000),
        outcome: 'succeeded',
      });
      await knex(TASK_RUNS_TABLE).insert([
        row('freeboard-test-task', 45 * DAY_MS),
        row('freeboard-test-task', TASK_RUN_RETENTION_MS + 60_000),
        row('freeboard-test-task', 29 * DAY_MS),
        row('freeboard-other-task', 45 * DAY_MS),
      ]);
      const { run } = await scheduled(knex, async () => {});
      await run();

      const kept = await runsOf(knex, 'freeboard-test-task');
      expect(kept.map(r => r.instance)).toEqual([
        'old-host:1',
        TASK_RUN_INSTANCE,
      ]);
      expect(now - kept[0].startedAt.getTime()).toBe(29 * DAY_MS);
      // Another task's runs wait for that task's next run.
      expect(await runsOf(knex, 'freeboard-other-task')).toHaveLength(1);
    });

    it("logs a failure to record the end, and keeps the task's own outcome", async () => {
      const knex = await migrated(databaseId);
      const dropTable = () => knex.schema.dropTable(TASK_RUNS_TABLE);
      const succeeding = await scheduled(knex, dropTable);
      await expect(succeeding.run()).resolves.toBeUndefined();
      expect(succeeding.logger.warn).toHaveBeenCalledWith(
        'Could not record the end of a run of freeboard-test-task',
        // Not `any(Error)`: better-sqlite3 may build its errors in the realm
        // of another test file.
        expect.objectContaining({
          message: expect.stringMatching(/freeboard_task_runs/),
        }),
      );

      // A run whose start cannot be recorded does not run.
      const fn = jest.fn();
      const unrecorded = await scheduled(knex, fn);
      await expect(unrecorded.run()).rejects.toMatchObject({
        message: expect.stringMatching(/freeboard_task_runs/),
      });
      expect(fn).not.toHaveBeenCalled();
    });
  });
});

describe('recorded tasks on three schedulers sharing one database', () => {
  const databases = createTestDatabases();
  const clients: Knex[] = [];
  afterAll(async () => {
    await Promise.all(clients.map(c => c.destroy()));
  });

  /**
   * Three clients of one migrated database: on PostgreSQL each with its
   * own pool, as three processes have; SQLite's in-memory database has
   * one connection, which the three share.
   */
  async function replicaClients(databaseId: TestDatabaseId): Promise<Knex[]> {
    const first = await databases.init(databaseId);
    clients.push(first);
    await migrateLatest(first);
    if (databaseId !== 'POSTGRES_15') return [first, first, first];
    const others = [1, 2].map(() =>
      knexFactory({
        client: 'pg',
        connection: first.client.config.connection,
        pool: { min: 0, max: 3 },
      }),
    );
    clients.push(...others);
    return [first, ...others];
  }

  /** Backstage's own scheduler, as each replica's plugin gets it. */
  function schedulerOn(knex: Knex): SchedulerService {
    return DefaultSchedulerService.create({
      database: mockServices.database({ knex }),
      logger: mockServices.logger.mock(),
      metrics: metricsServiceMock.mock(),
      rootLifecycle: mockServices.rootLifecycle.mock(),
      httpRouter: mockServices.httpRouter.mock(),
      pluginMetadata: { getId: () => 'freeboard' },
    });
  }

  it.each(databases.eachSupportedId())(
    'runs a global task on one replica at a time, every second, on %p',
    async databaseId => {
      const knexes = await replicaClients(databaseId);
      const stops = knexes.map(() => new AbortController());
      let running = 0;
      let mostAtOnce = 0;
      const probe = async () => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(300);
        running -= 1;
      };
      const localRunning = { now: 0, most: 0 };
      const localProbe = async () => {
        localRunning.now += 1;
        localRunning.most = Math.max(localRunning.most, localRunning.now);
        await sleep(300);
        localRunning.now -= 1;
      };
      const scheduledAt = Date.now();
      // One after the other: the first migrates the scheduler's tables.
      for (const [i, knex] of knexes.entries()) {
        const scheduler = schedulerOn(knex);
        const deps = {
          scheduler,
          db: knex,
          logger: mockServices.logger.mock(),
        };
        const instance = `replica-${i + 1}`;
        await scheduleRecordedTask(
          deps,
          {
            id: 'freeboard-test-global',
            frequency: { seconds: 1 },
            timeout: { seconds: 30 },
            scope: 'global',
            signal: stops[i].signal,
            fn: probe,
          },
          { instance },
        );
        // Without the scheduler's coordination the same check sees overlaps.
        await scheduleRecordedTask(
          deps,
          {
            id: 'freeboard-test-local',
            frequency: { seconds: 1 },
            timeout: { seconds: 30 },
            scope: 'local',
            signal: stops[i].signal,
            fn: localProbe,
          },
          { instance },
        );
      }
      // The first replica, which tends to win every claim, goes away midway
      // (as in a rolling deploy); the others carry on.
      await sleep(2_500);
      stops[0].abort();
      await sleep(3_000);
      for (const stop of stops) stop.abort();
      const stoppedAt = Date.now();
      // Runs under way finish and are recorded.
      const deadline = Date.now() + 10_000;
      while (
        (await knexes[0](TASK_RUNS_TABLE).where('outcome', 'running')).length >
          0 &&
        Date.now() < deadline
      ) {
        await sleep(100);
      }

      const runs = await runsOf(knexes[0], 'freeboard-test-global');
      // One run per one-second period, not one per replica.
      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(runs.length).toBeLessThanOrEqual(
        Math.floor((stoppedAt - scheduledAt) / 1000) + 1,
      );
      expect(runs.every(r => r.outcome === 'succeeded')).toBe(true);
      expect(overlapsOf(runs)).toEqual([]);
      expect(mostAtOnce).toBe(1);
      for (const r of runs) {
        expect(r.instance).toMatch(/^replica-[123]$/);
      }
      expect(new Set(runs.map(r => r.instance)).size).toBeGreaterThan(1);

      const local = await runsOf(knexes[0], 'freeboard-test-local');
      expect(new Set(local.map(r => r.instance)).size).toBe(3);
      expect(overlapsOf(local).length).toBeGreaterThan(0);
      expect(localRunning.most).toBeGreaterThan(1);
    },
  );
});
