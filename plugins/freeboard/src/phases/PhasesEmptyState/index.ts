export { PhasesEmptyState } from './PhasesEmptyState';
