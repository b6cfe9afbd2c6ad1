import { createApiRef } from '@backstage/core-plugin-api';
import {
  PreflightResult,
  PulseSentiment,
  TrustConfig,
  TrustDirection,
  TrustLedgerEntry,
  TrustLevel,
  TrustSummary,
  TrustTrendPoint,
} from '@freeboard/backstage-plugin-common';

/**
 * Filters and paging of an entity's ledger, newest entries first.
 *
 * @public
 */
export interface ListTrustEntriesOptions {
  /** At most 100; the backend defaults to 20. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  direction?: TrustDirection;
  category?: string;
  consumerRef?: string;
}

/**
 * One page of an entity's ledger.
 *
 * @public
 */
export interface TrustEntriesPage {
  entries: TrustLedgerEntry[];
  /** Present when there are older entries. */
  nextCursor?: string;
}

/**
 * What to record in an entity's ledger.
 *
 * @public
 */
export interface RecordTrustEntryRequest {
  category: string;
  amount: number;
  title: string;
  description?: string;
  consumerRef?: string;
  evidenceUrl?: string;
  /** ISO 8601; the backend uses the current time when absent. */
  occurredAt?: string;
  /** Checked against the category's direction when given. */
  direction?: TrustDirection;
}

/**
 * Options of {@link FreeboardApi.recordTrustEntry}.
 *
 * @public
 */
export interface RecordTrustEntryOptions {
  /**
   * Sent as the `Idempotency-Key` header: repeating a request with the same
   * key and body records it once. A fresh key is generated when absent.
   */
  idempotencyKey?: string;
}

/**
 * A ledger entry just written, and the entity's summary after it.
 *
 * @public
 */
export interface TrustEntryResult {
  entry: TrustLedgerEntry;
  summary: TrustSummary;
}

/**
 * A spend to project onto an entity's consumers.
 *
 * @public
 */
export interface PreflightRequest {
  /** A spend category. */
  category: string;
  amount: number;
  /** When absent, the backend finds the consumer teams from the catalog. */
  consumerRefs?: string[];
}

/**
 * A developer's pulse about an entity.
 *
 * @public
 */
export interface PulseRequest {
  sentiment: PulseSentiment;
  comment?: string;
}

/**
 * The pulse entry written, whether it replaced the sender's earlier pulse of
 * the week, and the entity's summary after it.
 *
 * @public
 */
export interface PulseResult extends TrustEntryResult {
  replaced: boolean;
}

/**
 * An entity's daily balances, oldest first.
 *
 * @public
 */
export interface TrustTrend {
  entityRef: string;
  days: number;
  points: TrustTrendPoint[];
}

/**
 * One entity of the trust leaderboard.
 *
 * @public
 */
export interface TrustLeaderboardItem {
  entityRef: string;
  balance: number;
  level: TrustLevel;
  earned: number;
  spent: number;
  entryCount: number;
  lastEntryAt?: string;
}

/**
 * Order and paging of the trust leaderboard.
 *
 * @public
 */
export interface TrustLeaderboardOptions {
  /** `desc` (highest balance first, the default) or `asc`. */
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

/**
 * One page of the trust leaderboard.
 *
 * @public
 */
export interface TrustLeaderboardPage {
  items: TrustLeaderboardItem[];
  nextCursor?: string;
}

/**
 * Client of the Freeboard backend's trust-credit routes. Entity refs may be
 * given in any case; they are addressed in lower case.
 *
 * @public
 */
export interface FreeboardApi {
  /** The backend's categories, thresholds and limits. */
  getTrustConfig(): Promise<TrustConfig>;

  /** Balance, level, totals, consumers and pulses of one entity. */
  getTrustSummary(entityRef: string): Promise<TrustSummary>;

  /** One page of the entity's ledger, newest first. */
  listTrustEntries(
    entityRef: string,
    options?: ListTrustEntriesOptions,
  ): Promise<TrustEntriesPage>;

  /** Appends an earning or spending entry to the entity's ledger. */
  recordTrustEntry(
    entityRef: string,
    request: RecordTrustEntryRequest,
    options?: RecordTrustEntryOptions,
  ): Promise<TrustEntryResult>;

  /** Appends a correction that cancels the entry; fails if already reverted. */
  revertTrustEntry(
    entityRef: string,
    entryId: string,
    reason: string,
  ): Promise<TrustEntryResult>;

  /** Projects a planned spend on each consumer team, without recording it. */
  runPreflight(
    entityRef: string,
    request: PreflightRequest,
  ): Promise<PreflightResult>;

  /** Sends the signed-in user's pulse; it replaces their pulse of the week. */
  sendPulse(entityRef: string, request: PulseRequest): Promise<PulseResult>;

  /** The balance at the end of each of the last `days` days (default 90). */
  getTrustTrend(entityRef: string, days?: number): Promise<TrustTrend>;

  /** Summaries of several entities; those the caller cannot see are left out. */
  getTrustScores(entityRefs: string[]): Promise<TrustSummary[]>;

  /** Entities with ledgers ordered by balance. */
  getTrustLeaderboard(
    options?: TrustLeaderboardOptions,
  ): Promise<TrustLeaderboardPage>;
}

/**
 * The {@link FreeboardApi}: provided by the Freeboard plugin in both frontend
 * systems.
 *
 * @public
 */
export const freeboardApiRef = createApiRef<FreeboardApi>({
  id: 'plugin.freeboard.service',
});
