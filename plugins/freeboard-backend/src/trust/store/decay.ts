/*
 * Exponential decay with a half-life composes: sum_i a_i * 2^(-(now - t_i)/h)
 * equals 2^(-(now - L)/h) * sum_i a_i * 2^((t_i - L)/h) for any landmark L.
 * Stored sums are kept "forward-decayed" against L, so a write adds one term
 * and a read multiplies once; ordering by the stored sum is ordering by the
 * current balance because every row shares L.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The longest trend the API serves, in days. */
export const MAX_TREND_DAYS = 365;

/** The half-life and landmark that every stored forward-decayed sum uses. */
export interface DecayBasis {
  landmarkMs: number;
  halfLifeMs: number;
}

/** The weight that an amount at `atMs` carries in a forward-decayed sum. */
export function forwardWeight(atMs: number, basis: DecayBasis): number {
  return Math.pow(2, (atMs - basis.landmarkMs) / basis.halfLifeMs);
}

/** Turns a forward-decayed sum into its value at `nowMs`. */
export function decayFactor(nowMs: number, basis: DecayBasis): number {
  return Math.pow(2, -(nowMs - basis.landmarkMs) / basis.halfLifeMs);
}

/** The reference definition: every term decayed on its own. */
export function bruteForceBalance(
  entries: Array<{ signedAmount: number; atMs: number }>,
  nowMs: number,
  halfLifeMs: number,
): number {
  let sum = 0;
  for (const e of entries) {
    sum += e.signedAmount * Math.pow(0.5, (nowMs - e.atMs) / halfLifeMs);
  }
  return sum;
}

/**
 * Stored sums grow by 2 per half-life after the landmark: 2^1023 is the limit
 * of a double, far beyond this, but precision and ranges stay comfortable
 * when the landmark is moved forward once the exponent passes this bound.
 */
export const REBASE_AFTER_HALF_LIVES = 16;

/** UTC day number (days since 1970-01-01) of a time. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** `YYYY-MM-DD` of a UTC day number. */
export function dayToIsoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Balances are reported to a millionth of a credit: finer digits are
 * floating-point noise from the decay arithmetic, not information.
 */
export function roundCredits(value: number): number {
  const rounded = Math.round(value * 1e6) / 1e6;
  return Object.is(rounded, -0) ? 0 : rounded;
}
