export { CapabilitiesCard } from './CapabilitiesCard';
