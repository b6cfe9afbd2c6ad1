export { PhaseDialog, settle } from './PhaseDialog';
