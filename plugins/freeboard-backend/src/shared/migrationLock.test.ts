import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'fs';
import knexFactory, { Knex } from 'knex';
import os from 'os';
import path from 'path';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { isPostgres, migrateLatest } from './database';

jest.setTimeout(180_000);

/*
 * Replicas starting together all migrate Freeboard's database. Knex alone
 * throws MigrationLocked at all but one of them (and two creating knex's own
 * tables collide); migrateLatest makes them wait instead. Each round below
 * starts three separate clients (separate pools, as three processes have)
 * on one fresh database at the same moment.
 */

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);
const ROUNDS = 5;
/** Enough for a migration beside the advisory lock's connection, and no more: other suites share the server. */
const SMALL_POOL = { min: 0, max: 3, idleTimeoutMillis: 1_000 };
const REPLICAS = 3;

/** Tables, columns and indexes, as text to compare. */
async function schemaOf(db: Knex): Promise<string> {
  if (isPostgres(db)) {
    const columns = await db.raw(
      `select table_name, column_name, data_type, is_nullable
         from information_schema.columns where table_schema = current_schema()
         order by table_name, column_name`,
    );
    const indexes = await db.raw(
      `select tablename, indexname, indexdef from pg_indexes
         where schemaname = current_schema() order by tablename, indexname`,
    );
    return JSON.stringify([columns.rows, indexes.rows]);
  }
  const rows = await db('sqlite_master')
    .select('type', 'name', 'sql')
    .orderBy(['type', 'name']);
  return JSON.stringify(rows);
}

describe('migrateLatest with replicas starting together', () => {
  const databases = createTestDatabases();
  const clients: Knex[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'freeboard-migrate-'));
  afterAll(async () => {
    await Promise.all(clients.map(c => c.destroy()));
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** Three clients of their own on one fresh database. */
  async function replicasOf(databaseId: string, round: number) {
    if (databaseId === 'POSTGRES_15') {
      const first = await databases.init('POSTGRES_15');
      clients.push(first);
      const connection = first.client.config.connection;
      const others = Array.from({ length: REPLICAS - 1 }, () =>
        knexFactory({ client: 'pg', connection, pool: SMALL_POOL }),
      );
      clients.push(...others);
      return [first, ...others];
    }
    const filename = path.join(scratch, `round-${round}.sqlite`);
    const all = Array.from({ length: REPLICAS }, () =>
      knexFactory({
        client: 'better-sqlite3',
        connection: { filename },
        useNullAsDefault: true,
        pool: SMALL_POOL,
      }),
    );
    clients.push(...all);
    return all;
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it(`succeeds for all ${REPLICAS}, ${ROUNDS} times out of ${ROUNDS}, with one schema`, async () => {
      const schemas = new Set<string>();
      for (let round = 0; round < ROUNDS; round++) {
        const replicas = await replicasOf(databaseId, round);
        const results = await Promise.allSettled(
          replicas.map(db => migrateLatest(db, { waitMs: 60_000 })),
        );
        expect(results.map(r => r.status)).toEqual(
          replicas.map(() => 'fulfilled'),
        );
        const [db] = replicas;
        const applied = await db('knex_migrations').select('name');
        const files = fs
          .readdirSync(migrationsDir)
          .filter(f => f.endsWith('.js'));
        // Every migration applied once, by one of them.
        expect(applied.map(r => r.name).sort()).toEqual(files.sort());
        expect(await db('knex_migrations_lock').select('is_locked')).toEqual([
          { is_locked: 0 },
        ]);
        schemas.add(await schemaOf(db));
        // The round's extra clients are done: give their connections back.
        await Promise.all(replicas.slice(1).map(r => r.destroy()));
      }
      expect(schemas.size).toBe(1);
    });
  });

  // A replica killed while migrating leaves knex's lock row set.
  async function withStaleLock(databaseId: string) {
    const [db] = await replicasOf(databaseId, 100);
    await migrateLatest(db);
    await db('knex_migrations_lock').update({ is_locked: 1 });
    return db;
  }

  if (databases.supports('POSTGRES_15')) {
    it('on PostgreSQL frees a lock row a killed replica left', async () => {
      const db = await withStaleLock('POSTGRES_15');
      // Nobody holds the advisory lock, so the row is stale: freed.
      await expect(migrateLatest(db, { waitMs: 2_000 })).resolves.toBe(
        undefined,
      );
      expect(await db('knex_migrations_lock').first()).toEqual({
        index: expect.anything(),
        is_locked: 0,
      });
    });
  }

  it("on SQLite waits for a lock row, then gives up with knex's error", async () => {
    const db = await withStaleLock('SQLITE_3');
    // SQLite cannot tell a stale lock from a live one: it waits, then gives
    // up rather than migrating under it.
    const started = Date.now();
    await expect(migrateLatest(db, { waitMs: 1_000 })).rejects.toThrow(
      /locked/i,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });
});
