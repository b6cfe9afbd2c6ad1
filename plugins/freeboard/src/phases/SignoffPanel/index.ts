export { SignoffPanel } from './SignoffPanel';
