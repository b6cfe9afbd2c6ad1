/**
 * Scaffolder module of the Freeboard suite: software templates can run a
 * trust pre-flight, record a trust entry and tick an MVP phase criterion,
 * with the permissions of the user running the template.
 *
 * @packageDocumentation
 */

export { scaffolderModuleFreeboard as default } from './module';
