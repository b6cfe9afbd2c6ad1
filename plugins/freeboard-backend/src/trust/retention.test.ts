import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import { readTrustRetentionConfig } from './config';
import { sweepOrphanedLedgers } from './retention';
import { DAY_MS } from './store/decay';
import { TrustStores } from './store/DatabaseTrustStore';
import {
  NOW,
  entry,
  idOf,
  trustTestSetup,
} from './store/__testUtils__/trustStores';

jest.setTimeout(120_000);

const ref = (name: string) => `component:default/${name}`;

function component(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: {},
  };
}

const daysAfter = (days: number) => new Date(NOW.getTime() + days * DAY_MS);

describe('sweepOrphanedLedgers', () => {
  const { databases, setup } = trustTestSetup();

  it('refuses more than a tenth of the ledgers by default', () => {
    expect(readTrustRetentionConfig(new ConfigReader({}))).toEqual({
      orphanRetentionDays: 90,
      maxDeleteShare: 0.1,
    });
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function withLedgers(names: string[]) {
      const stores = await setup(databaseId);
      for (const name of names) {
        await stores.ledger.appendEntry(
          entry({
            entityRef: ref(name),
            consumerRef: 'group:default/payments',
          }),
        );
      }
      return stores;
    }

    function sweeper(
      stores: TrustStores,
      options: { maxDeleteShare?: number } = {},
    ) {
      const logger = mockServices.logger.mock();
      const sweep = (present: string[], now: Date) =>
        sweepOrphanedLedgers({
          maintenance: stores.maintenance,
          catalog: catalogServiceMock({ entities: present.map(component) }),
          auth: mockServices.auth(),
          logger,
          retentionDays: 90,
          maxDeleteShare: options.maxDeleteShare ?? 0.1,
          now,
        });
      return { sweep, logger };
    }

    const entityRefs = async (knex: Knex) =>
      (
        await knex('trust_totals as t')
          .join('freeboard_refs as f', 'f.id', 't.entity_id')
          .select('f.ref')
      )
        .map(r => r.ref)
        .sort();

    it('deletes ledgers of entities gone longer than the retention', async () => {
      const stores = await withLedgers(['kept', 'gone', 'back']);
      const { sweep, logger } = sweeper(stores, { maxDeleteShare: 0.5 });

      // Day 0: "gone" and "back" are missing; nothing is deleted yet.
      expect(await sweep(['kept'], NOW)).toEqual({
        checked: 3,
        missing: 2,
        deleted: 0,
      });
      // Day 30: "back" has returned, so its clock stops.
      expect(await sweep(['kept', 'back'], daysAfter(30))).toEqual({
        checked: 3,
        missing: 1,
        deleted: 0,
      });
      // Day 91: only "gone" has been missing for longer than 90 days.
      expect(await sweep(['kept', 'back'], daysAfter(91))).toEqual({
        checked: 3,
        missing: 1,
        deleted: 1,
      });
      expect(await entityRefs(stores.knex)).toEqual([ref('back'), ref('kept')]);
      const [{ n }] = await stores.knex('trust_entries').count({ n: '*' });
      expect(Number(n)).toBe(2);
      const [{ c }] = await stores
        .knex('trust_consumer_totals')
        .count({ c: '*' });
      expect(Number(c)).toBe(2);
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('keeps an entity written to between two sweeps', async () => {
      const stores = await withLedgers(['kept', 'quiet']);
      const { sweep } = sweeper(stores, { maxDeleteShare: 1 });
      await sweep(['kept'], NOW);
      // The catalog lost it, but the ledger is in use again.
      await stores.ledger.appendEntry(
        entry({ entityRef: ref('quiet'), amount: 2 }),
      );
      // The next sweep starts its clock afresh.
      expect(await sweep(['kept'], daysAfter(91))).toEqual({
        checked: 2,
        missing: 1,
        deleted: 0,
      });
      expect(await sweep(['kept'], daysAfter(182))).toEqual({
        checked: 2,
        missing: 1,
        deleted: 1,
      });
    });

    it('deletes only what it found missing in this run', async () => {
      const stores = await withLedgers(['kept', 'a', 'b', 'unchecked']);
      const unchecked = await idOf(stores.knex, ref('unchecked'));
      // An old mark on a ledger this run does not check (listed by no page).
      await stores.maintenance.markCatalogPresence({
        present: [],
        missing: [unchecked],
        at: new Date(NOW.getTime() - 400 * DAY_MS),
      });
      const list = stores.maintenance.listLedgerEntities.bind(
        stores.maintenance,
      );
      const deleteOrphaned = jest.spyOn(
        stores.maintenance,
        'deleteOrphanedLedgers',
      );
      jest
        .spyOn(stores.maintenance, 'listLedgerEntities')
        .mockImplementation(async o =>
          (await list(o)).filter(e => e.id !== unchecked),
        );
      const { sweep } = sweeper(stores, { maxDeleteShare: 1 });

      await sweep(['kept'], NOW);
      expect(await sweep(['kept'], daysAfter(91))).toEqual({
        checked: 3,
        missing: 2,
        deleted: 2,
      });
      const found = [
        await idOf(stores.knex, ref('a')),
        await idOf(stores.knex, ref('b')),
      ];
      expect(deleteOrphaned).toHaveBeenCalledTimes(1);
      expect([...deleteOrphaned.mock.calls[0][0]].sort()).toEqual(found.sort());
      expect(await entityRefs(stores.knex)).toEqual([
        ref('kept'),
        ref('unchecked'),
      ]);
    });

    it('refuses to delete more than the allowed share of ledgers, and says so', async () => {
      const names = Array.from({ length: 10 }, (_, i) => `cap-${i}`);
      const stores = await withLedgers(names);
      const deleteOrphaned = jest.spyOn(
        stores.maintenance,
        'deleteOrphanedLedgers',
      );
      const { sweep, logger } = sweeper(stores);
      // A location holding two of ten entities is removed by mistake.
      const present = names.slice(2);
      await sweep(present, NOW);
      const result = await sweep(present, daysAfter(91));
      expect(result).toEqual({
        checked: 10,
        missing: 2,
        deleted: 0,
        refused: expect.stringContaining('2 of 10 trust ledgers'),
      });
      expect(result.refused).toContain('maxDeleteShare = 0.1');
      expect(logger.warn).toHaveBeenCalledWith(result.refused);
      expect(deleteOrphaned).not.toHaveBeenCalled();
      expect(await entityRefs(stores.knex)).toHaveLength(10);

      // One of ten is within the share.
      expect(await sweep(names.slice(1), daysAfter(92))).toEqual({
        checked: 10,
        missing: 1,
        deleted: 1,
      });
      expect(await entityRefs(stores.knex)).toHaveLength(9);
    });
  });
});
