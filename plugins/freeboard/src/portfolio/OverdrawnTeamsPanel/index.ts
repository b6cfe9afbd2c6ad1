export { OverdrawnTeamsPanel } from './OverdrawnTeamsPanel';
