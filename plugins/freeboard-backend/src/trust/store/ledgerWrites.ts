import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  TrustDirection,
  TrustLedgerEntry,
} from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import { isUniqueViolation, toDate } from '../../shared/database';
import { addToAggregates } from './aggregates';
import { TrustTables } from './context';
import { DAY_MS, DecayBasis, forwardWeight } from './decay';
import { EntryRow, PULSE_SOURCE, contribution, opposite, toId } from './rows';
import { IdempotencyKey, NewLedgerEntry, TrustLedgerStore } from './TrustStore';

/** A person's pulse counts once per entity in this window. */
const PULSE_WINDOW_MS = 7 * DAY_MS;

/** The Knex implementation of {@link TrustLedgerStore}. */
export class DatabaseTrustLedgerStore implements TrustLedgerStore {
  constructor(private readonly t: TrustTables) {}

  /**
   * Inserts one ledger row and adds it to every running sum, in `tx`. An
   * entity written to is present in the catalog again: its retention mark is
   * cleared in the same transaction, so a sweep that marked it earlier cannot
   * delete what this write adds (the sweep re-checks the mark under a lock).
   */
  private async insertEntry(
    tx: Knex.Transaction,
    basis: DecayBasis,
    row: Omit<EntryRow, 'id'>,
  ): Promise<string> {
    const weight = forwardWeight(toDate(row.occurred_at).getTime(), basis);
    const delta = contribution(
      {
        direction: row.direction as TrustDirection,
        amount: row.amount,
        isRevert: row.reverts_entry_id !== null,
      },
      weight,
    );
    // Configuration bounds keep this finite; a sum must never hold Infinity.
    if (!Number.isFinite(delta.balance)) {
      throw new Error(
        `Refusing a non-finite running-sum increment for entity ${row.entity_id}`,
      );
    }
    await tx('freeboard_refs')
      .where({ id: row.entity_id })
      .whereNotNull('missing_since')
      .update({ missing_since: null });
    const [{ id }] = await tx('trust_entries').insert(row).returning('id');
    await addToAggregates(tx, row, delta);
    return toId(id);
  }

  /** The compensating row of `original`, dated at the original's moment. */
  private compensation(
    original: EntryRow,
    options: { reason: string; recordedById: number; at: Date; source: string },
  ): Omit<EntryRow, 'id'> {
    return {
      entity_id: original.entity_id,
      direction: opposite(original.direction as TrustDirection),
      category: original.category,
      amount: Number(original.amount),
      title: `Revert: ${original.title}`.slice(0, 200),
      description: options.reason,
      consumer_id: original.consumer_id,
      evidence_url: null,
      // Same moment as the original, so the two cancel at every time.
      occurred_at: toDate(original.occurred_at),
      recorded_at: options.at,
      recorded_by_id: options.recordedById,
      source: options.source,
      reverts_entry_id: original.id,
    };
  }

  async appendEntry(
    entry: NewLedgerEntry,
    options?: { idempotency?: IdempotencyKey },
  ): Promise<{ entry: TrustLedgerEntry; replayed: boolean }> {
    const idempotency = options?.idempotency;

    const outcome = await this.t.db.transaction(async tx => {
      // Interned in the transaction: a refused write (a reused key) adds no refs.
      const refs = await this.t.refs.ensure(
        [entry.entityRef, entry.recordedBy, entry.consumerRef].filter(
          (r): r is string => Boolean(r),
        ),
        tx,
      );
      const entityId = refs.get(entry.entityRef)!;
      const recordedById = refs.get(entry.recordedBy)!;
      if (idempotency) {
        // A concurrent request with the same key waits here for the first
        // one to commit (PostgreSQL) or runs after it (SQLite), then finds it.
        const inserted = await tx('trust_idempotency')
          .insert({
            user_id: recordedById,
            idempotency_key: idempotency.key,
            request_hash: idempotency.requestHash,
            entry_id: null,
            created_at: this.t.now(),
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

      const basis = await this.t.basis(tx, 'share');
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
        recorded_at: this.t.now(),
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

    const stored = await this.t.getEntry(outcome.entryId);
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
    const notFound = () =>
      new NotFoundError(`No entry ${options.entryId} on ${options.entityRef}`);
    const entityId = (await this.t.refs.find([options.entityRef])).get(
      options.entityRef,
    );
    if (entityId === undefined) throw notFound();

    const revertId = await this.t.db.transaction(async tx => {
      // Interned in the transaction: a refused revert adds no refs.
      const recordedById = (
        await this.t.refs.ensure([options.recordedBy], tx)
      ).get(options.recordedBy)!;
      const original: EntryRow | undefined = await tx('trust_entries')
        .where({ id: options.entryId, entity_id: entityId })
        .first();
      if (!original) throw notFound();
      if (original.reverts_entry_id !== null) {
        throw new ConflictError(
          `Entry ${options.entryId} is itself a correction and cannot be reverted`,
        );
      }
      // Only the sender changes or withdraws a pulse; a correction by anyone
      // else would leave the sender's counted pulse pointing at a reverted
      // entry.
      if (original.source === PULSE_SOURCE) {
        throw new ConflictError(
          `Entry ${options.entryId} is a pulse: only its sender can withdraw it`,
        );
      }
      const basis = await this.t.basis(tx, 'share');
      try {
        return await this.insertEntry(
          tx,
          basis,
          this.compensation(original, {
            reason: options.reason,
            recordedById,
            at: options.recordedAt,
            source: options.source,
          }),
        );
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(
            `Entry ${options.entryId} has already been reverted`,
          );
        }
        throw error;
      }
    });
    return (await this.t.getEntry(revertId))!;
  }

  /**
   * Locks the user's pulses on the entity for this transaction (PostgreSQL;
   * SQLite serializes writers) and returns the counted one of the window.
   */
  private async currentPulse(
    tx: Knex.Transaction,
    entityId: number,
    userId: number,
    at: Date,
  ) {
    if (this.t.isPostgres) {
      await tx.raw('select pg_advisory_xact_lock(?, ?)', [entityId, userId]);
    }
    return tx('trust_pulses')
      .where({ entity_id: entityId, user_id: userId })
      .where('window_start', '>', new Date(at.getTime() - PULSE_WINDOW_MS))
      .orderBy('window_start', 'desc')
      .first();
  }

  /** Compensates the entry of a counted pulse that is replaced or withdrawn. */
  private async compensatePulse(
    tx: Knex.Transaction,
    basis: DecayBasis,
    pulse: { entry_id: string | number },
    userId: number,
    at: Date,
    reason: string,
  ) {
    const old: EntryRow = await tx('trust_entries')
      .where({ id: pulse.entry_id })
      .first();
    await this.insertEntry(
      tx,
      basis,
      this.compensation(old, {
        reason,
        recordedById: userId,
        at,
        source: PULSE_SOURCE,
      }),
    );
  }

  async recordPulse(options: {
    entityRef: string;
    userRef: string;
    sentiment: 'up' | 'down';
    category: string;
    amount: number;
    title: string;
    comment?: string;
    at: Date;
  }): Promise<{ entry: TrustLedgerEntry; replaced: boolean }> {
    const refs = await this.t.refs.ensure([options.entityRef, options.userRef]);
    const entityId = refs.get(options.entityRef)!;
    const userId = refs.get(options.userRef)!;

    const outcome = await this.t.db.transaction(async tx => {
      const current = await this.currentPulse(tx, entityId, userId, options.at);
      const basis = await this.t.basis(tx, 'share');
      if (current) {
        await this.compensatePulse(
          tx,
          basis,
          current,
          userId,
          options.at,
          'Replaced by a newer pulse from the same person',
        );
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
        source: PULSE_SOURCE,
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
      entry: (await this.t.getEntry(outcome.entryId))!,
      replaced: outcome.replaced,
    };
  }

  async withdrawPulse(options: {
    entityRef: string;
    userRef: string;
    at: Date;
  }): Promise<{ withdrawn: boolean }> {
    const refs = await this.t.refs.find([options.entityRef, options.userRef]);
    const entityId = refs.get(options.entityRef);
    const userId = refs.get(options.userRef);
    if (entityId === undefined || userId === undefined) {
      return { withdrawn: false };
    }
    return this.t.db.transaction(async tx => {
      const current = await this.currentPulse(tx, entityId, userId, options.at);
      if (!current) return { withdrawn: false };
      const basis = await this.t.basis(tx, 'share');
      await this.compensatePulse(
        tx,
        basis,
        current,
        userId,
        options.at,
        'Withdrawn by its sender',
      );
      await tx('trust_pulses').where({ id: current.id }).delete();
      return { withdrawn: true };
    });
  }
}
