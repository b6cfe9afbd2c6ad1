export { PhaseStepper } from './PhaseStepper';
