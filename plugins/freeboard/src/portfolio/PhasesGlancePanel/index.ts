export { PhasesGlancePanel } from './PhasesGlancePanel';
