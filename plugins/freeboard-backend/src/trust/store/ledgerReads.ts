import {
  PulseSentiment,
  TrustLedgerEntry,
  TrustTrendPoint,
} from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import { readSnapshot, toDate } from '../../shared/database';
import { TrustTables } from './context';
import {
  DAY_MS,
  dayOf,
  dayToIsoDate,
  decayFactor,
  roundCredits,
} from './decay';
import { EntryRowWithRefs, TotalsRow, toId } from './rows';
import {
  ConsumerTotals,
  EntryPosition,
  LeaderboardOptions,
  LeaderboardPosition,
  ListEntriesOptions,
  SummaryParts,
  TrustReadStore,
  TrustTotals,
} from './TrustStore';

function toTotals(row: TotalsRow, factor: number): TrustTotals {
  const totals: TrustTotals = {
    entityRef: row.ref,
    balance: roundCredits(row.balance_fwd * factor),
    earned: roundCredits(row.earned_fwd * factor),
    spent: roundCredits(row.spent_fwd * factor),
    entryCount: Number(row.entry_count),
  };
  if (row.last_entry_at !== null) {
    totals.lastEntryAt = toDate(row.last_entry_at).toISOString();
  }
  return totals;
}

/**
 * The Knex implementation of {@link TrustReadStore}. Every answer that scales
 * stored sums by the landmark reads both in one snapshot, so a rebase on
 * another replica cannot land between them.
 */
export class DatabaseTrustReadStore implements TrustReadStore {
  constructor(private readonly t: TrustTables) {}

  async ping(): Promise<void> {
    await this.t.db.raw('select 1');
  }

  async getEntry(
    entityRef: string,
    entryId: string,
  ): Promise<TrustLedgerEntry | undefined> {
    const entry = await this.t.getEntry(entryId);
    return entry?.entityRef === entityRef ? entry : undefined;
  }

  async getEntries(entryIds: string[]): Promise<TrustLedgerEntry[]> {
    if (entryIds.length === 0) return [];
    const rows: EntryRowWithRefs[] = await this.t
      .entriesQuery()
      .whereIn('e.id', entryIds);
    return rows.map(row => this.t.toEntry(row));
  }

  async listEntries(
    entityRef: string,
    options: ListEntriesOptions,
  ): Promise<{ entries: TrustLedgerEntry[]; next?: EntryPosition }> {
    const refs = await this.t.refs.find(
      [entityRef, options.consumerRef].filter((r): r is string => Boolean(r)),
    );
    const entityId = refs.get(entityRef);
    if (entityId === undefined) return { entries: [] };

    let query = this.t.entriesQuery().where('e.entity_id', entityId);
    if (options.direction) {
      query = query.where('e.direction', options.direction);
    }
    if (options.category) query = query.where('e.category', options.category);
    if (options.consumerRef) {
      const consumerId = refs.get(options.consumerRef);
      if (consumerId === undefined) return { entries: [] };
      query = query.where('e.consumer_id', consumerId);
    }
    if (options.after) {
      const at = new Date(options.after.occurredAtMs);
      const id = options.after.id;
      query = query.where(q =>
        q
          .where('e.occurred_at', '<', at)
          .orWhere(q2 =>
            q2.where('e.occurred_at', '=', at).where('e.id', '<', id),
          ),
      );
    }
    const rows: EntryRowWithRefs[] = await query
      .orderBy([
        { column: 'e.occurred_at', order: 'desc' },
        { column: 'e.id', order: 'desc' },
      ])
      .limit(options.limit + 1);
    const entries = rows.slice(0, options.limit).map(r => this.t.toEntry(r));
    const last = rows[options.limit - 1];
    return {
      entries,
      next:
        rows.length > options.limit
          ? {
              occurredAtMs: toDate(last.occurred_at).getTime(),
              id: Number(toId(last.id)),
            }
          : undefined,
    };
  }

  private totalsQuery(tx: Knex.Transaction) {
    return tx('trust_totals as t')
      .join('freeboard_refs as f', 'f.id', 't.entity_id')
      .select('t.*', 'f.ref');
  }

  async getSummaryParts(
    entityRefs: string[],
    at: Date,
    options: { consumerLimit: number; pulseSince: Date[] },
  ): Promise<Map<string, SummaryParts>> {
    const result = new Map<string, SummaryParts>();
    const unique = [...new Set(entityRefs)];
    if (unique.length === 0) return result;
    return readSnapshot(this.t.db, async tx => {
      const factor = decayFactor(at.getTime(), await this.t.basis(tx));
      const totalsRows: TotalsRow[] = await this.totalsQuery(tx).whereIn(
        'f.ref',
        unique,
      );
      if (totalsRows.length === 0) return result;
      const refById = new Map<number, string>();
      for (const row of totalsRows) {
        refById.set(Number(row.entity_id), row.ref);
        result.set(row.ref, {
          totals: toTotals(row, factor),
          consumers: [],
          pulses: options.pulseSince.map(() => ({ up: 0, down: 0 })),
        });
      }
      const ids = [...refById.keys()];

      // The lowest balances per entity, ranked in the database.
      const ranked = tx('trust_consumer_totals')
        .whereIn('entity_id', ids)
        .select(
          'entity_id',
          'consumer_id',
          'balance_fwd',
          'entry_count',
          tx.raw(
            'row_number() over (partition by entity_id order by balance_fwd asc, consumer_id asc) as rank',
          ),
        )
        .as('ranked');
      const consumerRows = await tx
        .from(ranked)
        .join('freeboard_refs as f', 'f.id', 'ranked.consumer_id')
        .where('ranked.rank', '<=', options.consumerLimit)
        .orderBy([{ column: 'ranked.entity_id' }, { column: 'ranked.rank' }])
        .select(
          'ranked.entity_id',
          'ranked.balance_fwd',
          'ranked.entry_count',
          'f.ref',
        );
      for (const row of consumerRows) {
        result.get(refById.get(Number(row.entity_id))!)!.consumers.push({
          consumerRef: row.ref,
          balance: roundCredits(Number(row.balance_fwd) * factor),
          entryCount: Number(row.entry_count),
        });
      }

      if (options.pulseSince.length > 0) {
        const earliest = new Date(
          Math.min(...options.pulseSince.map(d => d.getTime())),
        );
        const pulseRows = await tx('trust_pulses')
          .whereIn('entity_id', ids)
          .where('updated_at', '>=', earliest)
          .select('entity_id', 'sentiment', 'updated_at');
        for (const row of pulseRows) {
          const parts = result.get(refById.get(Number(row.entity_id))!)!;
          const updated = toDate(row.updated_at).getTime();
          options.pulseSince.forEach((since, i) => {
            if (updated >= since.getTime()) {
              parts.pulses[i][row.sentiment as PulseSentiment] += 1;
            }
          });
        }
      }
      return result;
    });
  }

  async getBalances(
    entityRef: string,
    at: Date,
    options: { consumerRefs: string[] },
  ): Promise<{ totals?: TrustTotals; consumers: ConsumerTotals[] }> {
    return readSnapshot(this.t.db, async tx => {
      const factor = decayFactor(at.getTime(), await this.t.basis(tx));
      const totalsRow: TotalsRow | undefined = await this.totalsQuery(tx)
        .where('f.ref', entityRef)
        .first();
      if (!totalsRow || options.consumerRefs.length === 0) {
        return {
          totals: totalsRow && toTotals(totalsRow, factor),
          consumers: [],
        };
      }
      const rows = await tx('trust_consumer_totals as c')
        .join('freeboard_refs as f', 'f.id', 'c.consumer_id')
        .where('c.entity_id', totalsRow.entity_id)
        .whereIn('f.ref', options.consumerRefs)
        .select('f.ref', 'c.balance_fwd', 'c.entry_count');
      return {
        totals: toTotals(totalsRow, factor),
        consumers: rows.map(row => ({
          consumerRef: row.ref,
          balance: roundCredits(Number(row.balance_fwd) * factor),
          entryCount: Number(row.entry_count),
        })),
      };
    });
  }

  async getTrend(
    entityRef: string,
    days: number,
    at: Date,
  ): Promise<TrustTrendPoint[]> {
    const atMs = at.getTime();
    const today = dayOf(atMs);
    const firstDay = today - days + 1;
    const points: TrustTrendPoint[] = [];
    const entityId = (await this.t.refs.find([entityRef])).get(entityRef);
    if (entityId === undefined) {
      for (let d = firstDay; d <= today; d++) {
        points.push({ date: dayToIsoDate(d), balance: 0 });
      }
      return points;
    }
    const { basis, totals, daily } = await readSnapshot(
      this.t.db,
      async tx => ({
        basis: await this.t.basis(tx),
        totals: await tx('trust_totals').where({ entity_id: entityId }).first(),
        daily: await tx('trust_daily')
          .where({ entity_id: entityId })
          .where('day', '>', firstDay)
          .select('day', 'balance_fwd'),
      }),
    );
    const deltas = new Map<number, number>();
    for (const row of daily) {
      deltas.set(Number(row.day), Number(row.balance_fwd));
    }
    // Work backwards from the total: the sum at the end of day d is the total
    // minus what happened on later days (entries may be dated slightly ahead).
    let afterDay = 0;
    for (const [day, delta] of deltas) if (day > today) afterDay += delta;
    let stored = Number(totals?.balance_fwd ?? 0) - afterDay;
    for (let d = today; d >= firstDay; d--) {
      const endMs = d === today ? atMs : (d + 1) * DAY_MS;
      points.push({
        date: dayToIsoDate(d),
        balance: roundCredits(stored * decayFactor(endMs, basis)),
      });
      stored -= deltas.get(d) ?? 0;
    }
    return points.reverse();
  }

  async leaderboard(
    options: LeaderboardOptions,
    at: Date,
  ): Promise<{
    items: Array<TrustTotals & { position: LeaderboardPosition }>;
    hasMore: boolean;
  }> {
    return readSnapshot(this.t.db, async tx => {
      const basis = await this.t.basis(tx);
      const factor = decayFactor(at.getTime(), basis);
      const op = options.order === 'asc' ? '>' : '<';
      let query = this.totalsQuery(tx);
      if (options.after) {
        const { landmarkMs, storedBalance, entityId } = options.after;
        // A rebase between two pages rescales every stored sum; follow it.
        const scaled =
          landmarkMs === basis.landmarkMs
            ? storedBalance
            : storedBalance *
              Math.pow(2, (landmarkMs - basis.landmarkMs) / basis.halfLifeMs);
        query = query.where(q =>
          q
            .where('t.balance_fwd', op, scaled)
            .orWhere(q2 =>
              q2
                .where('t.balance_fwd', '=', scaled)
                .where('t.entity_id', op, entityId),
            ),
        );
      }
      const rows: TotalsRow[] = await query
        .orderBy([
          { column: 't.balance_fwd', order: options.order },
          { column: 't.entity_id', order: options.order },
        ])
        .limit(options.limit + 1);
      return {
        items: rows.slice(0, options.limit).map(r => ({
          ...toTotals(r, factor),
          position: {
            landmarkMs: basis.landmarkMs,
            storedBalance: Number(r.balance_fwd),
            entityId: Number(r.entity_id),
          },
        })),
        hasMore: rows.length > options.limit,
      };
    });
  }

  async isEmpty(): Promise<boolean> {
    const row = await this.t.db('trust_entries').select('id').first();
    return !row;
  }
}
