import {
  PulseSentiment,
  TrustDirection,
  TrustLedgerEntry,
  TrustLevel,
  TrustSummary,
  TrustTrendPoint,
} from './types';

/*
 * The HTTP contract of the trust-credit routes, shared by the backend that
 * answers and the frontend client that asks. The routes are described in the
 * backend's `src/schema/openapi.yaml`.
 */

/**
 * Filters and paging of an entity's ledger, newest entries first
 * (`GET /trust/entities/:kind/:namespace/:name/entries`).
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
 * What to record in an entity's ledger
 * (`POST /trust/entities/:kind/:namespace/:name/entries`).
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
 * Why an entry is reverted
 * (`POST /trust/entities/:kind/:namespace/:name/entries/:id/revert`).
 *
 * @public
 */
export interface RevertTrustEntryRequest {
  reason: string;
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
 * A spend to project onto an entity's consumers
 * (`POST /trust/entities/:kind/:namespace/:name/preflight`).
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
 * A developer's pulse about an entity
 * (`PUT /trust/entities/:kind/:namespace/:name/pulse`).
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
 * What withdrawing one's pulse did
 * (`DELETE /trust/entities/:kind/:namespace/:name/pulse`).
 *
 * @public
 */
export interface PulseWithdrawal {
  /** Whether the caller had a counted pulse this week that is now withdrawn. */
  withdrawn: boolean;
  summary: TrustSummary;
}

/**
 * An entity's daily balances, oldest first
 * (`GET /trust/entities/:kind/:namespace/:name/trend`).
 *
 * @public
 */
export interface TrustTrend {
  entityRef: string;
  days: number;
  points: TrustTrendPoint[];
}

/**
 * Entities whose summaries are wanted (`POST /trust/scores`).
 *
 * @public
 */
export interface TrustScoresRequest {
  entityRefs: string[];
}

/**
 * Summaries of the requested entities the caller can see.
 *
 * @public
 */
export interface TrustScoresResponse {
  items: TrustSummary[];
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
 * Order and paging of the trust leaderboard (`GET /trust/leaderboard`).
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
