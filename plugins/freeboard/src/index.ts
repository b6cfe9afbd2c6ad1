/**
 * The Freeboard frontend plugin for the legacy frontend system. For the new
 * frontend system, use the `/alpha` export.
 *
 * @packageDocumentation
 */

export {
  freeboardPlugin,
  EntityFloatOrSinkCard,
  EntityMvpPhaseCard,
  EntityPhasesContent,
  EntityTrustCreditsCard,
  EntityTrustCreditsContent,
  FreeboardPortfolioPage,
} from './plugin';
export { isFloatOrSinkAvailable } from './decisions/conditions';
export { freeboardApiRef, FreeboardClient, PhaseConflictError } from './shared';
export type {
  FreeboardApi,
  GetInitiativeOptions,
  ListPhaseHistoryOptions,
  PhaseDeleteOptions,
  PhasesReportFormat,
  RecordTrustEntryOptions,
  SetPhaseTargetRequest,
  SetPioneerTeamRequest,
} from './shared';
// The HTTP contract lives in the common package; these names stay exported
// here for code that imported them from the frontend plugin.
export type {
  ListTrustEntriesOptions,
  PreflightRequest,
  PulseRequest,
  PulseResult,
  RecordTrustEntryRequest,
  TrustEntriesPage,
  TrustEntryResult,
  TrustLeaderboardItem,
  TrustLeaderboardOptions,
  TrustLeaderboardPage,
  TrustTrend,
} from '@freeboard/backstage-plugin-common';
