import { createApiRef } from '@backstage/core-plugin-api';
import {
  ListTrustEntriesOptions,
  PreflightRequest,
  PreflightResult,
  PulseRequest,
  PulseResult,
  PulseWithdrawal,
  RecordTrustEntryRequest,
  TrustConfig,
  TrustEntriesPage,
  TrustEntryResult,
  TrustLeaderboardOptions,
  TrustLeaderboardPage,
  TrustSummary,
  TrustTrend,
} from '@freeboard/backstage-plugin-common';

/*
 * The request and response types of the routes are the HTTP contract in
 * `@freeboard/backstage-plugin-common`, shared with the backend; only what
 * stays in the browser (such as how to send a request) is defined here.
 */

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
 * Client of the Freeboard backend's trust-credit routes. Entity refs may be
 * given in any case; they are addressed in lower case. A string that is not
 * an entity ref at all makes the call reject before any request.
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

  /**
   * Appends a correction that cancels the entry. Fails with a 409 for a
   * pulse (its sender withdraws it instead), a correction, or an entry
   * already reverted.
   */
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

  /**
   * Withdraws the signed-in user's counted pulse of the week, if they have
   * one; `withdrawn` says whether there was one.
   */
  withdrawPulse(entityRef: string): Promise<PulseWithdrawal>;

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
