import {
  DecisionReview,
  PortfolioTotals,
} from '@freeboard/backstage-plugin-common';
import { formatCredits } from '../trust/format';

/** `1 capability`, `3 capabilities`: a count with its noun. */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A share between 0 and 1 as a whole percentage: `0.234` → `23%`. */
export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** `float` → `Float`, `sink` → `Sink`. */
export function decisionLabel(decision: 'float' | 'sink'): string {
  return decision === 'float' ? 'Float' : 'Sink';
}

/** `12 days overdue`, `Due today` or `Due in 5 days`. */
export function describeReview(review: DecisionReview): string {
  if (review.overdueDays !== undefined) {
    return `${count(review.overdueDays, 'day', 'days')} overdue`;
  }
  if (review.dueInDays === 0) return 'Due today';
  return `Due in ${count(review.dueInDays, 'day', 'days')}`;
}

/** `42 capabilities · 3 overdue · 5 overdrawn`: the filtered view in a line. */
export function describeTotals(totals: PortfolioTotals): string {
  return [
    count(totals.capabilities, 'capability', 'capabilities'),
    `${totals.overdue} overdue`,
    `${totals.byLevel.overdrawn} overdrawn`,
  ].join(' · ');
}

/**
 * What a capability's weekly balance trend shows, in words: screen readers
 * read this instead of the sparkline.
 */
export function describeWeeklyTrend(trend: number[]): string {
  if (trend.length === 0) return 'No balance trend yet';
  const first = trend[0];
  const last = trend[trend.length - 1];
  return `Balance over the last ${count(
    trend.length,
    'week',
    'weeks',
  )}: from ${formatCredits(first)} to ${formatCredits(last)}`;
}

/** What the thickness trend shows, in words. */
export function describeThicknessTrend(
  points: Array<{ thickness: number }>,
): string {
  if (points.length === 0) return 'No thickness history yet';
  const first = points[0].thickness;
  const last = points[points.length - 1].thickness;
  return `Thickness over the last ${count(
    points.length,
    'day',
    'days',
  )}: from ${formatPercent(first)} to ${formatPercent(last)}`;
}
