import {
  TrustDirection,
  TrustLedgerEntry,
} from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import { RefTable, isPostgres, toDate } from '../../shared/database';
import { DAY_MS, DecayBasis } from './decay';
import { EntryRowWithRefs, toId } from './rows';

/**
 * What the trust store's parts share: the client, the ref table, the clock,
 * and how the landmark and ledger rows are read.
 */
export class TrustTables {
  readonly isPostgres: boolean;
  readonly refs: RefTable;

  constructor(readonly db: Knex, readonly now: () => Date) {
    this.isPostgres = isPostgres(db);
    this.refs = new RefTable(db);
  }

  /**
   * The landmark and half-life every stored sum uses. Writers hold a share
   * lock on it so that a rebase, which takes it for update, never interleaves
   * with an increment; SQLite serializes writers anyway.
   */
  async basis(
    tx: Knex | Knex.Transaction,
    lock: 'share' | 'update' | 'none' = 'none',
  ): Promise<DecayBasis> {
    let query = tx('trust_landmark').where({ id: 1 });
    if (this.isPostgres && lock === 'share') query = query.forShare();
    if (this.isPostgres && lock === 'update') query = query.forUpdate();
    const row = await query.first();
    return {
      landmarkMs: Number(row.landmark_ms),
      halfLifeMs: Number(row.half_life_days) * DAY_MS,
    };
  }

  entriesQuery(db: Knex | Knex.Transaction = this.db) {
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

  toEntry(row: EntryRowWithRefs): TrustLedgerEntry {
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

  async getEntry(
    id: string,
    db: Knex | Knex.Transaction = this.db,
  ): Promise<TrustLedgerEntry | undefined> {
    const row = await this.entriesQuery(db).where('e.id', id).first();
    return row ? this.toEntry(row) : undefined;
  }
}
