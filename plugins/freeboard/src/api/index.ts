export { freeboardApiRef } from './FreeboardApi';
export type {
  FreeboardApi,
  ListTrustEntriesOptions,
  PreflightRequest,
  PulseRequest,
  PulseResult,
  RecordTrustEntryOptions,
  RecordTrustEntryRequest,
  TrustEntriesPage,
  TrustEntryResult,
  TrustLeaderboardItem,
  TrustLeaderboardOptions,
  TrustLeaderboardPage,
  TrustTrend,
} from './FreeboardApi';
export { FreeboardClient } from './FreeboardClient';
export { newIdempotencyKey } from './idempotencyKey';
