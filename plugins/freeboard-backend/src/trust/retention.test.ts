import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseTrustStore } from '../database/DatabaseTrustStore';
import { DAY_MS } from './decay';
import { sweepOrphanedLedgers } from './retention';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-21T12:00:00Z');

function component(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: {},
  };
}

describe('sweepOrphanedLedgers', () => {
  const databases = createTestDatabases();
  const knexes: Knex[] = [];
  afterAll(async () => Promise.all(knexes.map(k => k.destroy())));

  it.each(databases.eachSupportedId())(
    'deletes ledgers of entities gone longer than the retention, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      knexes.push(knex);
      const store = await DatabaseTrustStore.create({
        database: { getClient: async () => knex },
        halfLifeDays: 180,
        now: () => NOW,
      });
      for (const name of ['kept', 'gone', 'back']) {
        await store.appendEntry({
          entityRef: `component:default/${name}`,
          direction: 'earn',
          category: 'docs-improved',
          amount: 5,
          title: 'Docs',
          consumerRef: 'group:default/payments',
          occurredAt: NOW,
          recordedBy: 'user:default/ada',
          source: 'manual',
        });
      }
      const auth = mockServices.auth();
      const sweep = (entities: Entity[], now: Date) =>
        sweepOrphanedLedgers({
          store,
          catalog: catalogServiceMock({ entities }),
          auth,
          retentionDays: 90,
          now,
        });

      // Day 0: "gone" and "back" are missing; nothing is deleted yet.
      expect(await sweep([component('kept')], NOW)).toEqual({
        checked: 3,
        missing: 2,
        deleted: 0,
      });
      // Day 30: "back" has returned, so its clock stops.
      await sweep(
        [component('kept'), component('back')],
        new Date(NOW.getTime() + 30 * DAY_MS),
      );
      // Day 91: only "gone" has been missing for longer than 90 days.
      expect(
        await sweep(
          [component('kept'), component('back')],
          new Date(NOW.getTime() + 91 * DAY_MS),
        ),
      ).toEqual({ checked: 3, missing: 1, deleted: 1 });

      const totals = await store.getTotals(
        [
          'component:default/kept',
          'component:default/gone',
          'component:default/back',
        ],
        NOW,
      );
      expect([...totals.keys()].sort()).toEqual([
        'component:default/back',
        'component:default/kept',
      ]);
      const [{ n }] = await knex('trust_entries').count({ n: '*' });
      expect(Number(n)).toBe(2);
      const [{ c }] = await knex('trust_consumer_totals').count({ c: '*' });
      expect(Number(c)).toBe(2);
    },
  );
});
