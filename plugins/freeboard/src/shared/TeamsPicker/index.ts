export { TeamsPicker } from './TeamsPicker';
