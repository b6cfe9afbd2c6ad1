import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/*
 * What every Freeboard store needs from the database, with the differences
 * between SQLite and PostgreSQL handled here, in one place.
 */

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

/**
 * The plugin's Knex client with its migrations applied, unless the
 * database configuration skips migrations.
 */
export async function migratedClient(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/** Whether `error` is a unique-constraint violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /unique constraint/i.test(e?.message ?? '')
  );
}

/**
 * better-sqlite3 stores the Dates that knex binds as epoch milliseconds,
 * PostgreSQL as timestamptz; pg returns bigint and count() as strings.
 */
export function toDate(value: Date | string | number): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  return /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
}

/** A timestamp column as epoch milliseconds, in SQL. */
export function epochMsSql(db: Knex, column: string): Knex.Raw {
  return isPostgres(db)
    ? db.raw('(extract(epoch from ??) * 1000)::double precision', [column])
    : db.raw('??', [column]);
}

/**
 * Runs `work` on one consistent snapshot of the database, so that several
 * reads (a landmark and the sums scaled by it) cannot straddle a write. On
 * PostgreSQL a read-only repeatable-read transaction; SQLite's single
 * connection serializes everything anyway.
 */
export function readSnapshot<T>(
  db: Knex,
  work: (tx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  if (isPostgres(db)) {
    return db.transaction(work, {
      isolationLevel: 'repeatable read',
      readOnly: true,
    });
  }
  return db.transaction(work);
}

/**
 * Entity refs (entities, consumers, recorders) are stored once in
 * `freeboard_refs` and referred to by integer id.
 */
export class RefTable {
  constructor(private readonly db: Knex) {}

  /** Ids of `refs`, creating rows for refs not seen before. */
  async ensure(refs: string[]): Promise<Map<string, number>> {
    const unique = [...new Set(refs)];
    if (unique.length === 0) return new Map();
    await this.db('freeboard_refs')
      .insert(unique.map(ref => ({ ref })))
      .onConflict('ref')
      .ignore();
    return this.find(unique);
  }

  /** Ids of the refs of `refs` that have rows; never writes. */
  async find(
    refs: string[],
    db: Knex | Knex.Transaction = this.db,
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    if (refs.length === 0) return ids;
    const rows = await db('freeboard_refs')
      .whereIn('ref', [...new Set(refs)])
      .select('id', 'ref');
    for (const row of rows) ids.set(row.ref, Number(row.id));
    return ids;
  }
}
