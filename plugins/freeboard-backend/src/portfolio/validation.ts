import {
  MVP_PHASES,
  PORTFOLIO_SORTS,
  TRUST_LEVELS,
  hasControlCharacters,
} from '@freeboard/backstage-plugin-common';
import { z } from 'zod';
import { entityRef } from '../shared/validation';

/*
 * The portfolio's query rules. Every parameter is a single value (a
 * repeated one arrives as an array and is refused), enums are closed, refs
 * are parsed into their lower-case form, numbers are whole and bounded.
 */

export const MAX_PAGE_LIMIT = 200;
export const MAX_OFFSET = 1_000_000;
const MAX_QUERY_LENGTH = 200;

function oneOf<U extends string, T extends Readonly<[U, ...U[]]>>(values: T) {
  return z.enum(values, {
    errorMap: () => ({
      message: `must be one of ${values.map(v => `"${v}"`).join(', ')}`,
    }),
  });
}

/** A whole number from a query string, `min` to `max`. */
function wholeNumber(min: number, max: number, fallback: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .preprocess(
      value =>
        typeof value === 'string' && /^-?\d{1,9}$/.test(value)
          ? Number(value)
          : value,
      z
        .number({ invalid_type_error: message })
        .int(message)
        .min(min, message)
        .max(max, message),
    )
    .default(fallback);
}

/** Case-insensitive search text; empty means no search. */
const searchText = z
  .string({ invalid_type_error: 'must be a single value' })
  .max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`)
  .refine(
    value => !hasControlCharacters(value),
    'must not contain control characters',
  )
  .transform(value => value.trim() || undefined);

const filters = {
  owner: entityRef.optional(),
  system: entityRef.optional(),
  decision: oneOf(['float', 'sink', 'none', 'invalid']).optional(),
  level: oneOf(TRUST_LEVELS).optional(),
  phase: oneOf([...MVP_PHASES, 'none']).optional(),
  overdue: oneOf(['true', 'false'])
    .transform(value => value === 'true')
    .optional(),
  q: searchText.optional(),
  sort: oneOf(PORTFOLIO_SORTS).default('attention'),
  order: oneOf(['asc', 'desc']).default('asc'),
};

/** Query of `GET /portfolio`. */
export const portfolioQuery = z
  .object({
    ...filters,
    limit: wholeNumber(1, MAX_PAGE_LIMIT, 50),
    offset: wholeNumber(0, MAX_OFFSET, 0),
  })
  .strict();

/** Query of `GET /portfolio/export.csv`: the filters and order, every row. */
export const portfolioExportQuery = z.object(filters).strict();

/** Routes that take no query: an unknown parameter is a 400 naming it. */
export const noQuery = z.object({}).strict();
