import { ConflictError } from '@backstage/errors';
import { DAY_MS } from './decay';
import { TrustLedgerStore } from './TrustStore';
import {
  CAPABILITY,
  LEAD,
  NOW,
  daysBefore,
  idOf,
  storedSums,
  bruteForceSums,
  sumMismatches,
  trustTestSetup,
} from './__testUtils__/trustStores';

jest.setTimeout(120_000);

const MIA = 'user:default/mia';

describe('DatabaseTrustLedgerStore pulses', () => {
  const { databases, setup } = trustTestSetup();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const pulse = (
      ledger: TrustLedgerStore,
      userRef: string,
      sentiment: 'up' | 'down',
      at: Date,
    ) =>
      ledger.recordPulse({
        entityRef: CAPABILITY,
        userRef,
        sentiment,
        category: sentiment === 'up' ? 'pulse-up' : 'pulse-down',
        amount: 1,
        title: 'pulse',
        at,
      });

    it('counts one pulse per person per week and replaces it on a change of mind', async () => {
      const { knex, ledger, reads } = await setup(databaseId);
      const countPulses = async (at: Date, since: Date) =>
        (
          await reads.getSummaryParts([CAPABILITY], at, {
            consumerLimit: 0,
            pulseSince: [since],
          })
        ).get(CAPABILITY)!.pulses[0];
      expect((await pulse(ledger, MIA, 'up', NOW)).replaced).toBe(false);
      const dayLater = new Date(NOW.getTime() + DAY_MS);
      expect((await pulse(ledger, MIA, 'down', dayLater)).replaced).toBe(true);
      await pulse(ledger, 'user:default/leo', 'up', NOW);
      expect(await countPulses(dayLater, daysBefore(NOW, 7))).toEqual({
        up: 1,
        down: 1,
      });
      // A week later the same person's pulse counts again.
      const later = new Date(NOW.getTime() + 8 * DAY_MS);
      expect((await pulse(ledger, MIA, 'up', later)).replaced).toBe(false);
      expect(await countPulses(later, daysBefore(NOW, 30))).toEqual({
        up: 2,
        down: 1,
      });
      // mia's first pulse was replaced: only her -1, leo's +1 and her later +1 count.
      const sums = await storedSums(knex, later);
      expect(sums.totals.get(CAPABILITY)!.balance).toBeCloseTo(
        -Math.pow(0.5, 7 / 180) + Math.pow(0.5, 8 / 180) + 1,
        12,
      );
      expect(
        sumMismatches(sums, await bruteForceSums(knex, later, 180)),
      ).toEqual([]);
    });

    it('refuses to revert a pulse with a 409, and the sender can still pulse', async () => {
      const { knex, ledger, maintenance } = await setup(databaseId);
      const { entry: first } = await pulse(ledger, MIA, 'up', NOW);
      const refused = ledger.revertEntry({
        entityRef: CAPABILITY,
        entryId: first.id,
        reason: 'moderation',
        recordedBy: LEAD,
        source: 'manual',
        recordedAt: NOW,
      });
      await expect(refused).rejects.toThrow(ConflictError);
      await expect(refused).rejects.toMatchObject({ name: 'ConflictError' });

      const later = new Date(NOW.getTime() + DAY_MS);
      const second = await pulse(ledger, MIA, 'down', later);
      expect(second.replaced).toBe(true);
      expect(
        await ledger.withdrawPulse({
          entityRef: CAPABILITY,
          userRef: MIA,
          at: later,
        }),
      ).toEqual({
        withdrawn: true,
      });
      expect((await pulse(ledger, MIA, 'up', later)).replaced).toBe(false);
      const before = await storedSums(knex, later);
      await maintenance.recomputeAggregates();
      expect(sumMismatches(before, await storedSums(knex, later))).toEqual([]);
    });

    it('keeps one counted pulse after 10 concurrent pulses by one person', async () => {
      const { knex, ledger, maintenance } = await setup(databaseId);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          pulse(
            ledger,
            MIA,
            i % 2 ? 'up' : 'down',
            new Date(NOW.getTime() + i),
          ),
        ),
      );
      expect(results.filter(r => !r.replaced)).toHaveLength(1);
      const counted = await knex('trust_pulses');
      expect(counted).toHaveLength(1);
      // Every pulse entry but the counted one is compensated.
      const entries = await knex('trust_entries');
      expect(entries).toHaveLength(19);
      const reverted = new Set(
        entries
          .filter(e => e.reverts_entry_id !== null)
          .map(e => String(e.reverts_entry_id)),
      );
      const live = entries.filter(
        e => e.reverts_entry_id === null && !reverted.has(String(e.id)),
      );
      expect(live.map(e => String(e.id))).toEqual([
        String(counted[0].entry_id),
      ]);
      expect(counted[0].sentiment).toBe(
        live[0].direction === 'earn' ? 'up' : 'down',
      );

      const before = await storedSums(knex, NOW);
      expect(Math.abs(before.totals.get(CAPABILITY)!.balance)).toBeCloseTo(
        1,
        9,
      );
      await maintenance.recomputeAggregates();
      expect(sumMismatches(before, await storedSums(knex, NOW))).toEqual([]);
    });

    it('withdraws the counted pulse by compensating it, once', async () => {
      const { knex, ledger, reads } = await setup(databaseId);
      expect(
        await ledger.withdrawPulse({
          entityRef: CAPABILITY,
          userRef: MIA,
          at: NOW,
        }),
      ).toEqual({
        withdrawn: false,
      });
      const { entry: sent } = await pulse(ledger, MIA, 'down', NOW);
      await pulse(ledger, 'user:default/leo', 'up', NOW);
      const at = new Date(NOW.getTime() + DAY_MS);
      expect(
        await ledger.withdrawPulse({
          entityRef: CAPABILITY,
          userRef: MIA,
          at,
        }),
      ).toEqual({
        withdrawn: true,
      });
      expect(
        await ledger.withdrawPulse({
          entityRef: CAPABILITY,
          userRef: MIA,
          at,
        }),
      ).toEqual({
        withdrawn: false,
      });
      const miaId = await idOf(knex, MIA);
      expect(await knex('trust_pulses').where({ user_id: miaId })).toHaveLength(
        0,
      );
      const compensation = (await reads.getEntry(CAPABILITY, sent.id))!
        .revertedByEntryId;
      expect(await reads.getEntry(CAPABILITY, compensation!)).toMatchObject({
        direction: 'earn',
        revertsEntryId: sent.id,
        occurredAt: sent.occurredAt,
        recordedBy: MIA,
        source: 'pulse',
      });
      const parts = await reads.getSummaryParts([CAPABILITY], at, {
        consumerLimit: 0,
        pulseSince: [daysBefore(NOW, 7)],
      });
      expect(parts.get(CAPABILITY)!.pulses).toEqual([{ up: 1, down: 0 }]);
      expect(parts.get(CAPABILITY)!.totals.balance).toBeCloseTo(
        Math.pow(0.5, 1 / 180),
        6,
      );

      // A pulse older than the window is no longer the counted one.
      await pulse(ledger, MIA, 'up', at);
      expect(
        await ledger.withdrawPulse({
          entityRef: CAPABILITY,
          userRef: MIA,
          at: new Date(at.getTime() + 8 * DAY_MS),
        }),
      ).toEqual({ withdrawn: false });
    });
  });
});
