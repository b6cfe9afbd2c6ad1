import { DAY_MS, dayOf } from './decay';
import { LeaderboardPosition, TrustLedgerStore } from './TrustStore';
import {
  CAPABILITY,
  CHECKOUT,
  LEAD,
  NOW,
  PAYMENTS,
  basisOf,
  bruteForceSums,
  bruteForceTrend,
  daysBefore,
  entry,
  isClose,
  largestBalance,
  rawSumRows,
  storedSums,
  sumMismatches,
  trustTestSetup,
} from './__testUtils__/trustStores';

jest.setTimeout(120_000);

const HALF_LIFE = 30;
/** Past the 16 half-lives after which a rebase is due. */
const LATER = new Date(NOW.getTime() + 17 * HALF_LIFE * DAY_MS);

const daysAfter = (at: Date, days: number) =>
  new Date(at.getTime() + days * DAY_MS);

/**
 * Ten entities with meaningful balances at LATER (tens of credits: their
 * entries are recent there, while the landmark lies 17 half-lives back), in
 * pairs of equal balances, plus a busy ledger on CAPABILITY.
 */
async function seedRecent(ledger: TrustLedgerStore) {
  for (let i = 0; i < 10; i++) {
    await ledger.appendEntry(
      entry({
        entityRef: `component:default/cap-${i}`,
        direction: i % 5 === 4 ? 'spend' : 'earn',
        amount: 20 + (i % 5) * 3,
        consumerRef: i % 2 ? PAYMENTS : CHECKOUT,
        occurredAt: daysBefore(LATER, (i % 5) * 9),
      }),
    );
  }
  for (let d = 0; d < 40; d++) {
    const { entry: written } = await ledger.appendEntry(
      entry({
        direction: d % 3 === 0 ? 'spend' : 'earn',
        amount: 5 + (d % 7),
        consumerRef: d % 2 ? PAYMENTS : CHECKOUT,
        occurredAt: new Date(daysBefore(LATER, d * 1.5).getTime() - 3600_000),
      }),
    );
    if (d % 10 === 5) {
      await ledger.revertEntry({
        entityRef: CAPABILITY,
        entryId: written.id,
        reason: 'wrong',
        recordedBy: LEAD,
        source: 'manual',
        recordedAt: LATER,
      });
    }
  }
}

describe('DatabaseTrustMaintenanceStore', () => {
  const { databases, setup, storesOn } = trustTestSetup();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    describe('rebaseIfDue', () => {
      it('moves the landmark without changing any sum, trend point or leaderboard page', async () => {
        const { knex, ledger, reads, maintenance } = await setup(databaseId, {
          halfLifeDays: HALF_LIFE,
          now: () => LATER,
        });
        await knex('trust_landmark').update({
          landmark_ms: dayOf(NOW.getTime()) * DAY_MS,
        });
        await seedRecent(ledger);
        const brute = await bruteForceSums(knex, LATER, HALF_LIFE);
        const before = await storedSums(knex, LATER);
        expect(sumMismatches(before, brute)).toEqual([]);
        expect(largestBalance(before)).toBeGreaterThan(20);
        const trendBefore = await reads.getTrend(CAPABILITY, 90, LATER);
        const firstPages = {
          desc: await reads.leaderboard({ order: 'desc', limit: 4 }, LATER),
          asc: await reads.leaderboard({ order: 'asc', limit: 3 }, LATER),
        };

        expect(await maintenance.rebaseIfDue(daysAfter(NOW, 1))).toBe(false);
        expect(await maintenance.rebaseIfDue(LATER)).toBe(true);
        expect(await basisOf(knex)).toMatchObject({
          landmarkMs: dayOf(LATER.getTime()) * DAY_MS,
          halfLifeDays: HALF_LIFE,
        });
        expect(await maintenance.rebaseIfDue(LATER)).toBe(false);

        // Totals, consumers and daily rows, unrounded, within 1e-9 relative.
        const after = await storedSums(knex, LATER);
        expect(sumMismatches(after, brute)).toEqual([]);
        expect(sumMismatches(after, before)).toEqual([]);

        const trendAfter = await reads.getTrend(CAPABILITY, 90, LATER);
        const trendBrute = await bruteForceTrend(
          knex,
          CAPABILITY,
          90,
          LATER,
          HALF_LIFE,
        );
        expect(Math.max(...trendBrute.map(Math.abs))).toBeGreaterThan(10);
        trendAfter.forEach((point, i) => {
          expect(point.date).toBe(trendBefore[i].date);
          // Points are rounded to a millionth; nothing else may differ.
          expect(Math.abs(point.balance - trendBrute[i])).toBeLessThanOrEqual(
            5e-7 + 1e-9 * Math.abs(trendBrute[i]),
          );
          expect(
            Math.abs(trendBefore[i].balance - trendBrute[i]),
          ).toBeLessThanOrEqual(5e-7 + 1e-9 * Math.abs(trendBrute[i]));
        });

        // A page fetched before the rebase continues after it.
        for (const order of ['desc', 'asc'] as const) {
          const first = firstPages[order];
          expect(first.hasMore).toBe(true);
          const seen = first.items.map(i => i.entityRef);
          let position: LeaderboardPosition | undefined =
            first.items[first.items.length - 1].position;
          for (let pages = 0; position && pages < 20; pages++) {
            const page = await reads.leaderboard(
              { order, limit: 3, after: position },
              LATER,
            );
            seen.push(...page.items.map(i => i.entityRef));
            position = page.hasMore
              ? page.items[page.items.length - 1].position
              : undefined;
          }
          const whole = await reads.leaderboard({ order, limit: 100 }, LATER);
          expect(whole.items).toHaveLength(11);
          expect(seen).toEqual(whole.items.map(i => i.entityRef));
        }
      });

      it('leaves the sums equal to a rebuild when it runs among 20 concurrent writes', async () => {
        const { knex, ledger, maintenance } = await setup(databaseId, {
          halfLifeDays: HALF_LIFE,
          now: () => LATER,
        });
        await knex('trust_landmark').update({
          landmark_ms: dayOf(NOW.getTime()) * DAY_MS,
        });
        await ledger.appendEntry(
          entry({ amount: 30, occurredAt: daysBefore(LATER, 3) }),
        );
        const write = (i: number) =>
          ledger.appendEntry(
            entry({
              entityRef: i % 3 ? CAPABILITY : 'component:default/other',
              direction: i % 4 === 0 ? 'spend' : 'earn',
              amount: 10 + i,
              consumerRef: i % 2 ? PAYMENTS : CHECKOUT,
              occurredAt: daysBefore(LATER, i * 2),
            }),
          );
        // Four writers of five entries each; the rebase starts once the
        // first entry is in, so that it lands among the others.
        let firstIn!: () => void;
        const started = new Promise<void>(resolve => (firstIn = resolve));
        const writers = [0, 1, 2, 3].map(async w => {
          for (let i = w; i < 20; i += 4) {
            await write(i);
            if (i === 0) firstIn();
          }
        });
        const [rebased] = await Promise.all([
          started.then(() => maintenance.rebaseIfDue(LATER)),
          ...writers,
        ]);
        expect(rebased).toBe(true);
        const before = await storedSums(knex, LATER);
        expect(before.totals.get(CAPABILITY)!.count).toBe(14);
        expect(before.totals.get('component:default/other')!.count).toBe(7);
        expect(largestBalance(before)).toBeGreaterThan(20);
        await maintenance.recomputeAggregates();
        const after = await storedSums(knex, LATER);
        expect(sumMismatches(before, after)).toEqual([]);
        expect(
          sumMismatches(after, await bruteForceSums(knex, LATER, HALF_LIFE)),
        ).toEqual([]);
      });

      it('rescales sums that have faded to nothing without an underflow', async () => {
        const { knex, maintenance, reads } = await setup(databaseId, {
          halfLifeDays: 7,
        });
        const refs = ['a', 'b', 'c', 'd'].map(n => ({
          ref: `component:default/${n}`,
        }));
        await knex('freeboard_refs').insert(refs);
        const ids = (await knex('freeboard_refs').orderBy('id')).map(r =>
          Number(r.id),
        );
        const values = [1e-300, 1e-275, 1e-200, 25];
        await knex('trust_totals').insert(
          ids.map((id, i) => ({
            entity_id: id,
            earned_fwd: values[i],
            spent_fwd: values[i] / 2,
            balance_fwd: values[i],
            entry_count: 1,
          })),
        );
        await knex('trust_consumer_totals').insert(
          ids.map((id, i) => ({
            entity_id: id,
            consumer_id: ids[0],
            balance_fwd: values[i],
            entry_count: 1,
          })),
        );
        await knex('trust_daily').insert(
          ids.map((id, i) => ({
            entity_id: id,
            day: dayOf(NOW.getTime()),
            balance_fwd: -values[i],
          })),
        );
        // 200 half-lives without maintenance: the scale is 2^-200.
        const at = daysAfter(NOW, 200 * 7);
        await expect(maintenance.rebaseIfDue(at)).resolves.toBe(true);
        const rows = await rawSumRows(knex);
        for (const row of [...rows.totals, ...rows.consumers, ...rows.daily]) {
          expect(Number.isFinite(Number(row.balance_fwd))).toBe(true);
        }
        const last = rows.totals[3];
        expect(isClose(Number(last.balance_fwd) * 2 ** 200, 25, 1e-12)).toBe(
          true,
        );
        expect(isClose(Number(last.spent_fwd) * 2 ** 200, 12.5, 1e-12)).toBe(
          true,
        );
        for (const row of rows.totals.slice(0, 2)) {
          expect(Math.abs(Number(row.balance_fwd))).toBeLessThan(1e-300);
        }
        const { totals } = await reads.getBalances('component:default/d', at, {
          consumerRefs: [],
        });
        expect(totals?.balance).toBe(0);
      });
    });

    it('keeps a year of trend after old daily sums are pruned', async () => {
      const { knex, ledger, reads, maintenance } = await setup(databaseId);
      for (const daysAgo of [900, 500, 366, 200, 30, 1]) {
        await ledger.appendEntry(
          entry({ amount: 10, occurredAt: daysBefore(NOW, daysAgo) }),
        );
      }
      const before = await reads.getTrend(CAPABILITY, 365, NOW);
      expect(await maintenance.pruneDailyHistory(NOW)).toBe(2);
      const [{ n }] = await knex('trust_daily').count({ n: '*' });
      expect(Number(n)).toBe(4);
      expect(await reads.getTrend(CAPABILITY, 365, NOW)).toEqual(before);
      expect(await maintenance.pruneDailyHistory(NOW)).toBe(0);
    });

    it('purges idempotency keys older than a time', async () => {
      let clock = daysBefore(NOW, 2);
      const { knex, ledger } = await setup(databaseId, { now: () => clock });
      await ledger.appendEntry(entry(), {
        idempotency: { key: 'old', requestHash: 'h' },
      });
      clock = NOW;
      await ledger.appendEntry(entry(), {
        idempotency: { key: 'new', requestHash: 'h' },
      });
      const { maintenance } = await storesOn(knex);
      expect(await maintenance.purgeIdempotencyKeys(daysBefore(NOW, 1))).toBe(
        1,
      );
      expect(
        (await knex('trust_idempotency')).map(r => r.idempotency_key),
      ).toEqual(['new']);
      // The purged key is free again: the same request writes a new entry.
      const again = await ledger.appendEntry(entry(), {
        idempotency: { key: 'old', requestHash: 'other' },
      });
      expect(again.replayed).toBe(false);
    });
  });
});
