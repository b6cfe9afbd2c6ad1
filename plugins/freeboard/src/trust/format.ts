import { TrustDirection } from '@freeboard/backstage-plugin-common';

/**
 * A faded balance or total with one decimal, e.g. `12.3` or `-4.0`. Plain
 * ASCII and no thousands separators, so the text stays machine-readable.
 */
export function formatCredits(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  // Avoid showing "-0.0" for tiny negative remainders.
  return (Object.is(rounded, -0) ? 0 : rounded).toFixed(1);
}

/** A ledger amount as recorded, signed by its direction: `+10`, `−2.5`. */
export function formatSignedAmount(
  amount: number,
  direction: TrustDirection,
): string {
  const value = String(Math.round(amount * 10) / 10);
  return direction === 'earn' ? `+${value}` : `\u2212${value}`;
}

/** `Earned` or `Spent`: how the UI names a direction. */
export function directionLabel(direction: TrustDirection): string {
  return direction === 'earn' ? 'Earned' : 'Spent';
}

/** A `YYYY-MM-DD` trend date as a short axis label (`12 Mar`), read as UTC. */
export function formatTrendDate(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

const SOURCE_LABELS: Record<string, string> = {
  manual: 'Manual',
  pulse: 'Pulse',
  api: 'API',
};

/** `manual`, `pulse` and `api` in words; module ids as they are. */
export function sourceLabel(source: string): string {
  return SOURCE_LABELS[source] ?? source;
}

/**
 * What a trend chart shows, in words: screen readers read this instead of
 * the drawing.
 */
export function describeTrend(
  days: number,
  points: Array<{ balance: number }>,
): string {
  const first = points[0]?.balance ?? 0;
  const last = points[points.length - 1]?.balance ?? 0;
  return `Balance over the last ${days} days: from ${formatCredits(
    first,
  )} to ${formatCredits(last)}`;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const AGO_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY_MS],
  ['month', 30 * DAY_MS],
  ['week', 7 * DAY_MS],
  ['day', DAY_MS],
];

/**
 * How long ago something happened, in the reader's locale and in whole
 * units: `today`, `yesterday`, `3 weeks ago`, `last month`. A time in the
 * future (clock skew) counts as today; a value that is not a date is shown
 * as it is.
 */
export function formatTimeAgo(iso: string, now: Date = new Date()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const elapsed = now.getTime() - at;
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, ms] of AGO_UNITS) {
    if (elapsed >= ms) return format.format(-Math.floor(elapsed / ms), unit);
  }
  return format.format(0, 'day');
}
