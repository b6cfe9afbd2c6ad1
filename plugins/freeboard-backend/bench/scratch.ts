import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';

/*
 * What every benchmark shares: the engines it runs on, a scratch database
 * per engine (created and removed around the run), a seeded generator and
 * percentiles.
 */

/** Engines to run on: `BENCH_DATABASES=sqlite,postgres` (the default). */
export const DATABASES = (
  process.env.BENCH_DATABASES ?? 'sqlite,postgres'
).split(',');

/** The PostgreSQL server scratch databases are created on. */
export const PG =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

/** Engine labels as the benchmarks print them. */
export type EngineLabel = 'SQLite' | 'PostgreSQL';

/**
 * Runs `work` on a scratch database of each engine in `DATABASES`: a SQLite
 * file in WAL mode in a temporary folder, and a PostgreSQL database named
 * `<prefix>_<time>`; each is removed afterwards, also when `work` fails.
 */
export async function onScratchDatabases<T>(
  prefix: string,
  work: (label: EngineLabel, knex: Knex, isPostgres: boolean) => Promise<T>,
): Promise<Partial<Record<EngineLabel, T>>> {
  const results: Partial<Record<EngineLabel, T>> = {};
  if (DATABASES.includes('sqlite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freeboard-bench-'));
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'freeboard.sqlite') },
      useNullAsDefault: true,
    });
    try {
      await knex.raw('pragma journal_mode = wal');
      results.SQLite = await work('SQLite', knex, false);
    } finally {
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (DATABASES.includes('postgres')) {
    const dbName = `${prefix}_${Date.now()}`;
    const admin = knexFactory({ client: 'pg', connection: PG });
    await admin.raw(`create database ${dbName}`);
    const url = new URL(PG);
    url.pathname = `/${dbName}`;
    const knex = knexFactory({
      client: 'pg',
      connection: url.toString(),
      pool: { min: 0, max: 10 },
    });
    try {
      results.PostgreSQL = await work('PostgreSQL', knex, true);
    } finally {
      await knex.destroy();
      await admin.raw(`drop database if exists ${dbName}`);
      await admin.destroy();
    }
  }
  return results;
}

/** A seeded linear congruential generator of numbers in [0, 1). */
export function random(initial: number) {
  let state = initial >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The `p`th percentile of ascending `sorted` (nearest rank). */
export function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}
