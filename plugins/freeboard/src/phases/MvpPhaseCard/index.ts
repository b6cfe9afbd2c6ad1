export { MvpPhaseCard } from './MvpPhaseCard';
