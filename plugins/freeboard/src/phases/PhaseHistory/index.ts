export { PhaseHistory } from './PhaseHistory';
