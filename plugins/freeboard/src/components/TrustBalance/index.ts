export { TrustBalance } from './TrustBalance';
