import { Knex } from 'knex';
import { epochMsSql, isPostgres, toDate } from '../../shared/database';
import { DAY_MS, DecayBasis, dayOf } from './decay';
import { EntryRow } from './rows';

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

/** Below this a stored sum is floating-point dust: 0 for every purpose. */
const NEGLIGIBLE = 1e-280;

/**
 * Multiplies every stored sum by `scale`, for a move of the landmark. Sums
 * that would fade below any meaning become 0 instead: PostgreSQL raises an
 * underflow error rather than round a product to 0, and after a long time
 * without maintenance `scale` itself is tiny.
 */
export async function rescaleAggregates(
  tx: Knex.Transaction,
  scale: number,
): Promise<void> {
  // |x| < NEGLIGIBLE / scale is |x * scale| < NEGLIGIBLE, without multiplying.
  const threshold = Math.min(
    Number.MAX_VALUE,
    Math.max(NEGLIGIBLE, NEGLIGIBLE / scale),
  );
  const scaled = (column: string) =>
    tx.raw('case when abs(??) < ? then 0 else ?? * ? end', [
      column,
      threshold,
      column,
      scale,
    ]);
  await tx('trust_totals').update({
    earned_fwd: scaled('earned_fwd'),
    spent_fwd: scaled('spent_fwd'),
    balance_fwd: scaled('balance_fwd'),
  });
  await tx('trust_consumer_totals').update({
    balance_fwd: scaled('balance_fwd'),
  });
  await tx('trust_daily').update({ balance_fwd: scaled('balance_fwd') });
}

/**
 * Replaces every running sum with one computed from the whole ledger, in SQL:
 * the ledger never passes through memory, and the statement reads only the
 * columns the sums need.
 */
export async function rebuildAggregates(
  tx: Knex.Transaction,
  basis: DecayBasis,
): Promise<void> {
  await tx('trust_totals').delete();
  await tx('trust_consumer_totals').delete();
  await tx('trust_daily').delete();

  const pg = isPostgres(tx);
  const atMs = epochMsSql(tx, 'occurred_at').toString();
  // The weight of an entry, clamped so that PostgreSQL never underflows.
  // `* 1.0`: SQLite keeps epoch milliseconds as integers, and would divide
  // them as integers, truncating the exponent.
  const exponent = `(${atMs} - ${Number(basis.landmarkMs)}) * 1.0 / ${Number(
    basis.halfLifeMs,
  )}`;
  const weight = `power(2, ${pg ? 'greatest' : 'max'}(${exponent}, -900))`;
  const signed = `(case when direction = 'earn' then 1 else -1 end) * amount * ${weight}`;
  const isRevert = 'reverts_entry_id is not null';
  const magnitude = `(case when ${isRevert} then -1 else 1 end) * amount * ${weight}`;
  const side = `(case when ${isRevert} then (case when direction = 'earn' then 'spend' else 'earn' end) else direction end)`;
  const day = pg
    ? `floor(${atMs} / ${DAY_MS})::integer`
    : `cast(${atMs} / ${DAY_MS} as integer)`;

  await tx.raw(
    `insert into trust_totals (entity_id, earned_fwd, spent_fwd, balance_fwd, entry_count, last_entry_at)
     select entity_id,
            sum(case when ${side} = 'earn' then ${magnitude} else 0 end),
            sum(case when ${side} = 'spend' then ${magnitude} else 0 end),
            sum(${signed}),
            count(*),
            max(occurred_at)
       from trust_entries group by entity_id`,
  );
  await tx.raw(
    `insert into trust_consumer_totals (entity_id, consumer_id, balance_fwd, entry_count)
     select entity_id, consumer_id, sum(${signed}), count(*)
       from trust_entries where consumer_id is not null
      group by entity_id, consumer_id`,
  );
  await tx.raw(
    `insert into trust_daily (entity_id, day, balance_fwd)
     select entity_id, ${day}, sum(${signed})
       from trust_entries group by entity_id, ${day}`,
  );
}
