/**
 * Isomorphic types, permissions and constants of the Freeboard suite.
 *
 * @packageDocumentation
 */

export * from './constants';
export * from './permissions';
export * from './trust';
export * from './phases';
export * from './floatOrSink';
export * from './portfolio';
export * from './text';
