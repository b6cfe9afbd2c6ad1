export { TrustActions } from './TrustActions';
