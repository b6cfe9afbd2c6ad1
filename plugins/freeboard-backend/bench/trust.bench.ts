/*
 * Trust-credit benchmark: seeds 10,000 entities and 1,000,000 ledger entries,
 * then measures the HTTP API on SQLite (a file, as the demo uses) and on
 * PostgreSQL in one run, and prints the figures. Run it with
 * `yarn bench:trust` from the repository root; it is not part of the tests.
 *
 * The catalog is replaced by an in-memory map of the same 10,000 entities so
 * that the figures are Freeboard's own cost: the summary and scores routes
 * still make their catalog calls, which answer in microseconds here.
 *
 * Environment: BENCH_ENTITIES, BENCH_ENTRIES, BENCH_ITERATIONS,
 * BENCH_DATABASES (sqlite,postgres), and
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (default: the local server).
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AddressInfo } from 'node:net';
import { Knex } from 'knex';
import { freeboardPlugin } from '../src/plugin';
import { onScratchDatabases, percentile, random } from './scratch';
import { createDatabaseTrustStores } from '../src/trust/store/DatabaseTrustStore';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 10_000);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 1000);
const DAY_MS = 24 * 60 * 60 * 1000;
const HALF_LIFE_DAYS = 180;
const CONSUMERS = 200;
const USER = 'user:default/bench-lead';

const TITLES = [
  'Build cache cut median build time in half',
  'Migration to the new ingress controller',
  'Self-service namespaces through the portal',
  'Breaking change in the pipeline syntax',
  'Troubleshooting guide for flaky tests',
  'Runner pool exhausted for an afternoon',
  'Autoscaling on by default',
  'Resource limits mandatory on every deployment',
];
const EARN = [
  'pain-point-removed',
  'self-service',
  'fast-support',
  'docs-improved',
];
const SPEND = ['migration', 'breaking-change', 'mandate', 'outage'];

const entityRef = (i: number) => `component:default/bench-${i}`;
const consumerRef = (i: number) => `group:default/team-${i}`;

/** An in-memory catalog with O(1) lookups, so the catalog is not what is measured. */
function mapCatalog(): CatalogService {
  const entities = new Map<string, Entity>();
  const add = (kind: string, name: string) => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name, namespace: 'default' },
      spec: {},
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/platform-team' },
      ],
    };
    entities.set(stringifyEntityRef(entity).toLocaleLowerCase('en-US'), entity);
  };
  for (let i = 0; i < ENTITIES; i++) add('Component', `bench-${i}`);
  for (let i = 0; i < CONSUMERS; i++) add('Group', `team-${i}`);
  const get = (ref: string) => entities.get(ref.toLocaleLowerCase('en-US'));
  return {
    async getEntityByRef(
      ref: string | { kind: string; namespace?: string; name: string },
    ) {
      return get(typeof ref === 'string' ? ref : stringifyEntityRef(ref));
    },
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      return { items: request.entityRefs.map(r => get(r)) };
    },
  } as unknown as CatalogService;
}

async function seed(knex: Knex, isPostgres: boolean) {
  const next = random(2026);
  const refs = [
    ...Array.from({ length: ENTITIES }, (_, i) => entityRef(i)),
    ...Array.from({ length: CONSUMERS }, (_, i) => consumerRef(i)),
    USER,
  ];
  for (let i = 0; i < refs.length; i += 450) {
    await knex('freeboard_refs').insert(
      refs.slice(i, i + 450).map(ref => ({ ref })),
    );
  }
  const ids = new Map<string, number>();
  for (const row of await knex('freeboard_refs').select('id', 'ref')) {
    ids.set(row.ref, Number(row.id));
  }
  const userId = ids.get(USER)!;
  const now = Date.now();
  // knex writes a multi-row SQLite insert as a compound select, capped at 500.
  const batch = isPostgres ? 4000 : 450;
  let rows: object[] = [];
  const flush = async () => {
    if (rows.length) await knex('trust_entries').insert(rows);
    rows = [];
  };
  for (let n = 0; n < ENTRIES; n++) {
    // Entities get uneven ledgers: a few busy capabilities, a long tail.
    const entity = Math.floor(Math.pow(next(), 1.5) * ENTITIES);
    const earn = next() < 0.6;
    const categories = earn ? EARN : SPEND;
    const occurred = new Date(now - Math.floor(next() * 3 * 365 * DAY_MS));
    rows.push({
      entity_id: ids.get(entityRef(entity)),
      direction: earn ? 'earn' : 'spend',
      category: categories[Math.floor(next() * categories.length)],
      amount: 1 + Math.floor(next() * 25),
      title: TITLES[Math.floor(next() * TITLES.length)],
      description: null,
      consumer_id:
        next() < 0.7
          ? ids.get(consumerRef(Math.floor(next() * CONSUMERS)))
          : null,
      evidence_url: null,
      occurred_at: occurred,
      recorded_at: occurred,
      recorded_by_id: userId,
      source: 'api',
      reverts_entry_id: null,
    });
    if (rows.length === batch) await flush();
  }
  await flush();
}

async function measure(
  iterations: number,
  run: (i: number) => Promise<void>,
): Promise<{ p50: number; p99: number; mean: number }> {
  for (let i = 0; i < Math.min(50, iterations); i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
  };
}

type Row = {
  database: string;
  operation: string;
  p50: number;
  p99: number;
  target: string;
};

async function benchmark(
  name: string,
  knex: Knex,
  isPostgres: boolean,
): Promise<{ rows: Row[]; notes: string[] }> {
  const notes: string[] = [];
  const catalog = mapCatalog();
  const { server } = await startTestBackend({
    features: [
      freeboardPlugin,
      createServiceFactory({
        service: coreServices.database,
        deps: {},
        factory: () => ({ getClient: async () => knex }),
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog,
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  const base = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/api/freeboard`;
  const headers = {
    authorization: mockCredentials.user.header(USER),
    'content-type': 'application/json',
  };

  const t0 = Date.now();
  await seed(knex, isPostgres);
  const { maintenance } = await createDatabaseTrustStores({
    client: knex,
    halfLifeDays: HALF_LIFE_DAYS,
  });
  await maintenance.recomputeAggregates();
  // What the hourly maintenance task does on a live installation.
  await maintenance.pruneDailyHistory(new Date());
  if (isPostgres) await knex.raw('analyze');
  notes.push(
    `${name}: seeded ${ENTITIES} entities and ${ENTRIES} entries in ${(
      (Date.now() - t0) /
      1000
    ).toFixed(0)} s`,
  );

  const next = random(7);
  const pick = () => Math.floor(next() * ENTITIES);
  const call = async (url: string, init?: RequestInit) => {
    const res = await fetch(`${base}${url}`, { ...init, headers });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };

  const rows: Row[] = [];
  const add = (
    operation: string,
    r: { p50: number; p99: number },
    target: string,
  ) => rows.push({ database: name, operation, p50: r.p50, p99: r.p99, target });

  add(
    'summary',
    await measure(ITERATIONS, () =>
      call(`/trust/entities/component/default/bench-${pick()}`),
    ),
    'p99 ≤ 25 ms',
  );
  add(
    'scores (100 refs)',
    await measure(ITERATIONS, () =>
      call('/trust/scores', {
        method: 'POST',
        body: JSON.stringify({
          entityRefs: Array.from({ length: 100 }, () => entityRef(pick())),
        }),
      }),
    ),
    'p99 ≤ 100 ms',
  );
  const leaderboard = await measure(ITERATIONS, () =>
    call('/trust/leaderboard?limit=20'),
  );
  add('leaderboard page (20)', leaderboard, 'p99 ≤ 100 ms');
  add(
    'record entry',
    await measure(ITERATIONS, () =>
      call(`/trust/entities/component/default/bench-${pick()}/entries`, {
        method: 'POST',
        body: JSON.stringify({
          category: 'docs-improved',
          amount: 3,
          title: 'Improved the onboarding guide',
          consumerRef: consumerRef(1),
        }),
      }),
    ),
    'p99 ≤ 50 ms',
  );

  // The baseline: the same page computed from the ledger, as a naive
  // implementation would, straight in the database (no HTTP).
  const nowMs = Date.now();
  const halfLifeMs = HALF_LIFE_DAYS * DAY_MS;
  const baselineSql = isPostgres
    ? `select entity_id, sum(case when direction = 'earn' then amount else -amount end
         * power(0.5, (? - extract(epoch from occurred_at) * 1000) / ?)) as balance
       from trust_entries group by entity_id order by balance desc limit 20`
    : `select entity_id, sum(case when direction = 'earn' then amount else -amount end
         * power(0.5, (? - occurred_at) / ?)) as balance
       from trust_entries group by entity_id order by balance desc limit 20`;
  const baseline = await measure(5, () =>
    knex.raw(baselineSql, [nowMs, halfLifeMs]).then(() => undefined),
  );
  add('baseline: page from the ledger', baseline, '—');
  notes.push(
    `${name}: leaderboard is ${(baseline.p50 / leaderboard.p50).toFixed(
      0,
    )}× faster than the baseline at p50 (${(
      baseline.p99 / leaderboard.p99
    ).toFixed(0)}× at p99; target ≥ 50×)`,
  );

  if (isPostgres) {
    // Space freed by pruning old daily sums is reused by new days on a live
    // database; compacting here measures that steady state.
    await knex.raw('vacuum full trust_daily');
    const [{ n }] = await knex('trust_entries').count({ n: '*' });
    const tables = [
      'trust_entries',
      'trust_consumer_totals',
      'trust_daily',
      'trust_totals',
      'freeboard_refs',
      'trust_pulses',
      'trust_idempotency',
    ];
    const perEntry: Record<string, number> = {};
    for (const table of tables) {
      const { rows: sized } = await knex.raw(
        'select pg_total_relation_size(?) as s',
        [table],
      );
      perEntry[table] = Number(sized[0].s) / Number(n);
    }
    const all = Object.values(perEntry).reduce((a, b) => a + b, 0);
    notes.push(
      `${name}: the ledger (trust_entries with its indexes) takes ${perEntry.trust_entries.toFixed(
        0,
      )} bytes per entry (target ≤ 300); with the running aggregates, all trust tables take ${all.toFixed(
        0,
      )} bytes per entry (${tables
        .map(t => `${t} ${perEntry[t].toFixed(0)}`)
        .join(', ')})`,
    );
  }
  await server.close();
  return { rows, notes };
}

describe('trust-credit benchmark', () => {
  it('prints the figures', async () => {
    const results: Row[] = [];
    const notes: string[] = [];

    const byEngine = await onScratchDatabases(
      'freeboard_bench',
      (label, knex, isPostgres) => benchmark(label, knex, isPostgres),
    );
    for (const r of [byEngine.SQLite, byEngine.PostgreSQL]) {
      if (!r) continue;
      results.push(...r.rows);
      notes.push(...r.notes);
    }

    const lines = [
      '',
      `Trust-credit benchmark: ${ENTITIES} entities, ${ENTRIES} entries, ${ITERATIONS} sequential requests per operation`,
      '',
      '| database | operation | p50 (ms) | p99 (ms) | target |',
      '|---|---|---:|---:|---|',
      ...results.map(
        r =>
          `| ${r.database} | ${r.operation} | ${r.p50.toFixed(
            2,
          )} | ${r.p99.toFixed(2)} | ${r.target} |`,
      ),
      '',
      ...notes.map(n => `- ${n}`),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    expect(results.length).toBeGreaterThan(0);
  });
});
