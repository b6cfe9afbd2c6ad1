export { CriteriaChecklist } from './CriteriaChecklist';
