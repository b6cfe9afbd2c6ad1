import { makeValidator, parseEntityRef } from '@backstage/catalog-model';

/*
 * Rules for text and refs that both the frontend (to catch mistakes before a
 * round trip) and the backend (to refuse them) apply.
 */

/**
 * Whether `value` is an absolute http or https URL.
 *
 * @public
 */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

// C0 controls and DEL; PostgreSQL refuses NUL in text outright. Matching
// control characters is the point of these patterns, hence the lint waiver.
/* eslint-disable no-control-regex */
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_EXCEPT_LINE_BREAKS =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/* eslint-enable no-control-regex */

/**
 * Whether `value` holds a control character: any C0 control or DEL, or, for
 * multi-line text, any of them but tab, line feed and carriage return.
 *
 * @public
 */
export function hasControlCharacters(
  value: string,
  options?: { multiline?: boolean },
): boolean {
  return (options?.multiline ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL).test(
    value,
  );
}

const validator = makeValidator();

/**
 * Parses a full or shorthand entity ref (`kind:namespace/name`,
 * `kind:name`) and checks each part as the catalog names them. Returns the
 * ref in the form Freeboard stores and compares (`kind:namespace/name`, lower
 * case), or the reason it is not a valid ref.
 *
 * @public
 */
export function parseCatalogRef(
  value: string,
): { ref: string } | { problem: string } {
  let parts: { kind: string; namespace: string; name: string };
  try {
    // Refs compare case-insensitively, as in the catalog; the parts are
    // checked in the lower-case form Freeboard keeps.
    const parsed = parseEntityRef(value);
    parts = {
      kind: parsed.kind.toLocaleLowerCase('en-US'),
      namespace: parsed.namespace.toLocaleLowerCase('en-US'),
      name: parsed.name.toLocaleLowerCase('en-US'),
    };
  } catch {
    return { problem: `"${value}" is not an entity ref (kind:namespace/name)` };
  }
  if (!validator.isValidKind(parts.kind)) {
    return { problem: `"${parts.kind}" is not a valid entity kind` };
  }
  if (!validator.isValidNamespace(parts.namespace)) {
    return { problem: `"${parts.namespace}" is not a valid namespace` };
  }
  if (!validator.isValidEntityName(parts.name)) {
    return { problem: `"${parts.name}" is not a valid entity name` };
  }
  return { ref: `${parts.kind}:${parts.namespace}/${parts.name}` };
}

/**
 * The form Freeboard stores and compares entity refs in:
 * `kind:namespace/name`, lower case. Throws on a string that is not a valid
 * entity ref.
 *
 * @public
 */
export function normalizeEntityRef(
  ref: string | { kind: string; namespace?: string; name: string },
): string {
  if (typeof ref !== 'string') {
    return `${ref.kind}:${ref.namespace ?? 'default'}/${
      ref.name
    }`.toLocaleLowerCase('en-US');
  }
  const parsed = parseCatalogRef(ref);
  if ('problem' in parsed) throw new TypeError(parsed.problem);
  return parsed.ref;
}
