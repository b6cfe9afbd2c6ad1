export { PhaseTransitions } from './PhaseTransitions';
