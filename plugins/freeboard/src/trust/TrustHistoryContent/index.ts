export { TrustHistoryContent } from './TrustHistoryContent';
