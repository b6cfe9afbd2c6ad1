import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { TrustConfig } from '@freeboard/backstage-plugin-common';
import { z } from 'zod';
import { MAX_TREND_DAYS } from '../trust/decay';

/*
 * Request input is parsed here, once, into typed values; deeper code trusts
 * it. Every error names the field it is about.
 */

const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

function describe(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const field = issue.path.join('.') || 'body';
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map(k => `${k}: is not an accepted field`).join('; ');
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

/** `kind:namespace/name`, lower case: how refs are compared and stored. */
export function normalizeRef(ref: string): string {
  return stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US');
}

const entityRefString = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .transform((value, ctx) => {
    try {
      const ref = parseEntityRef(value);
      return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
    } catch {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `"${value}" is not an entity ref (kind:namespace/name)`,
      });
      return z.NEVER;
    }
  });

const NAME_PART = /^[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?$/i;

/** The entity a route addresses, like the catalog: `:kind/:namespace/:name`. */
export function entityRefFromParams(params: {
  kind?: string;
  namespace?: string;
  name?: string;
}): string {
  const { kind, namespace, name } = params;
  for (const [field, value] of Object.entries({ kind, namespace, name })) {
    if (!value || !NAME_PART.test(value)) {
      throw new InputError(
        `${field}: "${value ?? ''}" is not a valid ${field}`,
      );
    }
  }
  return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
}

const isoDateTime = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

const httpUrl = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine(value => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http or https URL');

/** An amount of credits: positive and at most the configured maximum. */
function creditAmount(config: TrustConfig) {
  return z
    .number({ invalid_type_error: 'must be a number' })
    .finite()
    .positive('must be greater than 0')
    .max(config.maxAmount, `must be at most ${config.maxAmount}`);
}

/** Body of `POST .../entries`. */
export function recordEntrySchema(config: TrustConfig, now: Date) {
  return z
    .object({
      direction: z.enum(['earn', 'spend']).optional(),
      category: z.string().min(1, 'is required'),
      amount: creditAmount(config),
      title: z
        .string({ required_error: 'is required' })
        .trim()
        .min(1, 'must not be empty')
        .max(200, 'must be at most 200 characters'),
      description: z
        .string()
        .trim()
        .max(4000, 'must be at most 4000 characters')
        .optional(),
      consumerRef: entityRefString.optional(),
      evidenceUrl: httpUrl.optional(),
      occurredAt: isoDateTime
        .transform(value => new Date(value))
        .refine(
          date => date.getTime() <= now.getTime() + FUTURE_TOLERANCE_MS,
          'must not be more than 5 minutes in the future',
        )
        .optional(),
    })
    .strict()
    .superRefine((body, ctx) => {
      const category = config.categories.find(c => c.id === body.category);
      if (!category) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['category'],
          message: `"${
            body.category
          }" is not a known category (${config.categories
            .map(c => c.id)
            .join(', ')})`,
        });
        return;
      }
      if (body.direction && body.direction !== category.direction) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['direction'],
          message: `category "${category.id}" is a ${category.direction} category, not ${body.direction}`,
        });
      }
    })
    .transform(body => ({
      ...body,
      direction:
        body.direction ??
        config.categories.find(c => c.id === body.category)!.direction,
    }));
}

/** Body of `POST .../entries/:id/revert`. */
export const revertSchema = z
  .object({
    reason: z
      .string({ required_error: 'is required' })
      .trim()
      .min(1, 'must not be empty')
      .max(1000, 'must be at most 1000 characters'),
  })
  .strict();

/** Body of `POST .../preflight`. */
export function preflightSchema(config: TrustConfig) {
  return z
    .object({
      category: z.string().min(1, 'is required'),
      amount: creditAmount(config),
      consumerRefs: z
        .array(entityRefString)
        .max(100, 'must list at most 100 refs')
        .optional(),
    })
    .strict()
    .superRefine((body, ctx) => {
      const category = config.categories.find(c => c.id === body.category);
      if (!category || category.direction !== 'spend') {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['category'],
          message: `"${body.category}" is not a known spend category`,
        });
      }
    });
}

/** Body of `PUT .../pulse`. */
export const pulseSchema = z
  .object({
    sentiment: z.enum(['up', 'down'], {
      errorMap: () => ({ message: 'must be "up" or "down"' }),
    }),
    comment: z
      .string()
      .trim()
      .max(1000, 'must be at most 1000 characters')
      .optional(),
  })
  .strict();

/** Body of `POST /trust/scores`. */
export const scoresSchema = z
  .object({
    entityRefs: z
      .array(entityRefString)
      .min(1, 'must list at least one ref')
      .max(100, 'must list at most 100 refs'),
  })
  .strict();

const limit = (fallback: number) =>
  z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(fallback);

const singleString = z.string().max(1000, 'is too long');

/** Query of `GET .../entries`. */
export const listEntriesQuery = z
  .object({
    limit: limit(20),
    cursor: singleString.optional(),
    direction: z.enum(['earn', 'spend']).optional(),
    category: singleString.optional(),
    consumerRef: entityRefString.optional(),
  })
  .strict();

/** Query of `GET .../trend`. */
export const trendQuery = z
  .object({
    days: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_TREND_DAYS, `must be at most ${MAX_TREND_DAYS}`)
      .default(90),
  })
  .strict();

/** Query of `GET /trust/leaderboard`. */
export const leaderboardQuery = z
  .object({
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: limit(20),
    cursor: singleString.optional(),
  })
  .strict();

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
