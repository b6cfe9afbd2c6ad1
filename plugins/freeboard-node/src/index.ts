/**
 * Node library for backend modules and permission policies that work with
 * the Freeboard suite.
 *
 * @packageDocumentation
 */

export {
  freeboardTrustExtensionPoint,
  type FreeboardTrustExtensionPoint,
  type TrustLedgerWriter,
  type TrustLedgerWrite,
  freeboardPhasesExtensionPoint,
  type FreeboardPhasesExtensionPoint,
  type PhasesModuleWriter,
  type ImportedPhaseEvent,
  type ImportedPhaseEventData,
} from './extensions';
export {
  freeboardEntityResourceRef,
  isEntityOwner,
  freeboardConditions,
  createFreeboardConditionalDecision,
  freeboardPermissionRules,
  freeboardTrustEntryResourceRef,
  isTrustEntryOfOwnedEntity,
  isTrustEntryRecordedBy,
  freeboardTrustEntryConditions,
  createFreeboardTrustEntryConditionalDecision,
  freeboardTrustEntryPermissionRules,
  type FreeboardTrustEntryResource,
} from './permissions';
export { isValidModuleId, MODULE_ID_MAX_LENGTH } from './moduleId';
