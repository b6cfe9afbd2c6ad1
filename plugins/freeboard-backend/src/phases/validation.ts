import { MVP_PHASES } from '@freeboard/backstage-plugin-common';
import { z } from 'zod';
import {
  cursorParam,
  entityRef,
  multiLineText,
  pageLimit,
  singleLineText,
} from '../shared/validation';

/*
 * The phases' input rules. Bodies are strict (an unknown field is a 400 that
 * names it) and every value that reaches SQL or JSON columns is bounded here:
 * dates are real calendar dates in a range both databases store, numbers are
 * whole and within an `integer` column, text carries no control characters.
 */

/** The largest value of an `integer` column: versions never go beyond it. */
export const MAX_VERSION = 2147483647;
/** The most teams one cohort may list. */
export const MAX_COHORT_TEAMS = 200;

const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

function dayParts(value: string, pattern: RegExp) {
  const match = pattern.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [1, 2, 3].map(i => Number(match[i]));
  return isCalendarDay(year, month, day) &&
    year >= FIRST_YEAR &&
    year <= LAST_YEAR
    ? { year, month, day }
    : undefined;
}

const phase = z.enum(MVP_PHASES, {
  errorMap: () => ({ message: `must be one of ${MVP_PHASES.join(', ')}` }),
});

/** A real calendar date `YYYY-MM-DD` from 2000 to 2100. */
export const calendarDate = z
  .string({
    required_error: 'is required',
    invalid_type_error: 'must be a string',
  })
  .refine(
    value => value.length === 10 && dayParts(value, DAY) !== undefined,
    `must be a date YYYY-MM-DD from ${FIRST_YEAR} to ${LAST_YEAR}`,
  );

/**
 * An ISO 8601 time: a date-time with a zone (`2026-11-21T12:00:00Z`) or a
 * date alone (the start of that day, UTC), from 2000 to 2100.
 */
const isoTime = z
  .string({
    required_error: 'is required',
    invalid_type_error: 'must be a single string',
  })
  .max(64, 'must be at most 64 characters')
  .transform((value, ctx) => {
    const isDay = value.length === 10 && dayParts(value, DAY);
    const parts = isDay || dayParts(value, DATE_TIME);
    const ms = parts
      ? Date.parse(isDay ? `${value}T00:00:00Z` : value)
      : Number.NaN;
    if (!Number.isFinite(ms)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be an ISO 8601 date or date-time from ${FIRST_YEAR} to ${LAST_YEAR}`,
      });
      return z.NEVER;
    }
    return { at: new Date(ms), isDay: Boolean(isDay) };
  });

/** `expectedVersion` in a body: the version the client saw. */
export const expectedVersion = z
  .number({
    required_error: 'is required',
    invalid_type_error: 'must be a number',
  })
  .int('must be a whole number')
  .min(0, 'must be at least 0')
  .max(MAX_VERSION, `must be at most ${MAX_VERSION}`);

/** A group entity ref, normalized to `group:namespace/name`. */
export const groupRef = z
  .string({
    required_error: 'is required',
    invalid_type_error: 'must be a string',
  })
  .pipe(entityRef)
  .pipe(z.string().refine(ref => ref.startsWith('group:'), 'must be a group'));

/** The `:id` of a criterion: an own criterion or a template one. */
export const criterionIdParam = z
  .string()
  .regex(
    /^(own-\d{1,10}|[a-z]+\.[a-z0-9-]{1,64})$/,
    'must be the id of a criterion',
  );

/** The `:id` of a cohort. */
export const cohortIdParam = z
  .string()
  .regex(/^cohort-\d{1,10}$/, 'must be the id of a cohort');

/** Body of `POST .../start`: none, so any field is refused. */
export const startSchema = z.object({}).strict();

/** Body of `POST .../transitions`. */
export const transitionSchema = z
  .object({
    to: phase,
    expectedVersion,
    reason: multiLineText(2000).optional(),
    direction: z
      .enum(['advance', 'back'], {
        errorMap: () => ({ message: 'must be advance or back' }),
      })
      .optional(),
  })
  .strict();

/** Body of `POST .../criteria`. */
export const addCriterionSchema = z
  .object({
    phase,
    title: singleLineText(200),
    description: multiLineText(2000).optional(),
    expectedVersion: expectedVersion.optional(),
  })
  .strict();

/** Body of `PUT .../criteria/:id`. */
export const setCriterionSchema = z
  .object({
    state: z.enum(['done', 'open', 'waived'], {
      errorMap: () => ({ message: 'must be "done", "open" or "waived"' }),
    }),
    reason: multiLineText(2000).optional(),
    waiverExpiresAt: isoTime.transform(t => t.at).optional(),
    expectedVersion: expectedVersion.optional(),
  })
  .strict();

/** Body of `POST .../signoffs`. */
export const requestSignoffSchema = z
  .object({
    phase,
    groupRef,
    expectedVersion: expectedVersion.optional(),
  })
  .strict();

/** Body of `PUT .../signoffs`. */
export const decideSignoffSchema = z
  .object({
    phase,
    groupRef,
    decision: z.enum(['approve', 'reject'], {
      errorMap: () => ({ message: 'must be "approve" or "reject"' }),
    }),
    comment: multiLineText(2000).optional(),
    expectedVersion: expectedVersion.optional(),
  })
  .strict();

/** Body of `PUT .../pioneer`: a group, or null to clear it. */
export const pioneerSchema = z
  .object({
    teamRef: groupRef.nullable(),
    expectedVersion: expectedVersion.optional(),
  })
  .strict();

/** Body of `PUT .../targets`: a date, or null to clear it. */
export const targetSchema = z
  .object({
    phase,
    date: calendarDate.nullable(),
    expectedVersion: expectedVersion.optional(),
  })
  .strict();

const teamRefs = z
  .array(groupRef, {
    required_error: 'is required',
    invalid_type_error: 'must be a list of group refs',
  })
  .min(1, 'must list at least one team')
  .max(MAX_COHORT_TEAMS, `must list at most ${MAX_COHORT_TEAMS} teams`)
  .superRefine((refs, ctx) => {
    const seen = new Set<string>();
    refs.forEach((ref, i) => {
      if (seen.has(ref)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [i],
          message: `lists ${ref} twice`,
        });
      }
      seen.add(ref);
    });
  });

/** Body of `POST .../cohorts` and `PUT .../cohorts/:id`. */
export const cohortSchema = z
  .object({
    name: singleLineText(200),
    targetDate: calendarDate,
    teamRefs,
    expectedVersion: expectedVersion.optional(),
  })
  .strict();

/** Query of the `DELETE` routes: the version the client saw, if any. */
export const deleteQuery = z
  .object({
    expectedVersion: z
      .string({ invalid_type_error: 'must be a single value' })
      .regex(/^\d{1,10}$/, 'must be a whole number')
      .transform(Number)
      .pipe(expectedVersion)
      .optional(),
  })
  .strict();

/**
 * Query of `GET .../phases/entities/...`: `asOf`, a past time. A date alone
 * means the end of that day (or now, for today).
 */
export function stateQuery(now: Date) {
  return z
    .object({
      asOf: isoTime
        .transform(({ at, isDay }) => {
          if (!isDay) return at;
          const endOfDay = new Date(at.getTime() + 86_400_000 - 1);
          return endOfDay > now && at <= now ? now : endOfDay;
        })
        .refine(at => at <= now, 'must not be in the future')
        .optional(),
    })
    .strict();
}

/** Query of `GET .../history`. */
export const historyQuery = z
  .object({
    limit: pageLimit(20),
    cursor: cursorParam.optional(),
  })
  .strict();

/** Query of `GET .../report`. */
export const reportQuery = z
  .object({
    format: z
      .enum(['markdown', 'json'], {
        errorMap: () => ({ message: 'must be "markdown" or "json"' }),
      })
      .default('markdown'),
  })
  .strict();

export type CohortInput = z.infer<typeof cohortSchema>;
