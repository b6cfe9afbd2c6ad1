import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  PulseSentiment,
  TrustDirection,
  TrustLedgerEntry,
  TrustTrendPoint,
} from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import {
  DAY_MS,
  DecayBasis,
  MAX_TREND_DAYS,
  REBASE_AFTER_HALF_LIVES,
  dayOf,
  dayToIsoDate,
  decayFactor,
  forwardWeight,
  roundCredits,
} from '../trust/decay';
import {
  ConsumerTotals,
  IdempotencyKey,
  LeaderboardOptions,
  ListEntriesOptions,
  NewLedgerEntry,
  SummaryParts,
  TrustStore,
  TrustTotals,
} from './TrustStore';
import {
  EntryRow,
  EntryRowWithRefs,
  TotalsRow,
  contribution,
  decodeCursor,
  encodeCursor,
  opposite,
  toDate,
  toId,
} from './rows';
import {
  addToAggregates,
  rebuildAggregates,
  rescaleAggregates,
} from './aggregates';

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

const PULSE_WINDOW_MS = 7 * DAY_MS;

/**
 * The Knex implementation of {@link TrustStore}, for SQLite and PostgreSQL.
 */
export class DatabaseTrustStore implements TrustStore {
  static async create(options: {
    database: DatabaseService;
    halfLifeDays: number;
    now?: () => Date;
  }): Promise<DatabaseTrustStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    const store = new DatabaseTrustStore(
      client,
      options.halfLifeDays * DAY_MS,
      options.now ?? (() => new Date()),
    );
    await store.ensureLandmark();
    return store;
  }

  private readonly isPostgres: boolean;

  private constructor(
    private readonly db: Knex,
    private readonly halfLifeMs: number,
    private readonly now: () => Date,
  ) {
    this.isPostgres = db.client.config.client === 'pg';
  }

  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }

  /**
   * Creates the landmark on first start. When the configured half-life
   * differs from the one the sums were kept with, rebuilds the sums from the
   * ledger once: the only time the ledger is scanned.
   */
  private async ensureLandmark(): Promise<void> {
    const landmarkMs = dayOf(this.now().getTime()) * DAY_MS;
    await this.db('trust_landmark')
      .insert({
        id: 1,
        landmark_ms: landmarkMs,
        half_life_days: this.halfLifeMs / DAY_MS,
      })
      .onConflict('id')
      .ignore();
    const row = await this.db('trust_landmark').where({ id: 1 }).first();
    if (Number(row.half_life_days) * DAY_MS !== this.halfLifeMs) {
      await this.recomputeAggregates();
    }
  }

  private async basis(
    tx: Knex | Knex.Transaction,
    lock: 'share' | 'update' | 'none' = 'none',
  ): Promise<DecayBasis> {
    let query = tx('trust_landmark').where({ id: 1 });
    // Writers hold a share lock on the landmark so that a rebase, which takes
    // it for update, never interleaves with an increment. SQLite serializes
    // writers anyway.
    if (this.isPostgres && lock === 'share') query = query.forShare();
    if (this.isPostgres && lock === 'update') query = query.forUpdate();
    const row = await query.first();
    return {
      landmarkMs: Number(row.landmark_ms),
      halfLifeMs: Number(row.half_life_days) * DAY_MS,
    };
  }

  private async refIds(refs: string[]): Promise<Map<string, number>> {
    const unique = [...new Set(refs)];
    const ids = new Map<string, number>();
    if (unique.length === 0) return ids;
    await this.db('freeboard_refs')
      .insert(unique.map(ref => ({ ref })))
      .onConflict('ref')
      .ignore();
    const rows = await this.db('freeboard_refs')
      .whereIn('ref', unique)
      .select('id', 'ref');
    for (const row of rows) ids.set(row.ref, Number(row.id));
    return ids;
  }

  private async existingRefIds(refs: string[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    if (refs.length === 0) return ids;
    const rows = await this.db('freeboard_refs')
      .whereIn('ref', [...new Set(refs)])
      .select('id', 'ref');
    for (const row of rows) ids.set(row.ref, Number(row.id));
    return ids;
  }

  /** Inserts one ledger row and adds it to every aggregate, in `tx`. */
  private async insertEntry(
    tx: Knex.Transaction,
    basis: DecayBasis,
    row: Omit<EntryRow, 'id'>,
  ): Promise<string> {
    const [{ id }] = await tx('trust_entries').insert(row).returning('id');
    const weight = forwardWeight(toDate(row.occurred_at).getTime(), basis);
    const delta = contribution(
      {
        direction: row.direction as TrustDirection,
        amount: row.amount,
        isRevert: row.reverts_entry_id !== null,
      },
      weight,
    );

    await addToAggregates(tx, row, delta);

    return toId(id);
  }

  async appendEntry(
    entry: NewLedgerEntry,
    options?: { idempotency?: IdempotencyKey },
  ): Promise<{ entry: TrustLedgerEntry; replayed: boolean }> {
    const refs = await this.refIds(
      [entry.entityRef, entry.recordedBy, entry.consumerRef].filter(
        (r): r is string => Boolean(r),
      ),
    );
    const entityId = refs.get(entry.entityRef)!;
    const recordedById = refs.get(entry.recordedBy)!;
    const idempotency = options?.idempotency;

    const outcome = await this.db.transaction(async tx => {
      if (idempotency) {
        // A concurrent request with the same key waits here for the first
        // one to commit (PostgreSQL) or runs after it (SQLite), then finds it.
        const inserted = await tx('trust_idempotency')
          .insert({
            user_id: recordedById,
            idempotency_key: idempotency.key,
            request_hash: idempotency.requestHash,
            entry_id: null,
            created_at: this.now(),
          })
          .onConflict(['user_id', 'idempotency_key'])
          .ignore()
          .returning('user_id');
        if (inserted.length === 0) {
          const existing = await tx('trust_idempotency')
            .where({ user_id: recordedById, idempotency_key: idempotency.key })
            .first();
          if (existing.request_hash !== idempotency.requestHash) {
            throw new ConflictError(
              'Idempotency-Key was already used for a different request',
            );
          }
          return { entryId: toId(existing.entry_id), replayed: true };
        }
      }

      const basis = await this.basis(tx, 'share');
      const entryId = await this.insertEntry(tx, basis, {
        entity_id: entityId,
        direction: entry.direction,
        category: entry.category,
        amount: entry.amount,
        title: entry.title,
        description: entry.description ?? null,
        consumer_id: entry.consumerRef ? refs.get(entry.consumerRef)! : null,
        evidence_url: entry.evidenceUrl ?? null,
        occurred_at: entry.occurredAt,
        recorded_at: this.now(),
        recorded_by_id: recordedById,
        source: entry.source,
        reverts_entry_id: null,
      });

      if (idempotency) {
        await tx('trust_idempotency')
          .where({ user_id: recordedById, idempotency_key: idempotency.key })
          .update({ entry_id: entryId });
      }
      return { entryId, replayed: false };
    });

    const stored = await this.getEntry(outcome.entryId);
    return { entry: stored!, replayed: outcome.replayed };
  }

  async revertEntry(options: {
    entityRef: string;
    entryId: string;
    reason: string;
    recordedBy: string;
    source: string;
    recordedAt: Date;
  }): Promise<TrustLedgerEntry> {
    if (!/^\d{1,18}$/.test(options.entryId)) {
      throw new NotFoundError(
        `No entry ${options.entryId} on ${options.entityRef}`,
      );
    }
    const refs = await this.existingRefIds([options.entityRef]);
    const entityId = refs.get(options.entityRef);
    if (entityId === undefined) {
      throw new NotFoundError(
        `No entry ${options.entryId} on ${options.entityRef}`,
      );
    }
    const recordedById = (await this.refIds([options.recordedBy])).get(
      options.recordedBy,
    )!;

    const revertId = await this.db.transaction(async tx => {
      const original: EntryRow | undefined = await tx('trust_entries')
        .where({ id: options.entryId, entity_id: entityId })
        .first();
      if (!original) {
        throw new NotFoundError(
          `No entry ${options.entryId} on ${options.entityRef}`,
        );
      }
      if (original.reverts_entry_id !== null) {
        throw new ConflictError(
          `Entry ${options.entryId} is itself a correction and cannot be reverted`,
        );
      }
      const basis = await this.basis(tx, 'share');
      try {
        return await this.insertEntry(tx, basis, {
          entity_id: entityId,
          direction: opposite(original.direction as TrustDirection),
          category: original.category,
          amount: Number(original.amount),
          title: `Revert: ${original.title}`.slice(0, 200),
          description: options.reason,
          consumer_id: original.consumer_id,
          evidence_url: null,
          // Same moment as the original, so the two cancel at every time.
          occurred_at: toDate(original.occurred_at),
          recorded_at: options.recordedAt,
          recorded_by_id: recordedById,
          source: options.source,
          reverts_entry_id: original.id,
        });
      } catch (error) {
        if (this.isUniqueViolation(error)) {
          throw new ConflictError(
            `Entry ${options.entryId} has already been reverted`,
          );
        }
        throw error;
      }
    });
    return (await this.getEntry(revertId))!;
  }

  private isUniqueViolation(error: unknown): boolean {
    const e = error as { code?: string; message?: string };
    return (
      e?.code === '23505' ||
      e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
      /unique constraint/i.test(e?.message ?? '')
    );
  }

  private entriesQuery(db: Knex | Knex.Transaction = this.db) {
    return db('trust_entries as e')
      .join('freeboard_refs as ent', 'ent.id', 'e.entity_id')
      .join('freeboard_refs as rec', 'rec.id', 'e.recorded_by_id')
      .leftJoin('freeboard_refs as con', 'con.id', 'e.consumer_id')
      .leftJoin('trust_entries as r', 'r.reverts_entry_id', 'e.id')
      .select(
        'e.*',
        'ent.ref as entity_ref',
        'rec.ref as recorded_by_ref',
        'con.ref as consumer_ref',
        'r.id as reverted_by_id',
      );
  }

  private toEntry(row: EntryRowWithRefs): TrustLedgerEntry {
    const entry: TrustLedgerEntry = {
      id: toId(row.id),
      entityRef: row.entity_ref,
      direction: row.direction as TrustDirection,
      category: row.category,
      amount: Number(row.amount),
      title: row.title,
      occurredAt: toDate(row.occurred_at).toISOString(),
      recordedAt: toDate(row.recorded_at).toISOString(),
      recordedBy: row.recorded_by_ref,
      source: row.source,
    };
    if (row.description !== null) entry.description = row.description;
    if (row.consumer_ref !== null) entry.consumerRef = row.consumer_ref;
    if (row.evidence_url !== null) entry.evidenceUrl = row.evidence_url;
    if (row.reverts_entry_id !== null) {
      entry.revertsEntryId = toId(row.reverts_entry_id);
    }
    if (row.reverted_by_id !== null) {
      entry.revertedByEntryId = toId(row.reverted_by_id);
    }
    return entry;
  }

  private async getEntry(id: string): Promise<TrustLedgerEntry | undefined> {
    const row = await this.entriesQuery().where('e.id', id).first();
    return row ? this.toEntry(row) : undefined;
  }

  async listEntries(
    entityRef: string,
    options: ListEntriesOptions,
  ): Promise<{ entries: TrustLedgerEntry[]; nextCursor?: string }> {
    const refs = await this.existingRefIds(
      [entityRef, options.consumerRef].filter((r): r is string => Boolean(r)),
    );
    const entityId = refs.get(entityRef);
    if (entityId === undefined) return { entries: [] };

    let query = this.entriesQuery().where('e.entity_id', entityId);
    if (options.direction)
      query = query.where('e.direction', options.direction);
    if (options.category) query = query.where('e.category', options.category);
    if (options.consumerRef) {
      const consumerId = refs.get(options.consumerRef);
      if (consumerId === undefined) return { entries: [] };
      query = query.where('e.consumer_id', consumerId);
    }
    if (options.cursor) {
      const [atMs, id] = decodeCursor(options.cursor, 2);
      if (
        typeof atMs !== 'number' ||
        typeof id !== 'string' ||
        !/^\d+$/.test(id)
      ) {
        throw new InputError('cursor is not a cursor this API returned');
      }
      const at = new Date(atMs);
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
    const entries = rows.slice(0, options.limit).map(r => this.toEntry(r));
    const last = rows[options.limit - 1];
    return {
      entries,
      nextCursor:
        rows.length > options.limit
          ? encodeCursor([toDate(last.occurred_at).getTime(), toId(last.id)])
          : undefined,
    };
  }

  private toTotals(row: TotalsRow, factor: number): TrustTotals {
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

  async getSummaryParts(
    entityRefs: string[],
    at: Date,
    options: { consumerLimit: number; pulseSince: Date[] },
  ): Promise<Map<string, SummaryParts>> {
    const result = new Map<string, SummaryParts>();
    const unique = [...new Set(entityRefs)];
    if (unique.length === 0) return result;
    const basis = await this.basis(this.db);
    const factor = decayFactor(at.getTime(), basis);

    const totalsRows: TotalsRow[] = await this.db('trust_totals as t')
      .join('freeboard_refs as f', 'f.id', 't.entity_id')
      .whereIn('f.ref', unique)
      .select('t.*', 'f.ref');
    if (totalsRows.length === 0) return result;
    const refById = new Map<number, string>();
    for (const row of totalsRows) {
      refById.set(Number(row.entity_id), row.ref);
      result.set(row.ref, {
        totals: this.toTotals(row, factor),
        consumers: [],
        pulses: options.pulseSince.map(() => ({ up: 0, down: 0 })),
      });
    }
    const ids = [...refById.keys()];

    // The lowest balances per entity, ranked in the database.
    const ranked = this.db('trust_consumer_totals')
      .whereIn('entity_id', ids)
      .select(
        'entity_id',
        'consumer_id',
        'balance_fwd',
        'entry_count',
        this.db.raw(
          'row_number() over (partition by entity_id order by balance_fwd asc, consumer_id asc) as rank',
        ),
      )
      .as('ranked');
    const consumerRows = await this.db
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
      const pulseRows = await this.db('trust_pulses')
        .whereIn('entity_id', ids)
        .where('updated_at', '>=', earliest)
        .select('entity_id', 'sentiment', 'updated_at');
      for (const row of pulseRows) {
        const parts = result.get(refById.get(Number(row.entity_id))!)!;
        const updated = toDate(row.updated_at).getTime();
        options.pulseSince.forEach((since, i) => {
          if (
            updated >= since.getTime() &&
            (row.sentiment === 'up' || row.sentiment === 'down')
          ) {
            parts.pulses[i][row.sentiment as PulseSentiment] += 1;
          }
        });
      }
    }
    return result;
  }

  async getTotals(
    entityRefs: string[],
    at: Date,
  ): Promise<Map<string, TrustTotals>> {
    const result = new Map<string, TrustTotals>();
    if (entityRefs.length === 0) return result;
    const basis = await this.basis(this.db);
    const factor = decayFactor(at.getTime(), basis);
    const rows: TotalsRow[] = await this.db('trust_totals as t')
      .join('freeboard_refs as f', 'f.id', 't.entity_id')
      .whereIn('f.ref', [...new Set(entityRefs)])
      .select('t.*', 'f.ref');
    for (const row of rows) result.set(row.ref, this.toTotals(row, factor));
    return result;
  }

  async getConsumerTotals(
    entityRef: string,
    at: Date,
    options?: { consumerRefs?: string[]; limit?: number },
  ): Promise<ConsumerTotals[]> {
    const refs = await this.existingRefIds([entityRef]);
    const entityId = refs.get(entityRef);
    if (entityId === undefined) return [];
    const basis = await this.basis(this.db);
    const factor = decayFactor(at.getTime(), basis);
    let query = this.db('trust_consumer_totals as c')
      .join('freeboard_refs as f', 'f.id', 'c.consumer_id')
      .where('c.entity_id', entityId)
      .select('f.ref', 'c.balance_fwd', 'c.entry_count')
      .orderBy([
        { column: 'c.balance_fwd', order: 'asc' },
        { column: 'f.ref', order: 'asc' },
      ]);
    if (options?.consumerRefs) {
      query = query.whereIn('f.ref', options.consumerRefs);
    }
    if (options?.limit) query = query.limit(options.limit);
    const rows = await query;
    return rows.map(row => ({
      consumerRef: row.ref,
      balance: roundCredits(Number(row.balance_fwd) * factor),
      entryCount: Number(row.entry_count),
    }));
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
    const refs = await this.existingRefIds([entityRef]);
    const entityId = refs.get(entityRef);
    if (entityId === undefined) {
      for (let d = firstDay; d <= today; d++) {
        points.push({ date: dayToIsoDate(d), balance: 0 });
      }
      return points;
    }
    const basis = await this.basis(this.db);
    const [totals, daily] = await Promise.all([
      this.db('trust_totals').where({ entity_id: entityId }).first(),
      this.db('trust_daily')
        .where({ entity_id: entityId })
        .where('day', '>', firstDay)
        .select('day', 'balance_fwd'),
    ]);
    const deltas = new Map<number, number>();
    for (const row of daily)
      deltas.set(Number(row.day), Number(row.balance_fwd));
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

  async recordPulse(options: {
    entityRef: string;
    userRef: string;
    sentiment: PulseSentiment;
    category: string;
    amount: number;
    title: string;
    comment?: string;
    at: Date;
  }): Promise<{ entry: TrustLedgerEntry; replaced: boolean }> {
    const refs = await this.refIds([options.entityRef, options.userRef]);
    const entityId = refs.get(options.entityRef)!;
    const userId = refs.get(options.userRef)!;

    const outcome = await this.db.transaction(async tx => {
      if (this.isPostgres) {
        // One user's pulses on one entity are decided one at a time.
        await tx.raw('select pg_advisory_xact_lock(?, ?)', [entityId, userId]);
      }
      const basis = await this.basis(tx, 'share');
      const current = await tx('trust_pulses')
        .where({ entity_id: entityId, user_id: userId })
        .where(
          'window_start',
          '>',
          new Date(options.at.getTime() - PULSE_WINDOW_MS),
        )
        .orderBy('window_start', 'desc')
        .first();

      if (current) {
        const old: EntryRow = await tx('trust_entries')
          .where({ id: current.entry_id })
          .first();
        await this.insertEntry(tx, basis, {
          entity_id: entityId,
          direction: opposite(old.direction as TrustDirection),
          category: old.category,
          amount: Number(old.amount),
          title: `Revert: ${old.title}`.slice(0, 200),
          description: 'Replaced by a newer pulse from the same person',
          consumer_id: null,
          evidence_url: null,
          occurred_at: toDate(old.occurred_at),
          recorded_at: options.at,
          recorded_by_id: userId,
          source: 'pulse',
          reverts_entry_id: old.id,
        });
      }

      const entryId = await this.insertEntry(tx, basis, {
        entity_id: entityId,
        direction: options.sentiment === 'up' ? 'earn' : 'spend',
        category: options.category,
        amount: options.amount,
        title: options.title,
        description: options.comment ?? null,
        consumer_id: null,
        evidence_url: null,
        occurred_at: options.at,
        recorded_at: options.at,
        recorded_by_id: userId,
        source: 'pulse',
        reverts_entry_id: null,
      });

      if (current) {
        await tx('trust_pulses').where({ id: current.id }).update({
          sentiment: options.sentiment,
          entry_id: entryId,
          updated_at: options.at,
        });
      } else {
        await tx('trust_pulses').insert({
          entity_id: entityId,
          user_id: userId,
          sentiment: options.sentiment,
          entry_id: entryId,
          window_start: options.at,
          updated_at: options.at,
        });
      }
      return { entryId, replaced: Boolean(current) };
    });

    return {
      entry: (await this.getEntry(outcome.entryId))!,
      replaced: outcome.replaced,
    };
  }

  async leaderboard(
    options: LeaderboardOptions,
    at: Date,
  ): Promise<{
    items: Array<TrustTotals & { cursor: string }>;
    hasMore: boolean;
  }> {
    const basis = await this.basis(this.db);
    const factor = decayFactor(at.getTime(), basis);
    const op = options.order === 'asc' ? '>' : '<';
    let query = this.db('trust_totals as t')
      .join('freeboard_refs as f', 'f.id', 't.entity_id')
      .select('t.*', 'f.ref');
    if (options.cursor) {
      const [landmarkMs, value, id] = decodeCursor(options.cursor, 3);
      if (
        typeof landmarkMs !== 'number' ||
        typeof value !== 'number' ||
        typeof id !== 'number'
      ) {
        throw new InputError('cursor is not a cursor this API returned');
      }
      // A rebase between two pages rescales every stored sum; follow it.
      const scaled =
        landmarkMs === basis.landmarkMs
          ? value
          : value *
            Math.pow(2, (landmarkMs - basis.landmarkMs) / basis.halfLifeMs);
      query = query.where(q =>
        q
          .where('t.balance_fwd', op, scaled)
          .orWhere(q2 =>
            q2.where('t.balance_fwd', '=', scaled).where('t.entity_id', op, id),
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
        ...this.toTotals(r, factor),
        cursor: encodeCursor([
          basis.landmarkMs,
          Number(r.balance_fwd),
          Number(r.entity_id),
        ]),
      })),
      hasMore: rows.length > options.limit,
    };
  }

  async isEmpty(): Promise<boolean> {
    const row = await this.db('trust_entries').select('id').first();
    return !row;
  }

  async rebaseIfDue(at: Date): Promise<boolean> {
    return this.db.transaction(async tx => {
      const basis = await this.basis(tx, 'update');
      const newLandmarkMs = dayOf(at.getTime()) * DAY_MS;
      const halfLives = (newLandmarkMs - basis.landmarkMs) / basis.halfLifeMs;
      if (halfLives < REBASE_AFTER_HALF_LIVES) return false;
      await this.rebaseTo(tx, basis, newLandmarkMs);
      return true;
    });
  }

  /** Rescales every stored sum from the current landmark to a new one. */
  private async rebaseTo(
    tx: Knex.Transaction,
    basis: DecayBasis,
    newLandmarkMs: number,
  ): Promise<void> {
    await rescaleAggregates(
      tx,
      Math.pow(2, (basis.landmarkMs - newLandmarkMs) / basis.halfLifeMs),
    );
    await tx('trust_landmark')
      .where({ id: 1 })
      .update({ landmark_ms: newLandmarkMs });
  }

  /**
   * Rebuilds every aggregate from the ledger under the configured half-life.
   * Used when the half-life changes, and by tests as the reference.
   */
  async recomputeAggregates(): Promise<void> {
    await this.db.transaction(async tx => {
      const basis = await this.basis(tx, 'update');
      const next: DecayBasis = {
        landmarkMs: basis.landmarkMs,
        halfLifeMs: this.halfLifeMs,
      };
      await rebuildAggregates(tx, next);
      await tx('trust_landmark')
        .where({ id: 1 })
        .update({ half_life_days: this.halfLifeMs / DAY_MS });
    });
  }

  async listLedgerEntities(options: {
    afterId: number;
    limit: number;
  }): Promise<Array<{ id: number; ref: string }>> {
    const rows = await this.db('trust_totals as t')
      .join('freeboard_refs as f', 'f.id', 't.entity_id')
      .where('t.entity_id', '>', options.afterId)
      .orderBy('t.entity_id')
      .limit(options.limit)
      .select('t.entity_id as id', 'f.ref');
    return rows.map(r => ({ id: Number(r.id), ref: r.ref }));
  }

  async markCatalogPresence(options: {
    present: number[];
    missing: number[];
    at: Date;
  }): Promise<void> {
    if (options.present.length > 0) {
      await this.db('freeboard_refs')
        .whereIn('id', options.present)
        .whereNotNull('missing_since')
        .update({ missing_since: null });
    }
    if (options.missing.length > 0) {
      await this.db('freeboard_refs')
        .whereIn('id', options.missing)
        .whereNull('missing_since')
        .update({ missing_since: options.at });
    }
  }

  async deleteOrphanedLedgers(before: Date): Promise<number> {
    const orphans = (
      await this.db('freeboard_refs')
        .whereNotNull('missing_since')
        .where('missing_since', '<', before)
        .whereIn('id', this.db('trust_totals').select('entity_id'))
        .select('id')
    ).map(r => Number(r.id));
    for (let i = 0; i < orphans.length; i += 400) {
      const ids = orphans.slice(i, i + 400);
      await this.db.transaction(async tx => {
        for (const table of [
          'trust_entries',
          'trust_totals',
          'trust_consumer_totals',
          'trust_daily',
          'trust_pulses',
        ]) {
          await tx(table).whereIn('entity_id', ids).delete();
        }
      });
    }
    return orphans.length;
  }

  async pruneDailyHistory(at: Date): Promise<number> {
    // A day's margin beyond the longest trend keeps edge days intact.
    const oldest = dayOf(at.getTime()) - MAX_TREND_DAYS - 1;
    return this.db('trust_daily').where('day', '<', oldest).delete();
  }

  async purgeIdempotencyKeys(before: Date): Promise<number> {
    return this.db('trust_idempotency')
      .where('created_at', '<', before)
      .delete();
  }
}
