/**
 * Whether an entry earned trust (eased a pain) or spent it (imposed a cost).
 *
 * @public
 */
export type TrustDirection = 'earn' | 'spend';

/**
 * A trust level: the balance put into words.
 *
 * @public
 */
export type TrustLevel = (typeof TRUST_LEVELS)[number];

/**
 * The trust levels, weakest first.
 *
 * @public
 */
export const TRUST_LEVELS = ['overdrawn', 'thin', 'healthy', 'strong'] as const;

/**
 * Whether a planned spend is affordable.
 *
 * @public
 */
export type PreflightVerdict = 'affordable' | 'risky' | 'overdrawn';

/**
 * A developer's one-click feedback.
 *
 * @public
 */
export type PulseSentiment = 'up' | 'down';

/**
 * A category of ledger entries, with the amount the record dialog suggests.
 *
 * @public
 */
export interface TrustCategory {
  id: string;
  direction: TrustDirection;
  title: string;
  defaultAmount: number;
}

/**
 * One entry of an entity's append-only trust ledger.
 *
 * @public
 */
export interface TrustLedgerEntry {
  id: string;
  entityRef: string;
  direction: TrustDirection;
  category: string;
  amount: number;
  title: string;
  description?: string;
  consumerRef?: string;
  evidenceUrl?: string;
  /** ISO 8601 timestamp of when the earning or spending happened. */
  occurredAt: string;
  /** ISO 8601 timestamp of when the entry was written. */
  recordedAt: string;
  /** Entity ref of the user or service that recorded the entry. */
  recordedBy: string;
  /** `manual`, `pulse`, `api`, or the id of the backend module that wrote it. */
  source: string;
  /** The entry this one compensates, for corrections. */
  revertsEntryId?: string;
  /** The entry that compensates this one, if it was reverted. */
  revertedByEntryId?: string;
}

/**
 * The faded balance of one consumer within an entity's ledger.
 *
 * @public
 */
export interface TrustConsumerBalance {
  consumerRef: string;
  balance: number;
  level: TrustLevel;
}

/**
 * An entity's trust summary: what the entity card shows.
 *
 * @public
 */
export interface TrustSummary {
  entityRef: string;
  /** Faded balance: earned minus spent, each entry halved every half-life. */
  balance: number;
  level: TrustLevel;
  /** Faded sum of earning entries. */
  earned: number;
  /** Faded sum of spending entries (a positive number). */
  spent: number;
  entryCount: number;
  /** Per-consumer balances, lowest first. */
  consumers: TrustConsumerBalance[];
  lastEntryAt?: string;
  /** Counted pulses in the last 30 and 7 days. */
  pulses: {
    last30Days: { up: number; down: number };
    last7Days: { up: number; down: number };
  };
}

/**
 * One point of a trust trend: the balance at the end of a UTC day.
 *
 * @public
 */
export interface TrustTrendPoint {
  /** `YYYY-MM-DD` */
  date: string;
  balance: number;
}

/**
 * A projection of a planned spend, per consumer and overall.
 *
 * @public
 */
export interface PreflightResult {
  balance: number;
  projectedBalance: number;
  verdict: PreflightVerdict;
  consumers: Array<{
    consumerRef: string;
    balance: number;
    projectedBalance: number;
    verdict: PreflightVerdict;
  }>;
}

/**
 * Thresholds that turn a balance into a level: below 0 is `overdrawn`,
 * below `healthy` is `thin`, below `strong` is `healthy`, else `strong`.
 *
 * @public
 */
export interface TrustLevelThresholds {
  healthy: number;
  strong: number;
}

/**
 * What the dialogs need to know about the backend's trust settings.
 *
 * @public
 */
export interface TrustConfig {
  halfLifeDays: number;
  maxAmount: number;
  levels: TrustLevelThresholds;
  categories: TrustCategory[];
}

/**
 * The level of a balance under the given thresholds. Throws a RangeError
 * for a balance that is not a finite number.
 *
 * @public
 */
export function trustLevelOf(
  balance: number,
  thresholds: TrustLevelThresholds,
): TrustLevel {
  // NaN compares false with everything and would read as "strong".
  if (!Number.isFinite(balance)) {
    throw new RangeError(
      `A trust level needs a finite balance, got ${balance}`,
    );
  }
  if (balance < 0) return 'overdrawn';
  if (balance < thresholds.healthy) return 'thin';
  if (balance < thresholds.strong) return 'healthy';
  return 'strong';
}

/**
 * The ledger categories that feedback pulses are recorded in. They are always
 * configured; the record dialogs leave them out, the ledger shows them.
 *
 * @public
 */
export const TRUST_PULSE_CATEGORIES = {
  up: 'pulse-up',
  down: 'pulse-down',
} as const;
