import { Knex } from 'knex';
import { toDate } from '../../shared/database';
import {
  CAPABILITY,
  NOW,
  PAYMENTS,
  bruteForceSums,
  daysBefore,
  entry,
  idOf,
  storedSums,
  sumMismatches,
  trustTestSetup,
} from './__testUtils__/trustStores';

jest.setTimeout(120_000);

const GONE = 'component:default/gone';
const RETENTION_START = daysBefore(NOW, 90);

const missingSince = async (knex: Knex, id: number) => {
  const value = (await knex('freeboard_refs').where({ id }).first())
    .missing_since;
  return value === null ? null : toDate(value).toISOString();
};

const count = async (knex: Knex, table: string, entityId: number) => {
  const [{ n }] = await knex(table)
    .where({ entity_id: entityId })
    .count({ n: '*' });
  return Number(n);
};

describe('DatabaseTrustMaintenanceStore retention', () => {
  const { databases, setup } = trustTestSetup();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function seeded() {
      const stores = await setup(databaseId);
      for (const ref of [CAPABILITY, GONE]) {
        await stores.ledger.appendEntry(
          entry({ entityRef: ref, consumerRef: PAYMENTS }),
        );
        await stores.ledger.recordPulse({
          entityRef: ref,
          userRef: 'user:default/mia',
          sentiment: 'up',
          category: 'pulse-up',
          amount: 1,
          title: 'pulse',
          at: NOW,
        });
      }
      return {
        ...stores,
        kept: await idOf(stores.knex, CAPABILITY),
        gone: await idOf(stores.knex, GONE),
      };
    }

    it('lists ledger entities page by page', async () => {
      const { maintenance, kept, gone } = await seeded();
      expect(
        await maintenance.listLedgerEntities({ afterId: 0, limit: 1 }),
      ).toEqual([{ id: kept, ref: CAPABILITY }]);
      expect(
        await maintenance.listLedgerEntities({ afterId: kept, limit: 5 }),
      ).toEqual([{ id: gone, ref: GONE }]);
      expect(
        await maintenance.listLedgerEntities({ afterId: gone, limit: 5 }),
      ).toEqual([]);
    });

    it('marks absence once, clears it on presence, and finds what expired', async () => {
      const { knex, maintenance, kept, gone } = await seeded();
      const longAgo = daysBefore(NOW, 100);
      await maintenance.markCatalogPresence({
        present: [kept],
        missing: [gone],
        at: longAgo,
      });
      expect(await missingSince(knex, gone)).toBe(longAgo.toISOString());
      expect(await missingSince(knex, kept)).toBeNull();
      // Still missing later: the clock keeps its start.
      await maintenance.markCatalogPresence({
        present: [],
        missing: [gone],
        at: NOW,
      });
      expect(await missingSince(knex, gone)).toBe(longAgo.toISOString());
      expect(
        await maintenance.expiredOrphans([kept, gone], RETENTION_START),
      ).toEqual([gone]);
      expect(
        await maintenance.expiredOrphans([kept, gone], daysBefore(NOW, 101)),
      ).toEqual([]);
      expect(await maintenance.expiredOrphans([], RETENTION_START)).toEqual([]);
      // Back in the catalog: the clock stops.
      await maintenance.markCatalogPresence({
        present: [gone],
        missing: [],
        at: NOW,
      });
      expect(await missingSince(knex, gone)).toBeNull();
      expect(await maintenance.expiredOrphans([gone], RETENTION_START)).toEqual(
        [],
      );
    });

    it('deletes a whole ledger that expired, clears its mark and keeps the rest', async () => {
      const { knex, maintenance, reads, kept, gone } = await seeded();
      await maintenance.markCatalogPresence({
        present: [],
        missing: [kept, gone],
        at: daysBefore(NOW, 100),
      });
      // Only ids asked for go, even when others have expired too.
      expect(
        await maintenance.deleteOrphanedLedgers([gone], RETENTION_START),
      ).toBe(1);
      for (const table of [
        'trust_entries',
        'trust_totals',
        'trust_consumer_totals',
        'trust_daily',
        'trust_pulses',
      ]) {
        expect(await count(knex, table, gone)).toBe(0);
        expect(await count(knex, table, kept)).toBeGreaterThan(0);
      }
      expect(await missingSince(knex, gone)).toBeNull();
      expect(await missingSince(knex, kept)).not.toBeNull();
      expect(
        await maintenance.deleteOrphanedLedgers([gone], RETENTION_START),
      ).toBe(0);
      expect((await reads.listEntries(GONE, { limit: 10 })).entries).toEqual(
        [],
      );
      expect(
        sumMismatches(
          await storedSums(knex, NOW),
          await bruteForceSums(knex, NOW, 180),
        ),
      ).toEqual([]);
    });

    it('keeps a ledger written to after it was marked, even long ago', async () => {
      const { knex, ledger, maintenance, gone } = await seeded();
      await maintenance.markCatalogPresence({
        present: [],
        missing: [gone],
        at: daysBefore(NOW, 400),
      });
      await ledger.appendEntry(entry({ entityRef: GONE, amount: 4 }));
      expect(await missingSince(knex, gone)).toBeNull();
      expect(await maintenance.expiredOrphans([gone], RETENTION_START)).toEqual(
        [],
      );
      expect(
        await maintenance.deleteOrphanedLedgers([gone], RETENTION_START),
      ).toBe(0);
      expect(await count(knex, 'trust_entries', gone)).toBe(3);
    });

    it('never loses a write that races a delete', async () => {
      const { knex, ledger, maintenance, gone } = await seeded();
      await maintenance.markCatalogPresence({
        present: [],
        missing: [gone],
        at: daysBefore(NOW, 100),
      });
      const [deleted] = await Promise.all([
        maintenance.deleteOrphanedLedgers([gone], RETENTION_START),
        ledger.appendEntry(entry({ entityRef: GONE, amount: 4 })),
      ]);
      // Either the write came first and the ledger stays whole, or the
      // delete did and the new entry starts a fresh ledger.
      const entries = await count(knex, 'trust_entries', gone);
      expect(
        deleted === 0 ? entries === 3 : deleted === 1 && entries === 1,
      ).toBe(true);
      expect(await missingSince(knex, gone)).toBeNull();
      expect(
        sumMismatches(
          await storedSums(knex, NOW),
          await bruteForceSums(knex, NOW, 180),
        ),
      ).toEqual([]);
    });

    it('handles more ids than one statement binds', async () => {
      const { knex, maintenance, gone } = await seeded();
      await knex.batchInsert(
        'freeboard_refs',
        Array.from({ length: 900 }, (_, i) => ({
          ref: `component:default/x-${i}`,
        })),
        100,
      );
      const ids = (await knex('freeboard_refs').select('id')).map(r =>
        Number(r.id),
      );
      await maintenance.markCatalogPresence({
        present: [],
        missing: ids,
        at: daysBefore(NOW, 100),
      });
      expect(
        (await maintenance.expiredOrphans(ids, RETENTION_START)).sort(
          (a, b) => a - b,
        ),
      ).toEqual([...ids].sort((a, b) => a - b));
      expect(
        await maintenance.deleteOrphanedLedgers(ids, RETENTION_START),
      ).toBe(ids.length);
      expect(await count(knex, 'trust_entries', gone)).toBe(0);
      const [{ n }] = await knex('trust_entries').count({ n: '*' });
      expect(Number(n)).toBe(0);
    });
  });
});
