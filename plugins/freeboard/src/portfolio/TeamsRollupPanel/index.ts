export { TeamsRollupPanel } from './TeamsRollupPanel';
