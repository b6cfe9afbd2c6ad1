import { TrustDirection } from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import { DecayBasis, dayOf, forwardWeight } from '../trust/decay';
import { EntryRow, contribution, toDate } from './rows';

/*
 * The running sums kept beside the ledger: per entity, per (entity, consumer)
 * and per (entity, UTC day). Writes add to them with atomic upserts
 * (`x = x + excluded.x`), which SQLite and PostgreSQL both support, so
 * concurrent writers on several replicas never lose an update.
 */

function add(tx: Knex.Transaction, table: string, column: string): Knex.Raw {
  return tx.raw('?? + ??', [`${table}.${column}`, `excluded.${column}`]);
}

/** Portable max of the stored and the incoming value, where either may be null. */
function latestOf(tx: Knex.Transaction, column: string): Knex.Raw {
  return tx.raw(`case when ?? is null or ?? > ?? then ?? else ?? end`, [
    `trust_totals.${column}`,
    `excluded.${column}`,
    `trust_totals.${column}`,
    `excluded.${column}`,
    `trust_totals.${column}`,
  ]);
}

/** Adds one ledger row's contribution to every running sum, in `tx`. */
export async function addToAggregates(
  tx: Knex.Transaction,
  row: Omit<EntryRow, 'id'>,
  delta: { earned: number; spent: number; balance: number },
): Promise<void> {
  await tx('trust_totals')
    .insert({
      entity_id: row.entity_id,
      earned_fwd: delta.earned,
      spent_fwd: delta.spent,
      balance_fwd: delta.balance,
      entry_count: 1,
      last_entry_at: row.occurred_at,
    })
    .onConflict('entity_id')
    .merge({
      earned_fwd: add(tx, 'trust_totals', 'earned_fwd'),
      spent_fwd: add(tx, 'trust_totals', 'spent_fwd'),
      balance_fwd: add(tx, 'trust_totals', 'balance_fwd'),
      entry_count: add(tx, 'trust_totals', 'entry_count'),
      last_entry_at: latestOf(tx, 'last_entry_at'),
    });

  if (row.consumer_id !== null) {
    await tx('trust_consumer_totals')
      .insert({
        entity_id: row.entity_id,
        consumer_id: row.consumer_id,
        balance_fwd: delta.balance,
        entry_count: 1,
      })
      .onConflict(['entity_id', 'consumer_id'])
      .merge({
        balance_fwd: add(tx, 'trust_consumer_totals', 'balance_fwd'),
        entry_count: add(tx, 'trust_consumer_totals', 'entry_count'),
      });
  }

  await tx('trust_daily')
    .insert({
      entity_id: row.entity_id,
      day: dayOf(toDate(row.occurred_at).getTime()),
      balance_fwd: delta.balance,
    })
    .onConflict(['entity_id', 'day'])
    .merge({ balance_fwd: add(tx, 'trust_daily', 'balance_fwd') });
}

/** Multiplies every stored sum by `scale`, for a move of the landmark. */
export async function rescaleAggregates(
  tx: Knex.Transaction,
  scale: number,
): Promise<void> {
  await tx('trust_totals').update({
    earned_fwd: tx.raw('earned_fwd * ?', [scale]),
    spent_fwd: tx.raw('spent_fwd * ?', [scale]),
    balance_fwd: tx.raw('balance_fwd * ?', [scale]),
  });
  await tx('trust_consumer_totals').update({
    balance_fwd: tx.raw('balance_fwd * ?', [scale]),
  });
  await tx('trust_daily').update({
    balance_fwd: tx.raw('balance_fwd * ?', [scale]),
  });
}

/** Replaces every running sum with one computed from the whole ledger. */
export async function rebuildAggregates(
  tx: Knex.Transaction,
  next: DecayBasis,
): Promise<void> {
  await tx('trust_totals').delete();
  await tx('trust_consumer_totals').delete();
  await tx('trust_daily').delete();
  const totals = new Map<
    number,
    {
      earned: number;
      spent: number;
      balance: number;
      count: number;
      last: number;
    }
  >();
  const consumers = new Map<string, { balance: number; count: number }>();
  const daily = new Map<string, number>();
  const rows: EntryRow[] = await tx('trust_entries').select();
  for (const row of rows) {
    const atMs = toDate(row.occurred_at).getTime();
    const delta = contribution(
      {
        direction: row.direction as TrustDirection,
        amount: Number(row.amount),
        isRevert: row.reverts_entry_id !== null,
      },
      forwardWeight(atMs, next),
    );
    const t = totals.get(row.entity_id) ?? {
      earned: 0,
      spent: 0,
      balance: 0,
      count: 0,
      last: -Infinity,
    };
    t.earned += delta.earned;
    t.spent += delta.spent;
    t.balance += delta.balance;
    t.count += 1;
    t.last = Math.max(t.last, atMs);
    totals.set(row.entity_id, t);
    if (row.consumer_id !== null) {
      const key = `${row.entity_id}:${row.consumer_id}`;
      const c = consumers.get(key) ?? { balance: 0, count: 0 };
      c.balance += delta.balance;
      c.count += 1;
      consumers.set(key, c);
    }
    const dayKey = `${row.entity_id}:${dayOf(atMs)}`;
    daily.set(dayKey, (daily.get(dayKey) ?? 0) + delta.balance);
  }
  // knex writes SQLite multi-row inserts as compound selects (at most 500).
  const chunk = 400;
  const totalRows = [...totals].map(([entityId, t]) => ({
    entity_id: entityId,
    earned_fwd: t.earned,
    spent_fwd: t.spent,
    balance_fwd: t.balance,
    entry_count: t.count,
    last_entry_at: new Date(t.last),
  }));
  const consumerRows = [...consumers].map(([key, c]) => {
    const [entityId, consumerId] = key.split(':').map(Number);
    return {
      entity_id: entityId,
      consumer_id: consumerId,
      balance_fwd: c.balance,
      entry_count: c.count,
    };
  });
  const dailyRows = [...daily].map(([key, value]) => {
    const [entityId, day] = key.split(':').map(Number);
    return { entity_id: entityId, day, balance_fwd: value };
  });
  await tx.batchInsert('trust_totals', totalRows, chunk);
  await tx.batchInsert('trust_consumer_totals', consumerRows, chunk);
  await tx.batchInsert('trust_daily', dailyRows, chunk);
}
