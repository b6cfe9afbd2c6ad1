import { Knex } from 'knex';
import { rebuildAggregates, rescaleAggregates } from './aggregates';
import { TrustTables } from './context';
import {
  DAY_MS,
  DecayBasis,
  MAX_TREND_DAYS,
  REBASE_AFTER_HALF_LIVES,
  dayOf,
} from './decay';
import { TrustMaintenanceStore } from './TrustStore';

/** The tables that make up one entity's ledger. */
const LEDGER_TABLES = [
  'trust_entries',
  'trust_totals',
  'trust_consumer_totals',
  'trust_daily',
  'trust_pulses',
];

/** Rows per statement of a bulk delete (SQLite binds at most ~32k values). */
const DELETE_CHUNK = 400;

/** The Knex implementation of {@link TrustMaintenanceStore}. */
export class DatabaseTrustMaintenanceStore implements TrustMaintenanceStore {
  constructor(private readonly t: TrustTables) {}

  /** The landmark of the current UTC day. */
  private todayMs(): number {
    return dayOf(this.t.now().getTime()) * DAY_MS;
  }

  /** Creates the landmark row on first start (once across replicas). */
  async ensureLandmark(halfLifeDays: number): Promise<void> {
    await this.t
      .db('trust_landmark')
      .insert({
        id: 1,
        landmark_ms: this.todayMs(),
        half_life_days: halfLifeDays,
      })
      .onConflict('id')
      .ignore();
  }

  async applyHalfLife(halfLifeDays: number): Promise<boolean> {
    const stored = await this.t.basis(this.t.db);
    if (stored.halfLifeMs === halfLifeDays * DAY_MS) return false;
    return this.t.db.transaction(async tx => {
      // Re-check under the lock: of replicas starting together, the first
      // rebuilds and the others find the work done.
      const basis = await this.t.basis(tx, 'update');
      if (basis.halfLifeMs === halfLifeDays * DAY_MS) return false;
      // A fresh landmark keeps every weight small under any half-life.
      const next: DecayBasis = {
        landmarkMs: this.todayMs(),
        halfLifeMs: halfLifeDays * DAY_MS,
      };
      await rebuildAggregates(tx, next);
      await this.setBasis(tx, next);
      return true;
    });
  }

  private async setBasis(tx: Knex.Transaction, basis: DecayBasis) {
    await tx('trust_landmark')
      .where({ id: 1 })
      .update({
        landmark_ms: basis.landmarkMs,
        half_life_days: basis.halfLifeMs / DAY_MS,
      });
  }

  async rebaseIfDue(at: Date): Promise<boolean> {
    return this.t.db.transaction(async tx => {
      const basis = await this.t.basis(tx, 'update');
      const newLandmarkMs = dayOf(at.getTime()) * DAY_MS;
      const halfLives = (newLandmarkMs - basis.landmarkMs) / basis.halfLifeMs;
      if (halfLives < REBASE_AFTER_HALF_LIVES) return false;
      await rescaleAggregates(
        tx,
        Math.pow(2, (basis.landmarkMs - newLandmarkMs) / basis.halfLifeMs),
      );
      await this.setBasis(tx, { ...basis, landmarkMs: newLandmarkMs });
      return true;
    });
  }

  async recomputeAggregates(): Promise<void> {
    await this.t.db.transaction(async tx => {
      await rebuildAggregates(tx, await this.t.basis(tx, 'update'));
    });
  }

  async listLedgerEntities(options: {
    afterId: number;
    limit: number;
  }): Promise<Array<{ id: number; ref: string }>> {
    const rows = await this.t
      .db('trust_totals as t')
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
      await this.t
        .db('freeboard_refs')
        .whereIn('id', options.present)
        .whereNotNull('missing_since')
        .update({ missing_since: null });
    }
    if (options.missing.length > 0) {
      await this.t
        .db('freeboard_refs')
        .whereIn('id', options.missing)
        .whereNull('missing_since')
        .update({ missing_since: options.at });
    }
  }

  async expiredOrphans(ids: number[], before: Date): Promise<number[]> {
    const expired: number[] = [];
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
      const rows = await this.t
        .db('freeboard_refs')
        .whereIn('id', ids.slice(i, i + DELETE_CHUNK))
        .where('missing_since', '<', before)
        .select('id');
      expired.push(...rows.map(r => Number(r.id)));
    }
    return expired;
  }

  async deleteOrphanedLedgers(ids: number[], before: Date): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
      deleted += await this.t.db.transaction(async tx => {
        // Lock the marks: a write to one of these entities clears its mark in
        // its own transaction, so it either commits first (and the entity is
        // kept) or waits until these rows are gone (and its entry survives).
        let marked = tx('freeboard_refs')
          .whereIn('id', ids.slice(i, i + DELETE_CHUNK))
          .where('missing_since', '<', before)
          .select('id');
        if (this.t.isPostgres) marked = marked.forUpdate();
        const chunk = (await marked).map(r => Number(r.id));
        if (chunk.length === 0) return 0;
        for (const table of LEDGER_TABLES) {
          await tx(table).whereIn('entity_id', chunk).delete();
        }
        await tx('freeboard_refs')
          .whereIn('id', chunk)
          .update({ missing_since: null });
        return chunk.length;
      });
    }
    return deleted;
  }

  async pruneDailyHistory(at: Date): Promise<number> {
    // A day's margin beyond the longest trend keeps edge days intact.
    const oldest = dayOf(at.getTime()) - MAX_TREND_DAYS - 1;
    return this.t.db('trust_daily').where('day', '<', oldest).delete();
  }

  async purgeIdempotencyKeys(before: Date): Promise<number> {
    return this.t
      .db('trust_idempotency')
      .where('created_at', '<', before)
      .delete();
  }
}
