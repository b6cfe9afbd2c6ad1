import { DAY_MS, dayOf } from './decay';
import { TrustLedgerStore } from './TrustStore';
import {
  CAPABILITY,
  CHECKOUT,
  LEAD,
  NOW,
  PAYMENTS,
  basisOf,
  bruteForceSums,
  daysBefore,
  entry,
  largestBalance,
  rawSumRows,
  storedSums,
  sumMismatches,
  trustTestSetup,
} from './__testUtils__/trustStores';

jest.setTimeout(120_000);

const daysAfter = (at: Date, days: number) =>
  new Date(at.getTime() + days * DAY_MS);

describe('DatabaseTrustMaintenanceStore.applyHalfLife', () => {
  const { databases, setup, storesOn } = trustTestSetup();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function seedYear(ledger: TrustLedgerStore) {
      for (let d = 0; d < 380; d += 19) {
        const { entry: written } = await ledger.appendEntry(
          entry({
            entityRef: d % 38 ? CAPABILITY : 'component:default/other',
            direction: d % 57 === 0 ? 'spend' : 'earn',
            amount: 10 + (d % 30),
            consumerRef: d % 2 ? PAYMENTS : CHECKOUT,
            occurredAt: daysBefore(NOW, d),
          }),
        );
        if (d === 95) {
          await ledger.revertEntry({
            entityRef: CAPABILITY,
            entryId: written.id,
            reason: 'wrong',
            recordedBy: LEAD,
            source: 'manual',
            recordedAt: NOW,
          });
        }
      }
    }

    it('rebuilds the sums for a new half-life from a landmark of today, once', async () => {
      let clock = daysBefore(NOW, 400);
      const { knex, ledger, reads, maintenance } = await setup(databaseId, {
        now: () => clock,
      });
      const firstLandmark = dayOf(clock.getTime()) * DAY_MS;
      clock = NOW;
      await seedYear(ledger);

      expect(await maintenance.applyHalfLife(180)).toBe(false);
      expect(await basisOf(knex)).toMatchObject({
        landmarkMs: firstLandmark,
        halfLifeDays: 180,
      });

      expect(await maintenance.applyHalfLife(90)).toBe(true);
      expect(await basisOf(knex)).toMatchObject({
        landmarkMs: dayOf(NOW.getTime()) * DAY_MS,
        halfLifeDays: 90,
      });
      const sums = await storedSums(knex, NOW);
      const brute = await bruteForceSums(knex, NOW, 90);
      expect(largestBalance(sums)).toBeGreaterThan(10);
      expect(sumMismatches(sums, brute)).toEqual([]);
      const { totals } = await reads.getBalances(CAPABILITY, NOW, {
        consumerRefs: [],
      });
      expect(
        Math.abs(totals!.balance - brute.totals.get(CAPABILITY)!.balance),
      ).toBeLessThanOrEqual(5e-7);

      // Unchanged: nothing moves, even days later.
      const rows = await rawSumRows(knex);
      clock = daysAfter(NOW, 3);
      expect(await maintenance.applyHalfLife(90)).toBe(false);
      expect(await basisOf(knex)).toMatchObject({
        landmarkMs: dayOf(NOW.getTime()) * DAY_MS,
      });
      expect(await rawSumRows(knex)).toEqual(rows);
    });

    it('rebuilds once when three replicas apply the new half-life together', async () => {
      const { knex, ledger } = await setup(databaseId);
      await seedYear(ledger);
      const replicas = await Promise.all([1, 2, 3].map(() => storesOn(knex)));
      const rebuilt = await Promise.all(
        replicas.map(r => r.maintenance.applyHalfLife(90)),
      );
      expect(rebuilt.filter(Boolean)).toHaveLength(1);
      expect(
        sumMismatches(
          await storedSums(knex, NOW),
          await bruteForceSums(knex, NOW, 90),
        ),
      ).toEqual([]);
    });

    it('keeps every sum finite under a 7-day half-life over entries years old', async () => {
      let clock = daysBefore(NOW, 20 * 365);
      const { knex, ledger, reads, maintenance } = await setup(databaseId, {
        now: () => clock,
      });
      clock = NOW;
      const ages = [20 * 365 - 1, 12 * 365, 3 * 365, 365, 30, 2, 0];
      for (const [i, age] of ages.entries()) {
        await ledger.appendEntry(
          entry({
            entityRef: i % 2 ? CAPABILITY : 'component:default/other',
            amount: 10 * (i + 1),
            consumerRef: PAYMENTS,
            occurredAt: daysBefore(NOW, age),
          }),
        );
      }
      expect(await maintenance.applyHalfLife(7)).toBe(true);
      // A late write of a very old entry still adds a finite amount.
      await ledger.appendEntry(
        entry({ amount: 50, occurredAt: daysBefore(NOW, 19 * 365) }),
      );

      const rows = await rawSumRows(knex);
      for (const row of [...rows.totals, ...rows.consumers, ...rows.daily]) {
        expect(Number.isFinite(Number(row.balance_fwd))).toBe(true);
      }
      const sums = await storedSums(knex, NOW);
      const brute = await bruteForceSums(knex, NOW, 7);
      expect(sumMismatches(sums, brute)).toEqual([]);
      expect(largestBalance(sums)).toBeGreaterThan(70);

      const board = await reads.leaderboard({ order: 'desc', limit: 10 }, NOW);
      expect(board.items.map(i => i.entityRef)).toEqual([
        'component:default/other',
        CAPABILITY,
      ]);
      for (const item of board.items) {
        expect(Number.isFinite(item.position.storedBalance)).toBe(true);
        expect(
          Math.abs(item.balance - brute.totals.get(item.entityRef)!.balance),
        ).toBeLessThanOrEqual(5e-7);
      }
      const trend = await reads.getTrend(CAPABILITY, 365, NOW);
      expect(trend.every(p => Number.isFinite(p.balance))).toBe(true);
    });
  });
});
