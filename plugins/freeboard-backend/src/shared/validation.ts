import { InputError } from '@backstage/errors';
import {
  hasControlCharacters,
  isHttpUrl,
  parseCatalogRef,
} from '@freeboard/backstage-plugin-common';
import { z } from 'zod';

/*
 * The input rules every route shares. Request input is parsed once, at the
 * edge, into typed values; deeper code trusts it. Every error names the
 * field it is about. Text never carries C0 control characters (PostgreSQL
 * refuses NUL outright): single-line fields refuse them all, multi-line
 * fields allow tab, line feed and carriage return.
 */

/**
 * A field name as a message shows it: JSON-quoted unless a plain name, so
 * an empty name or one with spaces or control characters still reads (and
 * logs) as a name.
 */
function fieldName(key: string): string {
  return /^[A-Za-z0-9_$][\w$.-]*$/.test(key) ? key : JSON.stringify(key);
}

function describe(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const field = issue.path.join('.') || 'body';
      if (issue.code === 'unrecognized_keys') {
        return issue.keys
          .map(k => `${fieldName(k)}: is not an accepted field`)
          .join('; ');
      }
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses `input` or throws an InputError (400) that names each bad field. */
export function parse<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new InputError(describe(result.error));
  }
  return result.data;
}

const NO_CONTROL = 'must not contain control characters';

/** Trimmed single-line text of 1 to `max` characters. */
export function singleLineText(max: number) {
  return z
    .string({
      required_error: 'is required',
      invalid_type_error: 'must be a string',
    })
    .refine(value => !hasControlCharacters(value), NO_CONTROL)
    .transform(value => value.trim())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `must be at most ${max} characters`),
    );
}

/** Trimmed multi-line text of at most `max` characters. */
export function multiLineText(max: number) {
  return z
    .string({
      required_error: 'is required',
      invalid_type_error: 'must be a string',
    })
    .refine(
      value => !hasControlCharacters(value, { multiline: true }),
      NO_CONTROL,
    )
    .transform(value => value.trim())
    .pipe(z.string().max(max, `must be at most ${max} characters`));
}

/** A short identifier chosen from a list the server knows (a category id). */
export const identifier = z
  .string({
    required_error: 'is required',
    invalid_type_error: 'must be a string',
  })
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9-]*$/i, 'must be letters, digits and dashes');

/**
 * An entity ref from a body or a query, each part checked as the catalog
 * names them; parsed into the lower-case `kind:namespace/name` form.
 */
export const entityRef = z
  .string({ invalid_type_error: 'must be a string' })
  .max(255, 'must be at most 255 characters')
  .transform((value, ctx) => {
    const parsed = hasControlCharacters(value)
      ? { problem: NO_CONTROL }
      : parseCatalogRef(value.trim());
    if ('problem' in parsed) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.problem });
      return z.NEVER;
    }
    return parsed.ref;
  });

/** The entity a route addresses, like the catalog: `:kind/:namespace/:name`. */
export function entityRefFromParams(params: {
  kind?: string;
  namespace?: string;
  name?: string;
}): string {
  const { kind, namespace, name } = params;
  const parsed = parseCatalogRef(
    `${kind ?? ''}:${namespace ?? ''}/${name ?? ''}`,
  );
  if ('problem' in parsed) {
    throw new InputError(`path: ${parsed.problem}`);
  }
  return parsed.ref;
}

/** An absolute http(s) URL. */
export const httpUrl = z
  .string({ invalid_type_error: 'must be a string' })
  .max(2000, 'must be at most 2000 characters')
  .refine(value => !hasControlCharacters(value), NO_CONTROL)
  .transform(value => value.trim())
  .refine(isHttpUrl, 'must be an http or https URL');

/** A page size: 1 to 100. */
export function pageLimit(fallback: number) {
  return z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(fallback);
}

/** An opaque cursor as it arrives; the codec checks what it holds. */
export const cursorParam = z
  .string({ invalid_type_error: 'must be a single value' })
  .min(1, 'must not be empty')
  .max(1000, 'is too long')
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this API returned');

/** The `Idempotency-Key` header. */
export function idempotencyKeyFrom(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  if (
    typeof header !== 'string' ||
    header.length < 1 ||
    header.length > 255 ||
    !/^[\x21-\x7e]+$/.test(header)
  ) {
    throw new InputError(
      'Idempotency-Key: must be 1 to 255 printable ASCII characters without spaces',
    );
  }
  return header;
}
