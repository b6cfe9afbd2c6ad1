export { AdoptionPanel } from './AdoptionPanel';
