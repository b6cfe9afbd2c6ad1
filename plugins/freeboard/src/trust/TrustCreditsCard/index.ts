export { TrustCreditsCard } from './TrustCreditsCard';
