export { ThicknessPanel } from './ThicknessPanel';
