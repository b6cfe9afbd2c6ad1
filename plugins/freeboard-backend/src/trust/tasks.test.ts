import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TrustLedgerWriter } from '@freeboard/backstage-plugin-node';
import { Knex } from 'knex';
import { TASK_RUNS_TABLE } from '../shared/taskRuns';
import {
  TRUST_MAINTENANCE_TASK_ID,
  TRUST_RETENTION_TASK_ID,
  readTrustMaintenanceSchedule,
  readTrustRetentionSweepSchedule,
  runLedgerTasks,
  scheduleTrustTasks,
} from './tasks';
import { TrustStores } from './store/DatabaseTrustStore';
import { NOW, sleep, trustTestSetup } from './store/__testUtils__/trustStores';

jest.setTimeout(120_000);

/** A module writer backed by the real store, without the HTTP-level checks. */
function writerFor(stores: TrustStores) {
  return (moduleId: string): TrustLedgerWriter => ({
    isEmpty: () => stores.reads.isEmpty(),
    record: async write =>
      (
        await stores.ledger.appendEntry({
          ...write,
          occurredAt: write.occurredAt ?? NOW,
          source: moduleId,
        })
      ).entry,
  });
}

/** Seeds three entries unless the ledger has some; slow between the two. */
async function seedTask(writer: TrustLedgerWriter) {
  if (!(await writer.isEmpty())) return;
  await sleep(100);
  for (const name of ['a', 'b', 'c']) {
    await writer.record({
      entityRef: `component:default/${name}`,
      direction: 'earn',
      category: 'self-service',
      amount: 5,
      title: 'Seed',
      recordedBy: 'user:default/seed',
    });
  }
}

describe('runLedgerTasks', () => {
  const { databases, setup } = trustTestSetup();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const countEntries = async (knex: Knex) => {
      const [{ n }] = await knex('trust_entries').count({ n: '*' });
      return Number(n);
    };

    it('runs a task on one replica at a time, so a seed is written once', async () => {
      const { knex, ...stores } = await setup(databaseId);
      const logger = mockServices.logger.mock();
      const replica = () =>
        runLedgerTasks({
          db: knex,
          tasks: [{ moduleId: 'seed', task: seedTask }],
          writerFor: writerFor(stores),
          logger,
        });
      await Promise.all([replica(), replica(), replica()]);
      expect(await countEntries(knex)).toBe(3);
      expect(logger.error).not.toHaveBeenCalled();
      expect(await knex('freeboard_locks')).toEqual([]);
      // Without the lease the same task writes twice: the test can tell.
      await knex('trust_entries').delete();
      await Promise.all([
        seedTask(writerFor(stores)('x')),
        seedTask(writerFor(stores)('x')),
      ]);
      expect(await countEntries(knex)).toBe(6);
    });

    it('logs a failing task and goes on with the next', async () => {
      const { knex, ...stores } = await setup(databaseId);
      const logger = mockServices.logger.mock();
      const failure = new Error('no catalog yet');
      await expect(
        runLedgerTasks({
          db: knex,
          tasks: [
            {
              moduleId: 'broken',
              task: async () => {
                throw failure;
              },
            },
            { moduleId: 'seed', task: seedTask },
          ],
          writerFor: writerFor(stores),
          logger,
        }),
      ).resolves.toBeUndefined();
      expect(logger.error).toHaveBeenCalledWith(
        'Trust ledger task of broken failed',
        failure,
      );
      expect(await countEntries(knex)).toBe(3);
      const sources = await knex('trust_entries').distinct('source');
      expect(sources).toEqual([{ source: 'seed' }]);
      // The failed task's lease is released.
      expect(await knex('freeboard_locks')).toEqual([]);
    });
  });
});

describe('scheduleTrustTasks', () => {
  const { databases, setup } = trustTestSetup();
  const retention = { orphanRetentionDays: 90, maxDeleteShare: 0.1 };

  it('keeps the hourly upkeep and the daily sweep unless configured', async () => {
    const scheduler = mockServices.scheduler.mock();
    await scheduleTrustTasks({
      scheduler,
      config: mockServices.rootConfig(),
      db: {} as Knex,
      maintenance: {} as TrustStores['maintenance'],
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      halfLifeDays: 180,
      retention,
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(2);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith({
      id: TRUST_MAINTENANCE_TASK_ID,
      frequency: { hours: 1 },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 30 },
      scope: 'global',
      fn: expect.any(Function),
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith({
      id: TRUST_RETENTION_TASK_ID,
      frequency: { hours: 24 },
      timeout: { minutes: 30 },
      initialDelay: { minutes: 5 },
      scope: 'global',
      fn: expect.any(Function),
    });
  });

  it('takes both schedules from config, but never a local scope', () => {
    const config = mockServices.rootConfig({
      data: {
        freeboard: {
          trust: {
            maintenance: { frequency: { minutes: 15 }, scope: 'local' },
            retentionSweep: {
              frequency: { cron: '0 3 * * *' },
              timeout: 'PT1H',
              initialDelay: { minutes: 1 },
            },
          },
        },
      },
    });
    expect(readTrustMaintenanceSchedule(config)).toEqual({
      frequency: { minutes: 15 },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 30 },
      scope: 'global',
    });
    expect(readTrustRetentionSweepSchedule(config)).toEqual({
      frequency: { cron: '0 3 * * *' },
      timeout: { hours: 1 },
      initialDelay: { minutes: 1 },
      scope: 'global',
    });
    expect(() =>
      readTrustMaintenanceSchedule(
        mockServices.rootConfig({
          data: {
            freeboard: { trust: { maintenance: { frequency: 'often' } } },
          },
        }),
      ),
    ).toThrow(/frequency/);
  });

  it.each(databases.eachSupportedId())(
    'records the runs of both tasks on %p',
    async databaseId => {
      const { knex, maintenance } = await setup(databaseId);
      const scheduler = mockServices.scheduler.mock();
      await scheduleTrustTasks({
        scheduler,
        config: mockServices.rootConfig(),
        db: knex,
        maintenance,
        catalog: catalogServiceMock(),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        halfLifeDays: 180,
        retention,
      });
      for (const [{ fn }] of scheduler.scheduleTask.mock.calls) {
        await (fn as () => Promise<void>)();
      }
      expect(
        await knex(TASK_RUNS_TABLE)
          .orderBy('id')
          .select('task_id', 'outcome', 'error'),
      ).toEqual([
        {
          task_id: TRUST_MAINTENANCE_TASK_ID,
          outcome: 'succeeded',
          error: null,
        },
        { task_id: TRUST_RETENTION_TASK_ID, outcome: 'succeeded', error: null },
      ]);
    },
  );
});
