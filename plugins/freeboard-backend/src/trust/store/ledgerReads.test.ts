import { DAY_MS, dayOf } from './decay';
import { EntryPosition } from './TrustStore';
import {
  CAPABILITY,
  CHECKOUT,
  LEAD,
  NOW,
  PAYMENTS,
  bruteForceSums,
  daysBefore,
  entry,
  trustTestSetup,
} from './__testUtils__/trustStores';

jest.setTimeout(120_000);

describe('DatabaseTrustReadStore', () => {
  const { databases, setup } = trustTestSetup();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('pages through entries newest first, with filters', async () => {
      const { ledger, reads } = await setup(databaseId);
      await ledger.appendEntry(entry({ consumerRef: PAYMENTS }));
      await ledger.appendEntry(
        entry({
          direction: 'spend',
          category: 'migration',
          amount: 25,
          title: 'Move to v2 pipelines',
          consumerRef: PAYMENTS,
          occurredAt: daysBefore(NOW, 180),
        }),
      );
      await ledger.appendEntry(entry({ amount: 4, consumerRef: CHECKOUT }));

      const first = await reads.listEntries(CAPABILITY, { limit: 2 });
      expect(first.entries.map(e => e.amount)).toEqual([4, 10]);
      expect(first.next).toEqual({
        occurredAtMs: NOW.getTime(),
        id: Number(first.entries[1].id),
      });
      const second = await reads.listEntries(CAPABILITY, {
        limit: 2,
        after: first.next,
      });
      expect(second.entries.map(e => e.title)).toEqual([
        'Move to v2 pipelines',
      ]);
      expect(second.next).toBeUndefined();
      // A page that ends exactly at the last entry says so.
      expect(
        (await reads.listEntries(CAPABILITY, { limit: 3 })).next,
      ).toBeUndefined();

      expect(
        (await reads.listEntries(CAPABILITY, { limit: 10, direction: 'spend' }))
          .entries,
      ).toHaveLength(1);
      expect(
        (
          await reads.listEntries(CAPABILITY, {
            limit: 10,
            category: 'migration',
          })
        ).entries,
      ).toHaveLength(1);
      const forCheckout = await reads.listEntries(CAPABILITY, {
        limit: 10,
        consumerRef: CHECKOUT,
      });
      expect(forCheckout.entries).toEqual([
        expect.objectContaining({
          amount: 4,
          entityRef: CAPABILITY,
          recordedBy: LEAD,
          consumerRef: CHECKOUT,
          source: 'manual',
        }),
      ]);
      expect(
        await reads.listEntries(CAPABILITY, {
          limit: 10,
          consumerRef: 'group:default/nobody',
        }),
      ).toEqual({ entries: [] });
      expect(
        await reads.listEntries('component:default/nothing', { limit: 10 }),
      ).toEqual({
        entries: [],
      });
    });

    it('pages through 50 entries that happened at the same moment', async () => {
      const { ledger, reads } = await setup(databaseId);
      const ids: string[] = [];
      for (let i = 0; i < 50; i++) {
        ids.push((await ledger.appendEntry(entry({ amount: 1 + i }))).entry.id);
      }
      // One earlier entry after them, so the last page ends on another time.
      await ledger.appendEntry(
        entry({ occurredAt: daysBefore(NOW, 1), title: 'older' }),
      );
      const seen: string[] = [];
      let after: EntryPosition | undefined;
      let pages = 0;
      do {
        const page = await reads.listEntries(CAPABILITY, { limit: 7, after });
        seen.push(...page.entries.map(e => e.id));
        after = page.next;
        pages += 1;
      } while (after && pages < 20);
      expect(pages).toBe(8);
      // Ids pass 9 -> 10 inside a page: compared as numbers, not text.
      expect(seen.slice(0, 50)).toEqual([...ids].reverse());
      expect(seen).toHaveLength(51);
      expect(new Set(seen).size).toBe(51);
    });

    it('reads the totals and the named consumers of an entity', async () => {
      const { ledger, reads } = await setup(databaseId);
      await ledger.appendEntry(entry({ consumerRef: PAYMENTS, amount: 30 }));
      await ledger.appendEntry(
        entry({
          direction: 'spend',
          category: 'migration',
          amount: 12,
          consumerRef: CHECKOUT,
        }),
      );
      await ledger.appendEntry(
        entry({ amount: 5, consumerRef: 'group:default/billing' }),
      );
      await ledger.appendEntry(
        entry({ entityRef: 'component:default/other', consumerRef: PAYMENTS }),
      );

      const balances = await reads.getBalances(CAPABILITY, NOW, {
        consumerRefs: [PAYMENTS, CHECKOUT, 'group:default/unknown'],
      });
      expect(balances.totals).toEqual({
        entityRef: CAPABILITY,
        balance: 23,
        earned: 35,
        spent: 12,
        entryCount: 3,
        lastEntryAt: NOW.toISOString(),
      });
      expect(
        [...balances.consumers].sort((a, b) => a.balance - b.balance),
      ).toEqual([
        { consumerRef: CHECKOUT, balance: -12, entryCount: 1 },
        { consumerRef: PAYMENTS, balance: 30, entryCount: 1 },
      ]);
      expect(
        (await reads.getBalances(CAPABILITY, NOW, { consumerRefs: [] }))
          .consumers,
      ).toEqual([]);
      expect(
        await reads.getBalances('component:default/nothing', NOW, {
          consumerRefs: [PAYMENTS],
        }),
      ).toEqual({ totals: undefined, consumers: [] });
    });

    it('gathers summary parts for many entities in one go', async () => {
      const { ledger, reads } = await setup(databaseId);
      const other = 'component:default/kubernetes-runtime';
      for (const [i, team] of ['a', 'b', 'c'].entries()) {
        await ledger.appendEntry(
          entry({ amount: 1 + i, consumerRef: `group:default/${team}` }),
        );
        await ledger.appendEntry(
          entry({
            entityRef: other,
            amount: 5 - i,
            consumerRef: `group:default/${team}`,
          }),
        );
      }
      await ledger.recordPulse({
        entityRef: other,
        userRef: 'user:default/mia',
        sentiment: 'down',
        category: 'pulse-down',
        amount: 1,
        title: 'pulse',
        at: daysBefore(NOW, 10),
      });
      const parts = await reads.getSummaryParts(
        [CAPABILITY, other, 'component:default/no-ledger', CAPABILITY],
        NOW,
        {
          consumerLimit: 2,
          pulseSince: [daysBefore(NOW, 30), daysBefore(NOW, 7)],
        },
      );
      expect([...parts.keys()].sort()).toEqual([CAPABILITY, other]);
      expect(parts.get(CAPABILITY)!.consumers.map(c => c.consumerRef)).toEqual([
        'group:default/a',
        'group:default/b',
      ]);
      expect(parts.get(other)!.consumers.map(c => c.balance)).toEqual([3, 4]);
      expect(parts.get(other)!.pulses).toEqual([
        { up: 0, down: 1 },
        { up: 0, down: 0 },
      ]);
      expect(parts.get(CAPABILITY)!.totals.balance).toBe(6);
      expect(
        await reads.getSummaryParts([], NOW, {
          consumerLimit: 2,
          pulseSince: [],
        }),
      ).toEqual(new Map());
    });

    it('finds entries by id only on their own entity', async () => {
      const { ledger, reads } = await setup(databaseId);
      expect(await reads.isEmpty()).toBe(true);
      await reads.ping();
      const { entry: a } = await ledger.appendEntry(entry());
      const { entry: b } = await ledger.appendEntry(
        entry({ entityRef: 'component:default/b' }),
      );
      expect(await reads.isEmpty()).toBe(false);
      expect(await reads.getEntry(CAPABILITY, a.id)).toEqual(a);
      expect(await reads.getEntry(CAPABILITY, b.id)).toBeUndefined();
      expect(
        (await reads.getEntries([b.id, a.id, '999'])).map(e => e.id).sort(),
      ).toEqual([a.id, b.id].sort());
      expect(await reads.getEntries([])).toEqual([]);
    });

    it('draws a daily trend that ends at the current balance', async () => {
      const { knex, ledger, reads } = await setup(databaseId);
      await ledger.appendEntry(
        entry({ amount: 20, occurredAt: daysBefore(NOW, 10) }),
      );
      await ledger.appendEntry(
        entry({
          direction: 'spend',
          category: 'outage',
          amount: 30,
          occurredAt: daysBefore(NOW, 2),
        }),
      );
      // Dated slightly ahead: counts from its own day on.
      await ledger.appendEntry(
        entry({ amount: 7, occurredAt: new Date(NOW.getTime() + DAY_MS) }),
      );
      const trend = await reads.getTrend(CAPABILITY, 30, NOW);
      expect(trend).toHaveLength(30);
      expect(trend[29].date).toBe('2026-11-21');
      expect(trend[0]).toEqual({ date: '2026-10-23', balance: 0 });
      // Each point is the brute-force balance at the end of its day.
      const rows = await bruteForceSums(knex, NOW, 180);
      expect(rows.totals.get(CAPABILITY)!.count).toBe(3);
      const today = dayOf(NOW.getTime());
      trend.forEach((point, i) => {
        const day = today - 29 + i;
        const endMs = day === today ? NOW.getTime() : (day + 1) * DAY_MS;
        const expected =
          (day >= today - 10
            ? 20 *
              Math.pow(
                0.5,
                (endMs - daysBefore(NOW, 10).getTime()) / (180 * DAY_MS),
              )
            : 0) -
          (day >= today - 2
            ? 30 *
              Math.pow(
                0.5,
                (endMs - daysBefore(NOW, 2).getTime()) / (180 * DAY_MS),
              )
            : 0);
        expect(Math.abs(point.balance - expected)).toBeLessThanOrEqual(5.1e-7);
      });
      expect(trend[29].balance).toBeLessThan(-9);
      expect(await reads.getTrend('component:default/nothing', 3, NOW)).toEqual(
        [
          { date: '2026-11-19', balance: 0 },
          { date: '2026-11-20', balance: 0 },
          { date: '2026-11-21', balance: 0 },
        ],
      );
    });

    it('orders the leaderboard by current balance, page by page, ties by id', async () => {
      const { ledger, reads } = await setup(databaseId);
      for (let i = 0; i < 9; i++) {
        await ledger.appendEntry(
          entry({
            entityRef: `component:default/cap-${i}`,
            direction: i < 6 ? 'earn' : 'spend',
            category: i < 6 ? 'self-service' : 'mandate',
            // Three pairs of equal balances (0 and 3, 1 and 4, 2 and 5).
            amount: 5 + (i % 3) * 2,
            occurredAt: daysBefore(NOW, (i % 3) * 30),
          }),
        );
      }
      for (const order of ['desc', 'asc'] as const) {
        const all = [];
        let after;
        let pages = 0;
        do {
          const page = await reads.leaderboard({ order, limit: 2, after }, NOW);
          all.push(...page.items);
          after = page.hasMore
            ? page.items[page.items.length - 1].position
            : undefined;
          pages += 1;
        } while (after && pages < 20);
        expect(all).toHaveLength(9);
        expect(new Set(all.map(i => i.entityRef)).size).toBe(9);
        const balances = all.map(i => i.balance);
        const sorted = [...balances].sort((a, b) =>
          order === 'desc' ? b - a : a - b,
        );
        expect(balances).toEqual(sorted);
      }
      const top = await reads.leaderboard({ order: 'desc', limit: 1 }, NOW);
      const bottom = await reads.leaderboard({ order: 'asc', limit: 1 }, NOW);
      expect(top.items[0].balance).toBeGreaterThan(0);
      expect(bottom.items[0].balance).toBeLessThan(0);
    });
  });
});
