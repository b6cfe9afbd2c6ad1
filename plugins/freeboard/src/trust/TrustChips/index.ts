export {
  PreflightVerdictChip,
  TrustLevelChip,
  trustLevelLabel,
} from './TrustChips';
