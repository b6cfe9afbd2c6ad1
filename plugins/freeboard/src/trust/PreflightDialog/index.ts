export { PreflightDialog } from './PreflightDialog';
