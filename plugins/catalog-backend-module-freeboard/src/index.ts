/**
 * Catalog module of the Freeboard suite: validates float-or-sink annotations
 * and turns `freeboard.dev/replaced-by` into relations.
 *
 * @packageDocumentation
 */

export { catalogModuleFreeboard as default } from './module';
