export { RecordEntryDialog } from './RecordEntryDialog';
