export { RevertEntryDialog } from './RevertEntryDialog';
