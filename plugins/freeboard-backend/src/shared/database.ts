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

/** How long a start-up waits for another replica's migrations before it gives up. */
const MIGRATION_WAIT_MS = 5 * 60_000;
const MIGRATION_POLL_MS = 250;
/**
 * The PostgreSQL advisory lock that serializes Freeboard's migrations
 * across replicas (an arbitrary constant: "freeboard" in ASCII, as int4).
 */
const MIGRATION_LOCK_KEY = 0x66726565;

/**
 * The plugin's Knex client with its migrations applied, unless the
 * database configuration skips migrations.
 */
export async function migratedClient(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateLatest(client);
  }
  return client;
}

/**
 * Applies the migrations, waiting (up to `waitMs`) for another process that
 * is applying them instead of failing as knex does.
 *
 * Replicas starting together all try to migrate. Knex takes a lock row and
 * throws `MigrationLocked` at everyone else, and two processes creating
 * knex's own tables at once collide. On PostgreSQL the replicas first queue
 * on a session advisory lock, which the server releases when its holder's
 * connection dies; whoever holds it is the only Freeboard migrator alive,
 * so a knex lock row left set by a killed process is stale and is freed.
 * Elsewhere (SQLite: one process per file) a locked or racing migration is
 * retried until the deadline.
 */
export async function migrateLatest(
  client: Knex,
  options: { waitMs?: number; directory?: string } = {},
): Promise<void> {
  const directory = options.directory ?? migrationsDir;
  const deadline = Date.now() + (options.waitMs ?? MIGRATION_WAIT_MS);
  if (isPostgres(client)) {
    await withAdvisoryLock(client, deadline, async () => {
      await client.migrate.forceFreeMigrationsLock({ directory });
      await client.migrate.latest({ directory });
    });
    return;
  }
  for (;;) {
    try {
      await client.migrate.latest({ directory });
      return;
    } catch (error) {
      if (!isMigrationContention(error) || Date.now() >= deadline) throw error;
      await sleep(MIGRATION_POLL_MS);
    }
  }
}

/** Runs `work` holding Freeboard's migration advisory lock, polling for it until `deadline`. */
async function withAdvisoryLock(
  client: Knex,
  deadline: number,
  work: () => Promise<void>,
): Promise<void> {
  // The lock belongs to a session, so one pooled connection takes and
  // releases it; knex migrates on others.
  const connection = await client.client.acquireConnection();
  try {
    for (;;) {
      const result = await client
        .raw('select pg_try_advisory_lock(?) as locked', [MIGRATION_LOCK_KEY])
        .connection(connection);
      if (result.rows[0]?.locked) break;
      if (Date.now() >= deadline) {
        throw new Error(
          'Timed out waiting for another replica to finish applying the Freeboard database migrations',
        );
      }
      await sleep(MIGRATION_POLL_MS);
    }
    try {
      await work();
    } finally {
      await client
        .raw('select pg_advisory_unlock(?)', [MIGRATION_LOCK_KEY])
        .connection(connection);
    }
  } finally {
    await client.client.releaseConnection(connection);
  }
}

/** Knex's lock is held, or two processes created knex's own tables at once. */
function isMigrationContention(error: unknown): boolean {
  const e = error as { name?: string; message?: string; code?: string };
  return (
    e?.name === 'MigrationLocked' ||
    /migration table is already locked/i.test(e?.message ?? '') ||
    /already exists/i.test(e?.message ?? '') ||
    e?.code === 'SQLITE_BUSY'
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/*
 * SQLSTATEs of a database that is away or full rather than of a bad
 * statement: connection exceptions (class 08), too many connections, and
 * a server shutting down or starting up.
 */
const UNAVAILABLE_SQLSTATES = new Set(['53300', '57P01', '57P02', '57P03']);
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'SQLITE_BUSY',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection error and is not queryable|Connection ended unexpectedly|Knex: Timeout acquiring a connection/i;

/**
 * Whether `error` (or one of its causes) says the database cannot be reached
 * now: a restart, a dropped connection, an exhausted pool or server. Such a
 * request may succeed on a retry, so it is answered 503, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as any, depth = 0; e && depth < 5; e = e.cause, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (
      UNAVAILABLE_SQLSTATES.has(code) ||
      code.startsWith('08') ||
      UNAVAILABLE_ERRNOS.has(code) ||
      e.name === 'KnexTimeoutError' ||
      UNAVAILABLE_MESSAGE.test(String(e.message ?? ''))
    ) {
      return true;
    }
  }
  return false;
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

  /**
   * Ids of `refs`, creating rows for refs not seen before. Pass the write's
   * transaction, so a write that is refused leaves no new rows behind.
   */
  async ensure(
    refs: string[],
    db: Knex | Knex.Transaction = this.db,
  ): Promise<Map<string, number>> {
    // Sorted: concurrent transactions inserting the same new refs take the
    // index locks in one order and cannot deadlock.
    const unique = [...new Set(refs)].sort();
    if (unique.length === 0) return new Map();
    await db('freeboard_refs')
      .insert(unique.map(ref => ({ ref })))
      .onConflict('ref')
      .ignore();
    return this.find(unique, db);
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
