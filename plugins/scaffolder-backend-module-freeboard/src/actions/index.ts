export { createTrustPreflightAction } from './preflight';
export { createTrustRecordAction } from './record';
export { createPhasesSetCriterionAction } from './setCriterion';
