import {
  PulseSentiment,
  TrustDirection,
  TrustLedgerEntry,
  TrustTrendPoint,
} from '@freeboard/backstage-plugin-common';

/*
 * Storage of the trust-credit ledger and its running sums, in three parts:
 * writes (which keep the sums up to date in their transaction), reads (which
 * never scan the ledger) and maintenance (scheduled work). Refs are
 * normalized (lower case) by the caller.
 */

/** An entry to append. */
export interface NewLedgerEntry {
  entityRef: string;
  direction: TrustDirection;
  category: string;
  amount: number;
  title: string;
  description?: string;
  consumerRef?: string;
  evidenceUrl?: string;
  occurredAt: Date;
  recordedBy: string;
  source: string;
}

/** A retry-safety key scoped to the caller. */
export interface IdempotencyKey {
  key: string;
  /** A hash of the request; the same key with another hash is a conflict. */
  requestHash: string;
}

/** The stored totals of one entity's ledger, already decayed to a time. */
export interface TrustTotals {
  entityRef: string;
  balance: number;
  earned: number;
  spent: number;
  entryCount: number;
  lastEntryAt?: string;
}

/** One consumer's balance within an entity's ledger. */
export interface ConsumerTotals {
  consumerRef: string;
  balance: number;
  entryCount: number;
}

/** What {@link TrustReadStore.getSummaryParts} returns per entity with a ledger. */
export interface SummaryParts {
  totals: TrustTotals;
  consumers: ConsumerTotals[];
  /** Pulse counts since each time of `pulseSince`, in that order. */
  pulses: Array<{ up: number; down: number }>;
}

/** Where a page of entries ends: the next page starts after it. */
export interface EntryPosition {
  occurredAtMs: number;
  id: number;
}

export interface ListEntriesOptions {
  limit: number;
  after?: EntryPosition;
  direction?: TrustDirection;
  category?: string;
  consumerRef?: string;
}

/** Where a leaderboard page ends, in the stored (forward-decayed) terms. */
export interface LeaderboardPosition {
  landmarkMs: number;
  storedBalance: number;
  entityId: number;
}

export interface LeaderboardOptions {
  order: 'asc' | 'desc';
  limit: number;
  after?: LeaderboardPosition;
}

/** Appends to the ledger; each write updates the running sums atomically. */
export interface TrustLedgerStore {
  /**
   * Appends an entry. Idempotency keys are scoped to `entry.recordedBy`.
   * With an idempotency key already used for the same request, writes
   * nothing and answers with the first entry (`replayed`); with a key used
   * for another request, throws a ConflictError.
   */
  appendEntry(
    entry: NewLedgerEntry,
    options?: { idempotency?: IdempotencyKey },
  ): Promise<{ entry: TrustLedgerEntry; replayed: boolean }>;

  /**
   * Appends the compensating entry of `entryId`. Throws NotFoundError when the
   * entity has no such entry; ConflictError when it was reverted already, is
   * itself a correction, or is a pulse (pulses are withdrawn by their sender).
   */
  revertEntry(options: {
    entityRef: string;
    entryId: string;
    reason: string;
    recordedBy: string;
    source: string;
    recordedAt: Date;
  }): Promise<TrustLedgerEntry>;

  /**
   * Records the user's pulse: a new counted pulse, or, within 7 days of the
   * user's counted pulse on this entity, a replacement of it (the old pulse
   * entry is compensated, so the ledger stays append-only).
   */
  recordPulse(options: {
    entityRef: string;
    userRef: string;
    sentiment: PulseSentiment;
    category: string;
    amount: number;
    title: string;
    comment?: string;
    at: Date;
  }): Promise<{ entry: TrustLedgerEntry; replaced: boolean }>;

  /**
   * Withdraws the user's counted pulse of the last 7 days on the entity, if
   * any: its entry is compensated and it no longer counts.
   */
  withdrawPulse(options: {
    entityRef: string;
    userRef: string;
    at: Date;
  }): Promise<{ withdrawn: boolean }>;
}

/** Reads of the running sums and the ledger; never a scan of the ledger. */
export interface TrustReadStore {
  /** Resolves when the database answers. */
  ping(): Promise<void>;

  /** One entry of an entity's ledger, if it has it. */
  getEntry(
    entityRef: string,
    entryId: string,
  ): Promise<TrustLedgerEntry | undefined>;

  /** Entries by id, whatever their entity. */
  getEntries(entryIds: string[]): Promise<TrustLedgerEntry[]>;

  /** Newest first (by when they happened), and where the page ended. */
  listEntries(
    entityRef: string,
    options: ListEntriesOptions,
  ): Promise<{ entries: TrustLedgerEntry[]; next?: EntryPosition }>;

  /**
   * Everything a summary needs for many entities, from one snapshot: totals,
   * the `consumerLimit` lowest consumer balances of each, and counted pulses
   * since each of `pulseSince`.
   */
  getSummaryParts(
    entityRefs: string[],
    at: Date,
    options: { consumerLimit: number; pulseSince: Date[] },
  ): Promise<Map<string, SummaryParts>>;

  /**
   * The entity's totals and its consumers' balances (all, or those in
   * `consumerRefs`), decayed to `at`, from one snapshot.
   */
  getBalances(
    entityRef: string,
    at: Date,
    options: { consumerRefs: string[] },
  ): Promise<{ totals?: TrustTotals; consumers: ConsumerTotals[] }>;

  /** The balance at the end of each of the last `days` UTC days (today: at `at`). */
  getTrend(
    entityRef: string,
    days: number,
    at: Date,
  ): Promise<TrustTrendPoint[]>;

  /**
   * Entities with ledgers ordered by current balance, from one snapshot;
   * each item carries the position that continues after it.
   */
  leaderboard(
    options: LeaderboardOptions,
    at: Date,
  ): Promise<{
    items: Array<TrustTotals & { position: LeaderboardPosition }>;
    hasMore: boolean;
  }>;

  /** Whether any entry has been recorded. */
  isEmpty(): Promise<boolean>;
}

/** Scheduled upkeep of the running sums and of retention. */
export interface TrustMaintenanceStore {
  /**
   * When the configured half-life differs from the one the sums were kept
   * with, rebuilds them (in SQL) under the landmark lock, re-checking there,
   * and moves the landmark to now. Returns whether it rebuilt.
   */
  applyHalfLife(halfLifeDays: number): Promise<boolean>;

  /** Moves the decay landmark to `at` when it lies far enough behind. */
  rebaseIfDue(at: Date): Promise<boolean>;

  /**
   * Rebuilds every running sum from the ledger under the current landmark
   * and half-life. The reference that tests compare the sums with.
   */
  recomputeAggregates(): Promise<void>;

  /** Entities that have ledgers, by id, a page at a time. */
  listLedgerEntities(options: {
    afterId: number;
    limit: number;
  }): Promise<Array<{ id: number; ref: string }>>;

  /**
   * Records which ledger entities the catalog has (`present`) and lacks
   * (`missing`, from `at` unless already missing).
   */
  markCatalogPresence(options: {
    present: number[];
    missing: number[];
    at: Date;
  }): Promise<void>;

  /** Of `ids`, those whose entity has been missing since before `before`. */
  expiredOrphans(ids: number[], before: Date): Promise<number[]>;

  /**
   * Deletes the ledgers of `ids` whose entity is still missing since before
   * `before` (re-checked under a row lock, so an entity written meanwhile is
   * kept), clears their mark, and returns how many went.
   */
  deleteOrphanedLedgers(ids: number[], before: Date): Promise<number>;

  /**
   * Deletes per-day sums older than the longest trend reaches back from
   * `at`; trends take older history from the totals.
   */
  pruneDailyHistory(at: Date): Promise<number>;

  /** Deletes idempotency keys older than `before`. */
  purgeIdempotencyKeys(before: Date): Promise<number>;
}
