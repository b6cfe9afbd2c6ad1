import { Knex } from 'knex';
import { readSnapshot, toDate } from '../shared/database';
import { DAY_MS, decayFactor, roundCredits } from '../trust/store/decay';

/** Ids per `whereIn`. */
const CHUNK = 1000;

/** A capability a team depends on or has a ledger balance with. */
export interface TeamCapabilityRow {
  entityRef: string;
  /** The team's per-consumer balance now; 0 without entries. */
  balance: number;
  entryCount: number;
  lastCharge?: {
    title: string;
    category: string;
    amount: number;
    occurredAt: string;
  };
  decision?: 'float' | 'sink';
}

/** What the consumer view reads. */
export interface ConsumerBalanceStore {
  /**
   * The capabilities `teamRef` depends on (from the portfolio's consumer
   * rows) or has a per-consumer ledger balance with, each with the team's
   * balance at `at`, its latest charge and the capability's decision.
   */
  teamCapabilities(teamRef: string, at: Date): Promise<TeamCapabilityRow[]>;
}

/** The capability's decision, when the portfolio holds a valid one. */
function decisionOf(value: unknown): Pick<TeamCapabilityRow, 'decision'> {
  return value === 'float' || value === 'sink' ? { decision: value } : {};
}

/**
 * The Knex implementation of {@link ConsumerBalanceStore}: five queries on
 * one snapshot for up to a thousand capabilities (the team's consumer rows,
 * its id with the landmark, its balances, their refs and decisions, its
 * latest charges). Balances are the running per-consumer sums, never
 * recomputed from the ledger; the ledger is read through the consumer
 * indexes (migration `20261126000000_consumer_view`), so a team's reads
 * cost what its own rows cost, not what the platform's ledger holds.
 *
 * Each query filters on one key and looks others up by primary key.
 * PostgreSQL estimates a team's rows from the average consumer, so a plan
 * that multiplies that estimate (a subquery per balance row, a join on a
 * whole table) is kept off the larger tables: it could cross the JIT
 * threshold and cost tens of milliseconds to compile.
 */
export class DatabaseConsumerBalanceStore implements ConsumerBalanceStore {
  constructor(private readonly db: Knex) {}

  async teamCapabilities(
    teamRef: string,
    at: Date,
  ): Promise<TeamCapabilityRow[]> {
    return readSnapshot(this.db, async tx => {
      const rows = new Map<string, TeamCapabilityRow>();
      // The decision by primary key per row: a join would let PostgreSQL
      // hash the whole capabilities table for a few dozen rows.
      const decisionOfRef = (column: string) =>
        tx('freeboard_capabilities as cap')
          .where('cap.entity_ref', tx.ref(column))
          .select('cap.decision')
          .as('decision');
      const dependencies = await tx('freeboard_capability_consumers as d')
        .where('d.team_ref', teamRef)
        .select('d.entity_ref', decisionOfRef('d.entity_ref'));
      for (const d of dependencies) {
        rows.set(d.entity_ref, {
          entityRef: d.entity_ref,
          balance: 0,
          entryCount: 0,
          ...decisionOf(d.decision),
        });
      }

      // A team that was never a consumer in any ledger has no ref row, and
      // without a landmark there is no ledger at all.
      const basis = await tx('trust_landmark')
        .where({ id: 1 })
        .first(
          'landmark_ms',
          'half_life_days',
          tx('freeboard_refs').where('ref', teamRef).select('id').as('team_id'),
        );
      if (!basis || basis.team_id === null) return [...rows.values()];
      const teamId = Number(basis.team_id);
      const factor = decayFactor(at.getTime(), {
        landmarkMs: Number(basis.landmark_ms),
        halfLifeMs: Number(basis.half_life_days) * DAY_MS,
      });

      const balances = await tx('trust_consumer_totals')
        .where('consumer_id', teamId)
        .select('entity_id', 'balance_fwd', 'entry_count');
      const refById = new Map<number, string>();
      for (let i = 0; i < balances.length; i += CHUNK) {
        const refs = await tx('freeboard_refs as f')
          .whereIn(
            'f.id',
            balances.slice(i, i + CHUNK).map(b => Number(b.entity_id)),
          )
          .select('f.id', 'f.ref', decisionOfRef('f.ref'));
        for (const r of refs) {
          refById.set(Number(r.id), r.ref);
          rows.set(r.ref, {
            entityRef: r.ref,
            balance: 0,
            entryCount: 0,
            ...decisionOf(r.decision),
          });
        }
      }
      for (const b of balances) {
        const row = rows.get(refById.get(Number(b.entity_id)) ?? '');
        if (!row) continue;
        row.balance = roundCredits(Number(b.balance_fwd) * factor);
        row.entryCount = Number(b.entry_count);
      }

      for (const charge of await this.latestCharges(tx, teamId)) {
        const row = rows.get(refById.get(Number(charge.entity_id)) ?? '');
        if (!row) continue;
        row.lastCharge = {
          title: charge.title,
          category: charge.category,
          amount: Number(charge.amount),
          occurredAt: toDate(charge.occurred_at).toISOString(),
        };
      }
      return [...rows.values()];
    });
  }

  /**
   * The latest spend entry per entity charged to the team, leaving out
   * corrections and the entries they compensated: the team's own spend
   * entries, through the consumer index.
   */
  private latestCharges(tx: Knex.Transaction, teamId: number) {
    const ranked = tx('trust_entries as e')
      .where('e.consumer_id', teamId)
      .where('e.direction', 'spend')
      .whereNull('e.reverts_entry_id')
      .whereNotExists(
        tx('trust_entries as r')
          .where('r.reverts_entry_id', tx.ref('e.id'))
          .select('r.id'),
      )
      .select(
        'e.entity_id',
        'e.title',
        'e.category',
        'e.amount',
        'e.occurred_at',
        tx.raw(
          'row_number() over (partition by e.entity_id order by e.occurred_at desc, e.id desc) as rank',
        ),
      )
      .as('ranked');
    return tx
      .from(ranked)
      .where('ranked.rank', 1)
      .select(
        'ranked.entity_id',
        'ranked.title',
        'ranked.category',
        'ranked.amount',
        'ranked.occurred_at',
      );
  }
}
