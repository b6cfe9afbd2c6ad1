import { TrustConfig } from '@freeboard/backstage-plugin-common';
import { z } from 'zod';
import {
  cursorParam,
  entityRef,
  httpUrl,
  identifier,
  multiLineText,
  pageLimit,
  singleLineText,
} from '../shared/validation';
import { MAX_TREND_DAYS } from './store/decay';

/*
 * The trust instrument's input rules, used by the HTTP routes and by the
 * writer handed to backend modules alike.
 */

/** How far ahead of the server's clock an entry may be dated. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** The smallest amount an entry may carry: finer amounts are noise. */
export const MIN_AMOUNT = 0.01;

const isoDateTime = z
  .string({ invalid_type_error: 'must be a string' })
  .max(64, 'must be at most 64 characters')
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
  .transform(value => new Date(value))
  .refine(
    date => date.getTime() >= Date.UTC(1970, 0, 1),
    'must not be before 1970',
  );

/** An amount of credits: at least 0.01 and at most the configured maximum. */
function creditAmount(config: TrustConfig) {
  return z
    .number({
      required_error: 'is required',
      invalid_type_error: 'must be a number',
    })
    .finite('must be a finite number')
    .min(MIN_AMOUNT, `must be at least ${MIN_AMOUNT}`)
    .max(config.maxAmount, `must be at most ${config.maxAmount}`);
}

/** Body of `POST .../entries`, and what a module writes. */
export function recordEntrySchema(config: TrustConfig, now: Date) {
  return z
    .object({
      direction: z
        .enum(['earn', 'spend'], {
          errorMap: () => ({ message: 'must be "earn" or "spend"' }),
        })
        .optional(),
      category: identifier,
      amount: creditAmount(config),
      title: singleLineText(200),
      description: multiLineText(4000).optional(),
      consumerRef: entityRef.optional(),
      evidenceUrl: httpUrl.optional(),
      occurredAt: isoDateTime
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

/** A parsed entry to record. */
export type RecordEntryInput = z.infer<ReturnType<typeof recordEntrySchema>>;

/** Body of `POST .../entries/:id/revert`. */
export const revertSchema = z
  .object({
    reason: multiLineText(1000).pipe(z.string().min(1, 'is required')),
  })
  .strict();

/** The `:id` of an entry in a path. */
export const entryIdParam = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be the id of a ledger entry');

/** Body of `POST .../preflight`. */
export function preflightSchema(config: TrustConfig) {
  return z
    .object({
      category: identifier,
      amount: creditAmount(config),
      consumerRefs: z
        .array(entityRef, { invalid_type_error: 'must be a list of refs' })
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
    comment: multiLineText(1000).optional(),
  })
  .strict();

/** Body of `POST /trust/scores`. */
export const scoresSchema = z
  .object({
    entityRefs: z
      .array(entityRef, {
        required_error: 'is required',
        invalid_type_error: 'must be a list of refs',
      })
      .min(1, 'must list at least one ref')
      .max(100, 'must list at most 100 refs'),
  })
  .strict();

/** Query of `GET .../entries`. */
export const listEntriesQuery = z
  .object({
    limit: pageLimit(20),
    cursor: cursorParam.optional(),
    direction: z
      .enum(['earn', 'spend'], {
        errorMap: () => ({ message: 'must be "earn" or "spend"' }),
      })
      .optional(),
    category: identifier.optional(),
    consumerRef: entityRef.optional(),
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
    order: z
      .enum(['asc', 'desc'], {
        errorMap: () => ({ message: 'must be "asc" or "desc"' }),
      })
      .default('desc'),
    limit: pageLimit(20),
    cursor: cursorParam.optional(),
  })
  .strict();
