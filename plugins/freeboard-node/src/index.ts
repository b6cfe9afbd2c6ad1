/**
 * Node library for backend modules that extend the Freeboard suite.
 *
 * @packageDocumentation
 */

export {
  freeboardTrustExtensionPoint,
  type FreeboardTrustExtensionPoint,
} from './extensions';
