/**
 * The Freeboard backend plugin: trust credits, MVP phases and float-or-sink
 * decisions for catalog entities.
 *
 * @packageDocumentation
 */

export { freeboardPlugin as default } from './plugin';
