import { TestDatabaseId } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DAY_MS } from '../trust/decay';
import { DatabaseTrustStore } from './DatabaseTrustStore';
import { NewLedgerEntry } from './TrustStore';

jest.setTimeout(120_000);

const CAPABILITY = 'component:default/ci-pipelines';
const PAYMENTS = 'group:default/payments';
const CHECKOUT = 'group:default/checkout';
const LEAD = 'user:default/ada';
const NOW = new Date('2026-11-21T12:00:00Z');

function entry(overrides: Partial<NewLedgerEntry> = {}): NewLedgerEntry {
  return {
    entityRef: CAPABILITY,
    direction: 'earn',
    category: 'pain-point-removed',
    amount: 10,
    title: 'Cached builds',
    occurredAt: NOW,
    recordedBy: LEAD,
    source: 'manual',
    ...overrides,
  };
}

describe('DatabaseTrustStore', () => {
  const databases = createTestDatabases();
  const knexes: Knex[] = [];

  afterAll(async () => {
    await Promise.all(knexes.map(k => k.destroy()));
  });

  async function createStore(
    databaseId: TestDatabaseId,
    options: { halfLifeDays?: number; now?: () => Date } = {},
  ) {
    const knex = await databases.init(databaseId);
    knexes.push(knex);
    const store = await DatabaseTrustStore.create({
      database: { getClient: async () => knex },
      halfLifeDays: options.halfLifeDays ?? 180,
      now: options.now ?? (() => NOW),
    });
    return { store, knex };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('keeps totals, consumer balances and pages of entries', async () => {
      const { store } = await createStore(databaseId);
      await store.appendEntry(entry({ consumerRef: PAYMENTS }));
      await store.appendEntry(
        entry({
          direction: 'spend',
          category: 'migration',
          amount: 25,
          title: 'Move to v2 pipelines',
          consumerRef: PAYMENTS,
          occurredAt: new Date(NOW.getTime() - 180 * DAY_MS),
        }),
      );
      await store.appendEntry(entry({ amount: 4, consumerRef: CHECKOUT }));

      const totals = (await store.getTotals([CAPABILITY], NOW)).get(
        CAPABILITY,
      )!;
      // The migration is one half-life old: it counts 12.5.
      expect(totals.balance).toBeCloseTo(10 - 12.5 + 4, 9);
      expect(totals.earned).toBeCloseTo(14, 9);
      expect(totals.spent).toBeCloseTo(12.5, 9);
      expect(totals.entryCount).toBe(3);
      expect(totals.lastEntryAt).toBe(NOW.toISOString());

      const consumers = await store.getConsumerTotals(CAPABILITY, NOW);
      expect(consumers.map(c => c.consumerRef)).toEqual([PAYMENTS, CHECKOUT]);
      expect(consumers[0].balance).toBeCloseTo(-2.5, 9);

      const first = await store.listEntries(CAPABILITY, { limit: 2 });
      expect(first.entries).toHaveLength(2);
      expect(first.nextCursor).toBeDefined();
      const second = await store.listEntries(CAPABILITY, {
        limit: 2,
        cursor: first.nextCursor,
      });
      expect(second.entries.map(e => e.title)).toEqual([
        'Move to v2 pipelines',
      ]);
      expect(second.nextCursor).toBeUndefined();

      const spends = await store.listEntries(CAPABILITY, {
        limit: 10,
        direction: 'spend',
      });
      expect(spends.entries).toHaveLength(1);
      const forCheckout = await store.listEntries(CAPABILITY, {
        limit: 10,
        consumerRef: CHECKOUT,
      });
      expect(forCheckout.entries.map(e => e.amount)).toEqual([4]);
      expect(forCheckout.entries[0]).toMatchObject({
        entityRef: CAPABILITY,
        recordedBy: LEAD,
        consumerRef: CHECKOUT,
        source: 'manual',
      });
    });

    it('gathers summary parts for many entities in one go', async () => {
      const { store } = await createStore(databaseId);
      const other = 'component:default/kubernetes-runtime';
      for (const [i, team] of ['a', 'b', 'c'].entries()) {
        await store.appendEntry(
          entry({ amount: 1 + i, consumerRef: `group:default/${team}` }),
        );
        await store.appendEntry(
          entry({
            entityRef: other,
            amount: 5 - i,
            consumerRef: `group:default/${team}`,
          }),
        );
      }
      await store.recordPulse({
        entityRef: other,
        userRef: 'user:default/mia',
        sentiment: 'down',
        category: 'pulse-down',
        amount: 1,
        title: 'pulse',
        at: new Date(NOW.getTime() - 10 * DAY_MS),
      });
      const parts = await store.getSummaryParts(
        [CAPABILITY, other, 'component:default/no-ledger'],
        NOW,
        {
          consumerLimit: 2,
          pulseSince: [
            new Date(NOW.getTime() - 30 * DAY_MS),
            new Date(NOW.getTime() - 7 * DAY_MS),
          ],
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
      expect(parts.get(CAPABILITY)!.totals.balance).toBeCloseTo(6, 9);
    });

    it('reverts an entry once, taking it back from its own side', async () => {
      const { store } = await createStore(databaseId);
      const { entry: original } = await store.appendEntry(
        entry({ consumerRef: PAYMENTS }),
      );
      const revert = await store.revertEntry({
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
      });
      const totals = (await store.getTotals([CAPABILITY], NOW)).get(
        CAPABILITY,
      )!;
      expect(totals.balance).toBeCloseTo(0, 12);
      expect(totals.earned).toBeCloseTo(0, 12);
      expect(totals.spent).toBeCloseTo(0, 12);

      const listed = await store.listEntries(CAPABILITY, { limit: 10 });
      expect(
        listed.entries.find(e => e.id === original.id)?.revertedByEntryId,
      ).toBe(revert.id);

      const again = {
        entityRef: CAPABILITY,
        reason: 'again',
        recordedBy: LEAD,
        source: 'manual',
        recordedAt: NOW,
      };
      await expect(
        store.revertEntry({ ...again, entryId: original.id }),
      ).rejects.toThrow(ConflictError);
      await expect(
        store.revertEntry({ ...again, entryId: revert.id }),
      ).rejects.toThrow(ConflictError);
      await expect(
        store.revertEntry({ ...again, entryId: '999999' }),
      ).rejects.toThrow(NotFoundError);
      await expect(
        store.revertEntry({
          ...again,
          entityRef: 'component:default/other',
          entryId: original.id,
        }),
      ).rejects.toThrow(NotFoundError);
    });

    it('answers a repeated idempotency key with the first entry', async () => {
      const { store } = await createStore(databaseId);
      const idempotency = { key: 'k-1', requestHash: 'h-1' };
      const first = await store.appendEntry(entry(), { idempotency });
      const second = await store.appendEntry(entry(), { idempotency });
      expect(second.replayed).toBe(true);
      expect(second.entry.id).toBe(first.entry.id);
      await expect(
        store.appendEntry(entry({ amount: 99 }), {
          idempotency: { key: 'k-1', requestHash: 'h-2' },
        }),
      ).rejects.toThrow(ConflictError);
      // Keys are scoped to the caller.
      const other = await store.appendEntry(
        entry({ recordedBy: 'user:default/grace' }),
        { idempotency },
      );
      expect(other.replayed).toBe(false);
      expect(
        (await store.listEntries(CAPABILITY, { limit: 10 })).entries,
      ).toHaveLength(2);
    });

    it('leaves one entry after 10 concurrent writes with one idempotency key', async () => {
      const { store } = await createStore(databaseId);
      const idempotency = { key: 'retry-storm', requestHash: 'same' };
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          store.appendEntry(entry(), { idempotency }),
        ),
      );
      expect(new Set(results.map(r => r.entry.id)).size).toBe(1);
      expect(results.filter(r => !r.replayed)).toHaveLength(1);
      const totals = (await store.getTotals([CAPABILITY], NOW)).get(
        CAPABILITY,
      )!;
      expect(totals.entryCount).toBe(1);
      expect(totals.balance).toBeCloseTo(10, 12);
    });

    it('keeps aggregates equal to a recomputation after 20 concurrent writes', async () => {
      const { store } = await createStore(databaseId);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.appendEntry(
            entry({
              direction: i % 3 === 0 ? 'spend' : 'earn',
              category: i % 3 === 0 ? 'migration' : 'docs-improved',
              amount: 1 + i,
              consumerRef: i % 2 ? PAYMENTS : CHECKOUT,
              occurredAt: new Date(NOW.getTime() - i * 7 * DAY_MS),
            }),
          ),
        ),
      );
      const before = (await store.getTotals([CAPABILITY], NOW)).get(
        CAPABILITY,
      )!;
      const consumersBefore = await store.getConsumerTotals(CAPABILITY, NOW);
      const trendBefore = await store.getTrend(CAPABILITY, 200, NOW);
      expect(before.entryCount).toBe(20);

      await store.recomputeAggregates();

      const after = (await store.getTotals([CAPABILITY], NOW)).get(CAPABILITY)!;
      expect(after.entryCount).toBe(20);
      expect(after.balance).toBeCloseTo(before.balance, 9);
      expect(after.earned).toBeCloseTo(before.earned, 9);
      expect(after.spent).toBeCloseTo(before.spent, 9);
      const consumersAfter = await store.getConsumerTotals(CAPABILITY, NOW);
      expect(consumersAfter.map(c => c.consumerRef)).toEqual(
        consumersBefore.map(c => c.consumerRef),
      );
      consumersAfter.forEach((c, i) =>
        expect(c.balance).toBeCloseTo(consumersBefore[i].balance, 9),
      );
      const trendAfter = await store.getTrend(CAPABILITY, 200, NOW);
      trendAfter.forEach((p, i) =>
        expect(p.balance).toBeCloseTo(trendBefore[i].balance, 9),
      );
    });

    it('draws a daily trend that ends at the current balance', async () => {
      const { store } = await createStore(databaseId);
      await store.appendEntry(
        entry({
          amount: 20,
          occurredAt: new Date(NOW.getTime() - 10 * DAY_MS),
        }),
      );
      await store.appendEntry(
        entry({
          direction: 'spend',
          category: 'outage',
          amount: 30,
          occurredAt: new Date(NOW.getTime() - 2 * DAY_MS),
        }),
      );
      const trend = await store.getTrend(CAPABILITY, 30, NOW);
      expect(trend).toHaveLength(30);
      expect(trend[29].date).toBe('2026-11-21');
      expect(trend[0].balance).toBe(0);
      const eightDaysAgo = trend[29 - 8].balance;
      expect(eightDaysAgo).toBeGreaterThan(19);
      expect(eightDaysAgo).toBeLessThan(20);
      const total = (await store.getTotals([CAPABILITY], NOW)).get(CAPABILITY)!;
      expect(trend[29].balance).toBeCloseTo(total.balance, 9);
      expect(trend[29].balance).toBeLessThan(0);
    });

    it('keeps a year of trend after old daily sums are pruned', async () => {
      const { store, knex } = await createStore(databaseId);
      for (const daysAgo of [900, 500, 366, 200, 30, 1]) {
        await store.appendEntry(
          entry({
            amount: 10,
            occurredAt: new Date(NOW.getTime() - daysAgo * DAY_MS),
          }),
        );
      }
      const before = await store.getTrend(CAPABILITY, 365, NOW);
      expect(await store.pruneDailyHistory(NOW)).toBe(2);
      const [{ n }] = await knex('trust_daily').count({ n: '*' });
      expect(Number(n)).toBe(4);
      expect(await store.getTrend(CAPABILITY, 365, NOW)).toEqual(before);
    });

    it('counts one pulse per person per week and replaces it on a change of mind', async () => {
      let now = NOW;
      const { store } = await createStore(databaseId, { now: () => now });
      const pulse = (userRef: string, sentiment: 'up' | 'down', at: Date) =>
        store.recordPulse({
          entityRef: CAPABILITY,
          userRef,
          sentiment,
          category: sentiment === 'up' ? 'pulse-up' : 'pulse-down',
          amount: 1,
          title: 'pulse',
          at,
        });
      const countPulses = async (since: Date) =>
        (
          await store.getSummaryParts([CAPABILITY], now, {
            consumerLimit: 0,
            pulseSince: [since],
          })
        ).get(CAPABILITY)!.pulses[0];
      expect((await pulse('user:default/mia', 'up', NOW)).replaced).toBe(false);
      expect(
        (
          await pulse(
            'user:default/mia',
            'down',
            new Date(NOW.getTime() + DAY_MS),
          )
        ).replaced,
      ).toBe(true);
      await pulse('user:default/leo', 'up', NOW);
      now = new Date(NOW.getTime() + DAY_MS);
      const since = new Date(NOW.getTime() - 7 * DAY_MS);
      expect(await countPulses(since)).toEqual({
        up: 1,
        down: 1,
      });
      // A week later the same person's pulse counts again.
      expect(
        (
          await pulse(
            'user:default/mia',
            'up',
            new Date(NOW.getTime() + 8 * DAY_MS),
          )
        ).replaced,
      ).toBe(false);
      expect(await countPulses(new Date(NOW.getTime() - 30 * DAY_MS))).toEqual({
        up: 2,
        down: 1,
      });
      const later = new Date(NOW.getTime() + 8 * DAY_MS);
      const totals = (await store.getTotals([CAPABILITY], later)).get(
        CAPABILITY,
      )!;
      // mia's first pulse was replaced: only her -1, leo's +1 and her later +1 count.
      const week = Math.pow(0.5, 7 / 180);
      const eightDays = Math.pow(0.5, 8 / 180);
      expect(totals.balance).toBeCloseTo(-week + eightDays + 1, 5);
    });

    it('orders the leaderboard by current balance, page by page', async () => {
      const { store } = await createStore(databaseId);
      for (let i = 0; i < 7; i++) {
        await store.appendEntry(
          entry({
            entityRef: `component:default/cap-${i}`,
            direction: i % 2 ? 'spend' : 'earn',
            category: i % 2 ? 'mandate' : 'self-service',
            amount: 5 + i,
            occurredAt: new Date(NOW.getTime() - i * 30 * DAY_MS),
          }),
        );
      }
      const all = [];
      let cursor: string | undefined;
      do {
        const page = await store.leaderboard(
          { order: 'desc', limit: 3, cursor },
          NOW,
        );
        all.push(...page.items);
        cursor = page.hasMore
          ? page.items[page.items.length - 1].cursor
          : undefined;
      } while (cursor);
      expect(all).toHaveLength(7);
      const balances = all.map(i => i.balance);
      expect([...balances].sort((a, b) => b - a)).toEqual(balances);
      const asc = await store.leaderboard({ order: 'asc', limit: 1 }, NOW);
      expect(asc.items[0].entityRef).toBe(all[6].entityRef);
    });

    it('moves the landmark without changing any balance', async () => {
      let now = NOW;
      const { store } = await createStore(databaseId, { now: () => now });
      await store.appendEntry(entry({ consumerRef: PAYMENTS, amount: 50 }));
      const later = new Date(NOW.getTime() + 20 * 180 * DAY_MS);
      now = later;
      const before = (await store.getTotals([CAPABILITY], later)).get(
        CAPABILITY,
      )!;
      const consumerBefore = await store.getConsumerTotals(CAPABILITY, later);
      expect(await store.rebaseIfDue(NOW)).toBe(false);
      expect(await store.rebaseIfDue(later)).toBe(true);
      const after = (await store.getTotals([CAPABILITY], later)).get(
        CAPABILITY,
      )!;
      expect(after.balance / before.balance).toBeCloseTo(1, 12);
      const consumerAfter = await store.getConsumerTotals(CAPABILITY, later);
      expect(consumerAfter[0].balance / consumerBefore[0].balance).toBeCloseTo(
        1,
        12,
      );
    });

    it('rebuilds the sums when the configured half-life changes', async () => {
      const { store, knex } = await createStore(databaseId);
      await store.appendEntry(
        entry({
          amount: 40,
          occurredAt: new Date(NOW.getTime() - 90 * DAY_MS),
        }),
      );
      const reopened = await DatabaseTrustStore.create({
        database: { getClient: async () => knex },
        halfLifeDays: 90,
        now: () => NOW,
      });
      const totals = (await reopened.getTotals([CAPABILITY], NOW)).get(
        CAPABILITY,
      )!;
      expect(totals.balance).toBeCloseTo(20, 9);
    });
  });
});
