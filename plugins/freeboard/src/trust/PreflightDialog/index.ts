export { PreflightDialog } from './PreflightDialog';
export type { PreflightInitialValues } from './PreflightDialog';
