import { ConflictError, NotFoundError } from '@backstage/errors';
import { DAY_MS } from './decay';
import {
  CAPABILITY,
  CHECKOUT,
  LEAD,
  NOW,
  PAYMENTS,
  bruteForceSums,
  daysBefore,
  entry,
  idOf,
  largestBalance,
  storedSums,
  sumMismatches,
  trustTestSetup,
} from './__testUtils__/trustStores';

jest.setTimeout(120_000);

const MIA = 'user:default/mia';

describe('DatabaseTrustLedgerStore', () => {
  const { databases, setup } = trustTestSetup();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('keeps the sums equal to the brute-force definition after writes and reverts', async () => {
      const { knex, ledger, reads } = await setup(databaseId);
      await ledger.appendEntry(entry({ consumerRef: PAYMENTS, amount: 30 }));
      const { entry: migration } = await ledger.appendEntry(
        entry({
          direction: 'spend',
          category: 'migration',
          amount: 25,
          consumerRef: PAYMENTS,
          occurredAt: daysBefore(NOW, 180),
        }),
      );
      await ledger.appendEntry(entry({ amount: 40, consumerRef: CHECKOUT }));
      const balances = await reads.getBalances(CAPABILITY, NOW, {
        consumerRefs: [PAYMENTS, CHECKOUT],
      });
      // The migration is one half-life old: it counts 12.5.
      expect(balances.totals).toMatchObject({
        balance: 30 - 12.5 + 40,
        earned: 70,
        spent: 12.5,
        entryCount: 3,
        lastEntryAt: NOW.toISOString(),
      });

      await ledger.revertEntry({
        entityRef: CAPABILITY,
        entryId: migration.id,
        reason: 'Never happened',
        recordedBy: LEAD,
        source: 'manual',
        recordedAt: NOW,
      });
      const sums = await storedSums(knex, NOW);
      expect(largestBalance(sums)).toBeGreaterThan(10);
      expect(sumMismatches(sums, await bruteForceSums(knex, NOW, 180))).toEqual(
        [],
      );
      // Reverting a spend takes it back from what was spent, not adds to earned.
      expect(sums.totals.get(CAPABILITY)).toMatchObject({ count: 4 });
      expect(sums.totals.get(CAPABILITY)!.spent).toBeCloseTo(0, 12);
      expect(sums.totals.get(CAPABILITY)!.earned).toBeCloseTo(70, 12);
    });

    it('reverts an entry once, taking it back from its own side', async () => {
      const { ledger, reads } = await setup(databaseId);
      const { entry: original } = await ledger.appendEntry(
        entry({ consumerRef: PAYMENTS }),
      );
      const revert = await ledger.revertEntry({
        entityRef: CAPABILITY,
        entryId: original.id,
        reason: 'Recorded on the wrong capability',
        recordedBy: LEAD,
        source: 'manual',
        recordedAt: NOW,
      });
      expect(revert).toMatchObject({
        direction: 'spend',
        revertsEntryId: original.id,
        description: 'Recorded on the wrong capability',
        occurredAt: original.occurredAt,
      });
      const { totals, consumers } = await reads.getBalances(CAPABILITY, NOW, {
        consumerRefs: [PAYMENTS],
      });
      expect(totals).toMatchObject({
        balance: 0,
        earned: 0,
        spent: 0,
        entryCount: 2,
      });
      expect(consumers).toEqual([
        { consumerRef: PAYMENTS, balance: 0, entryCount: 2 },
      ]);
      expect(
        (await reads.getEntry(CAPABILITY, original.id))?.revertedByEntryId,
      ).toBe(revert.id);

      const again = {
        entityRef: CAPABILITY,
        reason: 'again',
        recordedBy: LEAD,
        source: 'manual',
        recordedAt: NOW,
      };
      await expect(
        ledger.revertEntry({ ...again, entryId: original.id }),
      ).rejects.toThrow(ConflictError);
      await expect(
        ledger.revertEntry({ ...again, entryId: revert.id }),
      ).rejects.toThrow(ConflictError);
      await expect(
        ledger.revertEntry({ ...again, entryId: '999999' }),
      ).rejects.toThrow(NotFoundError);
      await expect(
        ledger.revertEntry({
          ...again,
          entityRef: 'component:default/other',
          entryId: original.id,
        }),
      ).rejects.toThrow(NotFoundError);
    });

    it('reverts an entry once under 10 concurrent reverts', async () => {
      const { knex, ledger } = await setup(databaseId);
      const { entry: original } = await ledger.appendEntry(
        entry({ amount: 20 }),
      );
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          ledger.revertEntry({
            entityRef: CAPABILITY,
            entryId: original.id,
            reason: 'dup',
            recordedBy: LEAD,
            source: 'manual',
            recordedAt: NOW,
          }),
        ),
      );
      expect(outcomes.filter(o => o.status === 'fulfilled')).toHaveLength(1);
      expect(
        outcomes
          .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
          .every(o => o.reason instanceof ConflictError),
      ).toBe(true);
      const sums = await storedSums(knex, NOW);
      expect(sumMismatches(sums, await bruteForceSums(knex, NOW, 180))).toEqual(
        [],
      );
      expect(sums.totals.get(CAPABILITY)!.count).toBe(2);
    });

    it('answers a repeated idempotency key with the first entry', async () => {
      const { ledger, reads } = await setup(databaseId);
      const idempotency = { key: 'k-1', requestHash: 'h-1' };
      const first = await ledger.appendEntry(entry(), { idempotency });
      const second = await ledger.appendEntry(entry(), { idempotency });
      expect(second.replayed).toBe(true);
      expect(second.entry).toEqual(first.entry);
      await expect(
        ledger.appendEntry(entry({ amount: 99 }), {
          idempotency: { key: 'k-1', requestHash: 'h-2' },
        }),
      ).rejects.toThrow(ConflictError);
      // Keys are scoped to the caller.
      const other = await ledger.appendEntry(
        entry({ recordedBy: 'user:default/grace' }),
        { idempotency },
      );
      expect(other.replayed).toBe(false);
      expect(
        (await reads.listEntries(CAPABILITY, { limit: 10 })).entries,
      ).toHaveLength(2);
    });

    it('leaves one entry after 10 concurrent writes with one idempotency key', async () => {
      const { ledger, reads } = await setup(databaseId);
      const idempotency = { key: 'retry-storm', requestHash: 'same' };
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          ledger.appendEntry(entry(), { idempotency }),
        ),
      );
      expect(new Set(results.map(r => r.entry.id)).size).toBe(1);
      expect(results.filter(r => !r.replayed)).toHaveLength(1);
      const { totals } = await reads.getBalances(CAPABILITY, NOW, {
        consumerRefs: [],
      });
      expect(totals).toMatchObject({ entryCount: 1, balance: 10 });
    });

    it('keeps the sums equal to a rebuild after 20 concurrent writes', async () => {
      const { knex, ledger, maintenance } = await setup(databaseId);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          ledger.appendEntry(
            entry({
              entityRef: i % 4 ? CAPABILITY : 'component:default/other',
              direction: i % 3 === 0 ? 'spend' : 'earn',
              category: i % 3 === 0 ? 'migration' : 'docs-improved',
              amount: 10 + i,
              consumerRef: i % 2 ? PAYMENTS : CHECKOUT,
              occurredAt: daysBefore(NOW, i * 7),
            }),
          ),
        ),
      );
      const before = await storedSums(knex, NOW);
      expect(before.totals.get(CAPABILITY)!.count).toBe(15);
      expect(largestBalance(before)).toBeGreaterThan(10);
      await maintenance.recomputeAggregates();
      const after = await storedSums(knex, NOW);
      expect(sumMismatches(before, after)).toEqual([]);
      expect(
        sumMismatches(after, await bruteForceSums(knex, NOW, 180)),
      ).toEqual([]);
    });

    it('refuses an entry whose weight is not finite, and writes nothing', async () => {
      const { knex, ledger, reads } = await setup(databaseId, {
        halfLifeDays: 7,
      });
      await expect(
        ledger.appendEntry(
          entry({ occurredAt: new Date(NOW.getTime() + 8000 * 7 * DAY_MS) }),
        ),
      ).rejects.toThrow(/non-finite/);
      expect(await reads.isEmpty()).toBe(true);
      const [{ n }] = await knex('trust_totals').count({ n: '*' });
      expect(Number(n)).toBe(0);
    });

    it('clears the retention mark of an entity written to, in the same transaction', async () => {
      const { knex, ledger, maintenance } = await setup(databaseId);
      await ledger.appendEntry(entry());
      const id = await idOf(knex, CAPABILITY);
      await maintenance.markCatalogPresence({
        present: [],
        missing: [id],
        at: NOW,
      });
      expect(
        (await knex('freeboard_refs').where({ id }).first()).missing_since,
      ).not.toBeNull();
      await ledger.appendEntry(entry({ amount: 3 }));
      expect(
        (await knex('freeboard_refs').where({ id }).first()).missing_since,
      ).toBeNull();

      // So does a pulse.
      await maintenance.markCatalogPresence({
        present: [],
        missing: [id],
        at: NOW,
      });
      await ledger.recordPulse({
        entityRef: CAPABILITY,
        userRef: MIA,
        sentiment: 'up',
        category: 'pulse-up',
        amount: 1,
        title: 'pulse',
        at: NOW,
      });
      expect(
        (await knex('freeboard_refs').where({ id }).first()).missing_since,
      ).toBeNull();
    });
  });
});
