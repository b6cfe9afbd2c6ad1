/*
 * What every instrument's components use: the client of the Freeboard
 * backend, error messages and date formatting. Components (such as the
 * ConsumerPicker) are imported from their own folders.
 */
export { freeboardApiRef, PhaseConflictError } from './FreeboardApi';
export type {
  FreeboardApi,
  GetInitiativeOptions,
  ListPhaseHistoryOptions,
  PhaseDeleteOptions,
  PhasesReportFormat,
  RecordTrustEntryOptions,
  SetPhaseTargetRequest,
  SetPioneerTeamRequest,
} from './FreeboardApi';
export { FreeboardClient } from './FreeboardClient';
export { newIdempotencyKey } from './idempotencyKey';
export { errorMessage } from './errors';
export { formatDate } from './format';
