import { mockServices } from '@backstage/backend-test-utils';
import { TrustLedgerWriter } from '@freeboard/backstage-plugin-node';
import { Knex } from 'knex';
import { runLedgerTasks } from './tasks';
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
