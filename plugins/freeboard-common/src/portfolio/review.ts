import { DecisionReview } from './api';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The review status of a decision whose `review-by` is `reviewBy`
 * (`YYYY-MM-DD`), on the UTC day of `now`: due on that date, overdue from the
 * day after. Undefined for a date that does not parse.
 *
 * @public
 */
export function decisionReviewOf(
  reviewBy: string,
  now: Date,
): DecisionReview | undefined {
  const due = Date.parse(`${reviewBy}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(reviewBy) || Number.isNaN(due)) {
    return undefined;
  }
  const today = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  const dueInDays = Math.round((due - today) / DAY_MS);
  return dueInDays < 0
    ? { reviewBy, dueInDays, overdueDays: -dueInDays }
    : { reviewBy, dueInDays };
}
