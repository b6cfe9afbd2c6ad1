export {
  AdoptionStateChip,
  CriterionBadges,
  CriterionStateChip,
  criterionStateLabel,
  SignoffStateChip,
} from './PhaseChips';
