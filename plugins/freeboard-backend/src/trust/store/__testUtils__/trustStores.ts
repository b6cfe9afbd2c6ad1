import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../../../__testUtils__/testDatabases';
import { toDate } from '../../../shared/database';
import { createDatabaseTrustStores, TrustStores } from '../DatabaseTrustStore';
import { DAY_MS, DecayBasis, dayOf, decayFactor } from '../decay';
import { NewLedgerEntry } from '../TrustStore';

/*
 * What the trust store tests share: fresh migrated databases, stores over
 * them, and references to compare the running sums with, computed from the
 * raw rows without rounding.
 */

export const CAPABILITY = 'component:default/ci-pipelines';
export const PAYMENTS = 'group:default/payments';
export const CHECKOUT = 'group:default/checkout';
export const LEAD = 'user:default/ada';
export const NOW = new Date('2026-11-21T12:00:00Z');

export const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

export function entry(overrides: Partial<NewLedgerEntry> = {}): NewLedgerEntry {
  return {
    entityRef: CAPABILITY,
    direction: 'earn',
    category: 'pain-point-removed',
    amount: 10,
    title: 'Cached builds',
    occurredAt: NOW,
    recordedBy: LEAD,
    source: 'manual',
    ...overrides,
  };
}

export function daysBefore(at: Date, days: number): Date {
  return new Date(at.getTime() - days * DAY_MS);
}

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

export interface TrustTestSetup {
  databases: TestDatabases;
  /** A fresh database with the plugin's migrations applied. */
  migrated(id: TestDatabaseId): Promise<Knex>;
  /** Stores over `knex`, as one replica would build them. */
  storesOn(
    knex: Knex,
    options?: { halfLifeDays?: number; now?: () => Date },
  ): Promise<TrustStores>;
  /** A fresh database and stores over it. */
  setup(
    id: TestDatabaseId,
    options?: { halfLifeDays?: number; now?: () => Date },
  ): Promise<TrustStores & { knex: Knex }>;
}

/** Call at describe level: registers the clean-up of the databases. */
export function trustTestSetup(): TrustTestSetup {
  const databases = createTestDatabases();
  const knexes: Knex[] = [];
  afterAll(async () => {
    await Promise.all(knexes.map(k => k.destroy()));
  });
  const migrated = async (id: TestDatabaseId) => {
    const knex = await databases.init(id);
    knexes.push(knex);
    await knex.migrate.latest({ directory: migrationsDir });
    return knex;
  };
  const storesOn: TrustTestSetup['storesOn'] = (knex, options = {}) =>
    createDatabaseTrustStores({
      client: knex,
      halfLifeDays: options.halfLifeDays ?? 180,
      now: options.now ?? (() => NOW),
    });
  return {
    databases,
    migrated,
    storesOn,
    async setup(id, options) {
      const knex = await migrated(id);
      return { knex, ...(await storesOn(knex, options)) };
    },
  };
}

export async function idOf(knex: Knex, ref: string): Promise<number> {
  const row = await knex('freeboard_refs').where({ ref }).first();
  return Number(row.id);
}

export async function basisOf(
  knex: Knex,
): Promise<DecayBasis & { halfLifeDays: number }> {
  const row = await knex('trust_landmark').where({ id: 1 }).first();
  return {
    landmarkMs: Number(row.landmark_ms),
    halfLifeMs: Number(row.half_life_days) * DAY_MS,
    halfLifeDays: Number(row.half_life_days),
  };
}

/** Every running sum as balances at one time, unrounded. */
export interface Sums {
  totals: Map<
    string,
    { balance: number; earned: number; spent: number; count: number }
  >;
  /** By `entity consumer`. */
  consumers: Map<string, number>;
  /** The balance change of one UTC day, decayed to the time; by `entity day`. */
  daily: Map<string, number>;
}

/** The stored sums, scaled to `at` by the stored landmark: no rounding. */
export async function storedSums(knex: Knex, at: Date): Promise<Sums> {
  const factor = decayFactor(at.getTime(), await basisOf(knex));
  const sums: Sums = {
    totals: new Map(),
    consumers: new Map(),
    daily: new Map(),
  };
  for (const r of await knex('trust_totals as t')
    .join('freeboard_refs as f', 'f.id', 't.entity_id')
    .select('t.*', 'f.ref')) {
    sums.totals.set(r.ref, {
      balance: Number(r.balance_fwd) * factor,
      earned: Number(r.earned_fwd) * factor,
      spent: Number(r.spent_fwd) * factor,
      count: Number(r.entry_count),
    });
  }
  for (const r of await knex('trust_consumer_totals as c')
    .join('freeboard_refs as e', 'e.id', 'c.entity_id')
    .join('freeboard_refs as f', 'f.id', 'c.consumer_id')
    .select('c.balance_fwd', 'e.ref as entity', 'f.ref as consumer')) {
    sums.consumers.set(
      `${r.entity} ${r.consumer}`,
      Number(r.balance_fwd) * factor,
    );
  }
  for (const r of await knex('trust_daily as d')
    .join('freeboard_refs as e', 'e.id', 'd.entity_id')
    .select('d.day', 'd.balance_fwd', 'e.ref as entity')) {
    sums.daily.set(
      `${r.entity} ${Number(r.day)}`,
      Number(r.balance_fwd) * factor,
    );
  }
  return sums;
}

/** The ledger's entries as plain values, for brute-force references. */
export async function ledgerRows(knex: Knex) {
  const rows = await knex('trust_entries as e')
    .join('freeboard_refs as ent', 'ent.id', 'e.entity_id')
    .leftJoin('freeboard_refs as con', 'con.id', 'e.consumer_id')
    .select(
      'e.direction',
      'e.amount',
      'e.occurred_at',
      'e.reverts_entry_id',
      'ent.ref as entity',
      'con.ref as consumer',
    );
  return rows.map(r => ({
    entity: r.entity as string,
    consumer: r.consumer as string | null,
    signed: (r.direction === 'earn' ? 1 : -1) * Number(r.amount),
    isRevert: r.reverts_entry_id !== null,
    atMs: toDate(r.occurred_at).getTime(),
  }));
}

/**
 * Every sum recomputed from the ledger by decaying each entry on its own:
 * the definition, with no landmark at all.
 */
export async function bruteForceSums(
  knex: Knex,
  at: Date,
  halfLifeDays: number,
): Promise<Sums> {
  const sums: Sums = {
    totals: new Map(),
    consumers: new Map(),
    daily: new Map(),
  };
  const add = (map: Map<string, number>, key: string, v: number) =>
    map.set(key, (map.get(key) ?? 0) + v);
  for (const e of await ledgerRows(knex)) {
    const v =
      e.signed *
      Math.pow(0.5, (at.getTime() - e.atMs) / (halfLifeDays * DAY_MS));
    const t = sums.totals.get(e.entity) ?? {
      balance: 0,
      earned: 0,
      spent: 0,
      count: 0,
    };
    t.balance += v;
    t.count += 1;
    // A correction takes back its original's amount from the original's side.
    if (e.isRevert) {
      if (v > 0) t.spent -= v;
      else t.earned += v;
    } else if (v > 0) t.earned += v;
    else t.spent -= v;
    sums.totals.set(e.entity, t);
    if (e.consumer) add(sums.consumers, `${e.entity} ${e.consumer}`, v);
    add(sums.daily, `${e.entity} ${dayOf(e.atMs)}`, v);
  }
  return sums;
}

/** Within `rel` of `expected`, relative for values of a credit or more. */
export function isClose(actual: number, expected: number, rel = 1e-9): boolean {
  return (
    Number.isFinite(actual) &&
    Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected))
  );
}

/** Every mismatch between two sets of sums (expect it to equal []). */
export function sumMismatches(
  actual: Sums,
  expected: Sums,
  rel = 1e-9,
): string[] {
  const out: string[] = [];
  const compare = (
    what: string,
    a: Map<string, unknown>,
    e: Map<string, unknown>,
    check: (x: any, y: any) => boolean,
  ) => {
    const keys = [...new Set([...a.keys(), ...e.keys()])].sort();
    for (const key of keys) {
      if (!a.has(key) || !e.has(key) || !check(a.get(key), e.get(key))) {
        out.push(
          `${what} ${key}: ${JSON.stringify(a.get(key))} != ${JSON.stringify(
            e.get(key),
          )}`,
        );
      }
    }
  };
  compare(
    'totals',
    actual.totals,
    expected.totals,
    (x, y) =>
      x.count === y.count &&
      isClose(x.balance, y.balance, rel) &&
      isClose(x.earned, y.earned, rel) &&
      isClose(x.spent, y.spent, rel),
  );
  compare('consumer', actual.consumers, expected.consumers, (x, y) =>
    isClose(x, y, rel),
  );
  compare('daily', actual.daily, expected.daily, (x, y) => isClose(x, y, rel));
  return out;
}

/** The largest balance magnitude: proves a comparison is not of dust. */
export function largestBalance(sums: Sums): number {
  return Math.max(...[...sums.totals.values()].map(t => Math.abs(t.balance)));
}

/**
 * The brute-force trend: for each of the last `days` UTC days, the balance at
 * its end (today: at `at`) of the entries of that day and before.
 */
export async function bruteForceTrend(
  knex: Knex,
  entityRef: string,
  days: number,
  at: Date,
  halfLifeDays: number,
): Promise<number[]> {
  const rows = (await ledgerRows(knex)).filter(r => r.entity === entityRef);
  const today = dayOf(at.getTime());
  const points: number[] = [];
  for (let d = today - days + 1; d <= today; d++) {
    const endMs = d === today ? at.getTime() : (d + 1) * DAY_MS;
    let sum = 0;
    for (const r of rows) {
      if (dayOf(r.atMs) <= d) {
        sum +=
          r.signed * Math.pow(0.5, (endMs - r.atMs) / (halfLifeDays * DAY_MS));
      }
    }
    points.push(sum);
  }
  return points;
}

/** Every stored sum row, in a stable order, to compare verbatim. */
export const rawSumRows = async (knex: Knex) => ({
  totals: await knex('trust_totals').orderBy('entity_id'),
  consumers: await knex('trust_consumer_totals').orderBy([
    'entity_id',
    'consumer_id',
  ]),
  daily: await knex('trust_daily').orderBy(['entity_id', 'day']),
});
