export { OverdueReviewsPanel } from './OverdueReviewsPanel';
