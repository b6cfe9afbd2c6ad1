import {
  PulseSentiment,
  TrustDirection,
  TrustLedgerEntry,
  TrustTrendPoint,
} from '@freeboard/backstage-plugin-common';

/** An entry to append; refs are normalized (lower case) by the caller. */
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

/** What {@link TrustStore.getSummaryParts} returns per entity with a ledger. */
export interface SummaryParts {
  totals: TrustTotals;
  consumers: ConsumerTotals[];
  /** Pulse counts since each time of `pulseSince`, in that order. */
  pulses: Array<{ up: number; down: number }>;
}

export interface ListEntriesOptions {
  limit: number;
  cursor?: string;
  direction?: TrustDirection;
  category?: string;
  consumerRef?: string;
}

export interface LeaderboardOptions {
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

/**
 * Storage of the trust-credit ledger and its running aggregates. Reads never
 * scan the ledger: every write updates the aggregates in its transaction.
 */
export interface TrustStore {
  /** Resolves when the database answers. */
  ping(): Promise<void>;

  /**
   * Appends an entry. Idempotency keys are scoped to `entry.recordedBy`.
   * With an idempotency key already used for the same
   * request, writes nothing and answers with the first entry (`replayed`);
   * with a key used for another request, throws a ConflictError.
   */
  appendEntry(
    entry: NewLedgerEntry,
    options?: { idempotency?: IdempotencyKey },
  ): Promise<{ entry: TrustLedgerEntry; replayed: boolean }>;

  /**
   * Appends the compensating entry of `entryId`. Throws NotFoundError when the
   * entity has no such entry, ConflictError when it was reverted already or is
   * itself a correction.
   */
  revertEntry(options: {
    entityRef: string;
    entryId: string;
    reason: string;
    recordedBy: string;
    source: string;
    recordedAt: Date;
  }): Promise<TrustLedgerEntry>;

  /** Newest first (by when they happened). */
  listEntries(
    entityRef: string,
    options: ListEntriesOptions,
  ): Promise<{ entries: TrustLedgerEntry[]; nextCursor?: string }>;

  /**
   * Everything a summary needs for many entities in a fixed number of
   * queries: totals, the `consumerLimit` lowest consumer balances of each,
   * and counted pulses since each of `pulseSince`.
   */
  getSummaryParts(
    entityRefs: string[],
    at: Date,
    options: { consumerLimit: number; pulseSince: Date[] },
  ): Promise<Map<string, SummaryParts>>;

  /** Totals of the entities that have ledgers, decayed to `at`. */
  getTotals(entityRefs: string[], at: Date): Promise<Map<string, TrustTotals>>;

  /**
   * Consumer balances of an entity decayed to `at`, lowest first; all of them,
   * or only those in `consumerRefs`.
   */
  getConsumerTotals(
    entityRef: string,
    at: Date,
    options?: { consumerRefs?: string[]; limit?: number },
  ): Promise<ConsumerTotals[]>;

  /** The balance at the end of each of the last `days` UTC days (today: at `at`). */
  getTrend(
    entityRef: string,
    days: number,
    at: Date,
  ): Promise<TrustTrendPoint[]>;

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
   * Entities with ledgers ordered by current balance; each item carries the
   * cursor that continues after it.
   */
  leaderboard(
    options: LeaderboardOptions,
    at: Date,
  ): Promise<{
    items: Array<TrustTotals & { cursor: string }>;
    hasMore: boolean;
  }>;

  /** Whether any entry has been recorded. */
  isEmpty(): Promise<boolean>;

  /** Moves the decay landmark to `at` when it lies far enough behind. */
  rebaseIfDue(at: Date): Promise<boolean>;

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

  /**
   * Deletes every row of the ledgers whose entity has been missing from the
   * catalog since before `before`; returns how many ledgers went.
   */
  deleteOrphanedLedgers(before: Date): Promise<number>;

  /**
   * Deletes per-day sums older than the longest trend reaches back from
   * `at`; trends take older history from the totals.
   */
  pruneDailyHistory(at: Date): Promise<number>;

  /** Deletes idempotency keys older than `before`. */
  purgeIdempotencyKeys(before: Date): Promise<number>;
}
