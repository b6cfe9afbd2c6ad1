/**
 * The Freeboard frontend plugin for the legacy frontend system. For the new
 * frontend system, use the `/alpha` export.
 *
 * @packageDocumentation
 */

export {
  freeboardPlugin,
  EntityFloatOrSinkCard,
  EntityTrustCreditsCard,
  EntityTrustCreditsContent,
} from './plugin';
export { isFloatOrSinkAvailable } from './conditions';
export { freeboardApiRef, FreeboardClient } from './api';
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
} from './api';
