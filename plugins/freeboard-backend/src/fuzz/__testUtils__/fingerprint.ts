import { Knex } from 'knex';

/*
 * A fingerprint of everything the plugin stored: per table, the row count,
 * the sum of each numeric column (balances, amounts, versions, ids) and the
 * summed length of each other column as text. Two equal fingerprints around
 * a refused request mean it wrote nothing. The tables and columns are read
 * from the database, so a table added by a later migration is covered.
 */

const NUMERIC = /int|real|floa|doub|num|dec/i;

/** Tables that only the migration tooling writes. */
const IGNORED = new Set(['knex_migrations', 'knex_migrations_lock']);

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

async function columnsOf(
  knex: Knex,
): Promise<Array<{ table: string; column: string; numeric: boolean }>> {
  if (knex.client.config.client === 'pg') {
    const { rows } = await knex.raw(
      `select table_name as t, column_name as c, data_type as d
         from information_schema.columns
        where table_schema = current_schema()
        order by table_name, ordinal_position`,
    );
    return rows.map((r: { t: string; c: string; d: string }) => ({
      table: r.t,
      column: r.c,
      numeric: NUMERIC.test(r.d),
    }));
  }
  const tables: Array<{ name: string }> = await knex.raw(
    `select name from sqlite_master
      where type = 'table' and name not like 'sqlite_%' order by name`,
  );
  const columns = [];
  for (const { name } of tables) {
    const info: Array<{ name: string; type: string }> = await knex.raw(
      `pragma table_info(${quote(name)})`,
    );
    for (const c of info) {
      columns.push({
        table: name,
        column: c.name,
        numeric: NUMERIC.test(c.type),
      });
    }
  }
  return columns;
}

/** A fingerprint: `table` → row count, `table.column` → sum. */
export type Fingerprint = Record<string, number>;

/**
 * Prepares one query that fingerprints every table of `knex`'s database.
 */
export async function createFingerprinter(
  knex: Knex,
): Promise<() => Promise<Fingerprint>> {
  const columns = (await columnsOf(knex)).filter(c => !IGNORED.has(c.table));
  const real = knex.client.config.client === 'pg' ? 'double precision' : 'real';
  const tables = [...new Set(columns.map(c => c.table))];
  const legs = [
    ...tables.map(
      t =>
        `select '${t}' as k, cast(count(*) as ${real}) as v from ${quote(t)}`,
    ),
    ...columns.map(({ table, column, numeric }) => {
      const value = numeric
        ? quote(column)
        : `length(cast(${quote(column)} as text))`;
      return `select '${table}.${column}' as k, cast(sum(${value}) as ${real}) as v from ${quote(
        table,
      )}`;
    }),
  ];
  const sql = legs.join(' union all ');
  return async () => {
    const result = await knex.raw(sql);
    const rows: Array<{ k: string; v: number | string | null }> =
      result.rows ?? result;
    const fingerprint: Fingerprint = {};
    for (const { k, v } of rows) {
      // Rounded: a float sum may differ in its last bits between two scans.
      fingerprint[k] = Math.round(Number(v ?? 0) * 1e6) / 1e6;
    }
    return fingerprint;
  };
}

/** The keys whose values differ, with both values. */
export function fingerprintDiff(
  before: Fingerprint,
  after: Fingerprint,
): Record<string, [number | undefined, number | undefined]> {
  const diff: Record<string, [number | undefined, number | undefined]> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] !== after[key]) diff[key] = [before[key], after[key]];
  }
  return diff;
}
