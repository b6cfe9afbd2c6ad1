import { spawn } from 'node:child_process';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { migrateLatest } from '../../src/shared/database';
import { NODE_TRANSFORM, pgUrl } from './cluster';

/*
 * Replicas migrating Freeboard's database at the same moment: separate
 * processes (not connections of one), released together, on an empty
 * database; every one must succeed and the schema must be the one a single
 * process builds.
 */

const MIGRATE = path.join(__dirname, 'migrate.ts');

/** The schema as data: tables, columns, indexes, constraints, migrations. */
export async function schemaOf(knex: Knex): Promise<string> {
  const columns = await knex.raw(
    `select table_name, column_name, data_type, is_nullable, column_default
       from information_schema.columns where table_schema = 'public'
      order by table_name, column_name`,
  );
  const indexes = await knex.raw(
    `select tablename, indexname, indexdef from pg_indexes
      where schemaname = 'public' order by tablename, indexname`,
  );
  const constraints = await knex.raw(
    `select conrelid::regclass::text as on_table, conname, pg_get_constraintdef(oid) as def
       from pg_constraint where connamespace = 'public'::regnamespace
      order by 1, 2`,
  );
  const migrations = await knex('knex_migrations')
    .orderBy('name')
    .pluck('name');
  const lock = await knex('knex_migrations_lock').select('is_locked');
  return JSON.stringify({
    columns: columns.rows,
    indexes: indexes.rows,
    constraints: constraints.rows,
    migrations,
    lock,
  });
}

/** Runs `migrate.ts` in `count` processes released at once; their times in ms. */
async function migrateInProcesses(
  url: string,
  count: number,
): Promise<number[]> {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['--require', NODE_TRANSFORM, MIGRATE, url], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, JEST_WORKER_ID: undefined },
    }),
  );
  const outputs = children.map(child => {
    let out = '';
    let err = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (err += d));
    const ready = new Promise<void>((resolve, reject) => {
      const onData = () => {
        if (out.includes('ready\n')) {
          child.stdout.off('data', onData);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.once('exit', code =>
        reject(new Error(`A migrating process exited early (${code}): ${err}`)),
      );
    });
    const exited = new Promise<{
      code: number | null;
      out: string;
      err: string;
    }>(resolve => child.once('exit', code => resolve({ code, out, err })));
    return { ready, exited };
  });
  await Promise.all(outputs.map(o => o.ready));
  for (const child of children) child.stdin.write('go\n');
  const results = await Promise.all(outputs.map(o => o.exited));
  return results.map(({ code, out, err }) => {
    if (code !== 0) {
      throw new Error(`A migrating process failed (exit ${code}):\n${err}`);
    }
    return JSON.parse(out.split('\n').filter(Boolean).pop()!).ms as number;
  });
}

export interface MigrationProof {
  rounds: number;
  processes: number;
  /** Each round's slowest process, in ms. */
  slowestMs: number[];
  identical: boolean;
}

/**
 * `rounds` times: a fresh database, `processes` processes migrating it at
 * once; every process must succeed and every schema equal the reference.
 */
export async function proveConcurrentMigrations(options: {
  rounds: number;
  processes: number;
}): Promise<MigrationProof> {
  const admin = knexFactory({ client: 'pg', connection: pgUrl() });
  const name = (suffix: string) => `freeboard_migrate_${Date.now()}_${suffix}`;
  const withDatabase = async <T>(
    db: string,
    work: (url: string) => Promise<T>,
  ) => {
    await admin.raw('create database ??', [db]);
    try {
      return await work(pgUrl(db));
    } finally {
      await admin.raw('drop database if exists ?? with (force)', [db]);
    }
  };
  const dump = async (url: string) => {
    const knex = knexFactory({ client: 'pg', connection: url });
    try {
      return await schemaOf(knex);
    } finally {
      await knex.destroy();
    }
  };
  try {
    const reference = await withDatabase(name('reference'), async url => {
      const knex = knexFactory({ client: 'pg', connection: url });
      try {
        await migrateLatest(knex);
      } finally {
        await knex.destroy();
      }
      return dump(url);
    });
    const slowestMs: number[] = [];
    const differing: number[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const schema = await withDatabase(name(String(round)), async url => {
        const times = await migrateInProcesses(url, options.processes);
        slowestMs.push(Math.max(...times));
        return dump(url);
      });
      if (schema !== reference) differing.push(round);
    }
    const identical = differing.length === 0;
    return { ...options, slowestMs, identical };
  } finally {
    await admin.destroy();
  }
}
