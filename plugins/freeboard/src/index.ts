/**
 * The Freeboard frontend plugin for the legacy frontend system. For the new
 * frontend system, use the `/alpha` export.
 *
 * @packageDocumentation
 */

export { freeboardPlugin, EntityFloatOrSinkCard } from './plugin';
export { isFloatOrSinkAvailable } from './conditions';
