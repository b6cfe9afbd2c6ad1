import { TrustDirection } from '@freeboard/backstage-plugin-common';

/*
 * Row shapes and the conversions between rows and domain values, kept apart
 * from the queries so columns do not leak into domain types.
 */

export type EntryRow = {
  id: string | number;
  entity_id: number;
  direction: string;
  category: string;
  amount: number;
  title: string;
  description: string | null;
  consumer_id: number | null;
  evidence_url: string | null;
  occurred_at: Date | string | number;
  recorded_at: Date | string | number;
  recorded_by_id: number;
  source: string;
  reverts_entry_id: string | number | null;
};

export type EntryRowWithRefs = EntryRow & {
  entity_ref: string;
  consumer_ref: string | null;
  recorded_by_ref: string;
  reverted_by_id: string | number | null;
};

export type TotalsRow = {
  entity_id: number;
  ref: string;
  earned_fwd: number;
  spent_fwd: number;
  balance_fwd: number;
  entry_count: number | string;
  last_entry_at: Date | string | number | null;
};

export function toId(value: string | number): string {
  return String(value);
}

export function opposite(direction: TrustDirection): TrustDirection {
  return direction === 'earn' ? 'spend' : 'earn';
}

/** The source of pulse entries and of the corrections that replace them. */
export const PULSE_SOURCE = 'pulse';

/**
 * How one entry moves the forward-decayed sums. A correction takes back its
 * original's amount from the original's side (earned or spent), so reverting
 * an earn does not inflate what was spent.
 */
export function contribution(
  entry: { direction: TrustDirection; amount: number; isRevert: boolean },
  weight: number,
) {
  const side = entry.isRevert ? opposite(entry.direction) : entry.direction;
  const magnitude = (entry.isRevert ? -1 : 1) * entry.amount * weight;
  const signed = (entry.direction === 'earn' ? 1 : -1) * entry.amount * weight;
  return {
    earned: side === 'earn' ? magnitude : 0,
    spent: side === 'spend' ? magnitude : 0,
    balance: signed,
  };
}
