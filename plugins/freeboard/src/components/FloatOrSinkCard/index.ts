export { FloatOrSinkCard } from './FloatOrSinkCard';
