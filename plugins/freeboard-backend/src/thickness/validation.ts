import { z } from 'zod';
import { entityRef } from '../shared/validation';

/** The longest thickness trend, in days. */
export const MAX_THICKNESS_DAYS = 365;

/** Query of `GET /thickness`. */
export const thicknessQuery = z
  .object({
    system: entityRef
      .refine(
        // After a failed parse `ref` is not a string; that issue is reported.
        ref => typeof ref !== 'string' || ref.startsWith('system:'),
        'must be the ref of a system (system:namespace/name)',
      )
      .optional(),
    days: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_THICKNESS_DAYS, `must be at most ${MAX_THICKNESS_DAYS}`)
      .default(90),
  })
  .strict();
