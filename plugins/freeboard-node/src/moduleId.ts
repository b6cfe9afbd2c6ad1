/**
 * The longest module id the Freeboard backend accepts: it becomes the
 * `source` of the ledger entries a module writes.
 *
 * @public
 */
export const MODULE_ID_MAX_LENGTH = 64;

/**
 * Whether `moduleId` can name a module that writes to Freeboard: 1 to 64
 * letters, digits, dots, dashes and underscores, starting with a letter or
 * digit. The names `manual`, `pulse` and `api` are the backend's own sources.
 *
 * @public
 */
export function isValidModuleId(moduleId: unknown): moduleId is string {
  return (
    typeof moduleId === 'string' &&
    moduleId.length <= MODULE_ID_MAX_LENGTH &&
    /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(moduleId) &&
    !['manual', 'pulse', 'api'].includes(moduleId)
  );
}
