import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { PORTFOLIO_SORTS } from '@freeboard/backstage-plugin-common';
import { PORTFOLIO_REFRESH_TASK_ID } from '../src/portfolio/refresher';
import { Cluster, sleep } from './replicas/cluster';
import { formatTable } from './replicas/traffic';

/*
 * `yarn bench:load`: throughput and latency of the demo backend on
 * PostgreSQL under autocannon, first one replica, then three, on the same
 * database and data. Two mixes, each route class its own autocannon run
 * (all classes of a mix at once, connections in proportion):
 *   read:  entity pages (trust summary, initiative, decision) and
 *          portfolio pages, what a portal's visitors make;
 *   write: trust entries (each with its own idempotency key), pulses and
 *          phase targets, what leads and developers make.
 * Settings: BENCH_LOAD_SECONDS (20 per mix), BENCH_LOAD_CONNECTIONS (30).
 */

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 30);
const API = '/api/freeboard';

const LEAD = 'user:default/ada.platform';

const CAPABILITIES = [
  'ci-pipelines',
  'kubernetes-runtime',
  'observability-stack',
  'golden-path-templates',
  'secrets-manager',
  'artifact-registry',
  'feature-flags',
  'preview-environments',
];
const TEAMS = ['payments', 'checkout', 'identity', 'mobile-apps', 'logistics'];
const TARGETS = 12;
const target = (i: number) =>
  `load-target-${String((i % TARGETS) + 1).padStart(2, '0')}`;

interface RouteClass {
  name: string;
  /** Share of the mix's connections. */
  share: number;
  requests: (tokens: Tokens) => autocannon.Request[];
}

interface Tokens {
  lead: string;
  developer: string;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const json = (token: string) => ({
  ...auth(token),
  'content-type': 'application/json',
});

/** A request whose path (and body) change on every call, round-robin. */
function cycling(
  method: string,
  paths: string[],
  headers: Record<string, string>,
  body?: (i: number) => unknown,
  extraHeaders?: () => Record<string, string>,
): autocannon.Request {
  let i = 0;
  return {
    method: method as autocannon.Request['method'],
    headers,
    setupRequest: request => {
      const n = i++;
      return {
        ...request,
        path: paths[n % paths.length],
        headers: { ...headers, ...extraHeaders?.() },
        body: body ? JSON.stringify(body(n)) : undefined,
      };
    },
  };
}

const READ_MIX: RouteClass[] = [
  {
    name: 'read: entity page (summary + initiative + decision)',
    share: 0.75,
    requests: tokens => {
      const entities = [...CAPABILITIES, target(0), target(1)].map(
        name => `component/default/${name}`,
      );
      return [
        cycling(
          'GET',
          entities.map(e => `${API}/trust/entities/${e}`),
          auth(tokens.lead),
        ),
        cycling(
          'GET',
          entities.map(e => `${API}/phases/entities/${e}`),
          auth(tokens.lead),
        ),
        cycling(
          'GET',
          entities.map(e => `${API}/decisions/entities/${e}`),
          auth(tokens.lead),
        ),
      ];
    },
  },
  {
    name: 'read: portfolio page',
    share: 0.25,
    requests: tokens => [
      cycling(
        'GET',
        PORTFOLIO_SORTS.flatMap(sort => [
          `${API}/portfolio?limit=50&sort=${sort}`,
          `${API}/portfolio?limit=50&sort=${sort}&order=desc&offset=50`,
        ]),
        auth(tokens.lead),
      ),
    ],
  },
];

const WRITE_MIX: RouteClass[] = [
  {
    name: 'write: trust entry',
    share: 0.5,
    requests: tokens => [
      cycling(
        'POST',
        Array.from(
          { length: TARGETS },
          (_, i) =>
            `${API}/trust/entities/component/default/${target(i)}/entries`,
        ),
        json(tokens.lead),
        n => ({
          direction: n % 3 ? 'earn' : 'spend',
          category: n % 3 ? 'docs-improved' : 'migration',
          amount: 1 + (n % 7),
          title: `Load benchmark entry ${n}`,
          consumerRef: `group:default/${TEAMS[n % TEAMS.length]}`,
        }),
        () => ({ 'idempotency-key': randomUUID() }),
      ),
    ],
  },
  {
    name: 'write: pulse',
    share: 0.25,
    requests: tokens => [
      cycling(
        'PUT',
        CAPABILITIES.map(
          name => `${API}/trust/entities/component/default/${name}/pulse`,
        ),
        json(tokens.developer),
        n => ({ sentiment: n % 2 ? 'up' : 'down' }),
      ),
    ],
  },
  {
    name: 'write: phase target',
    share: 0.25,
    requests: tokens => [
      cycling(
        'PUT',
        Array.from(
          { length: TARGETS },
          (_, i) =>
            `${API}/phases/entities/component/default/${target(i)}/targets`,
        ),
        json(tokens.lead),
        n => ({
          phase: 'discovery',
          date: `2027-0${1 + (n % 9)}-${String(1 + (n % 28)).padStart(2, '0')}`,
        }),
      ),
    ],
  },
];

interface Measured {
  name: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function runMix(
  urls: string[],
  mix: RouteClass[],
  tokens: Tokens,
): Promise<Measured[]> {
  return Promise.all(
    mix.map(async routeClass => {
      // autocannon spreads a run's connections over its URLs (an array is
      // accepted since autocannon 7; @types/autocannon still says string).
      const connections = Math.max(
        urls.length,
        Math.round((CONNECTIONS * routeClass.share) / urls.length) *
          urls.length,
      );
      const result = await autocannon({
        url: urls as unknown as string,
        connections,
        duration: SECONDS,
        requests: routeClass.requests(tokens),
      });
      return {
        name: routeClass.name,
        requests: result.requests.total,
        perSecond: result.requests.total / SECONDS,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      };
    }),
  );
}

function out(text: string) {
  process.stdout.write(`${text}\n`);
}

describe('load benchmark: one replica, then three, on PostgreSQL', () => {
  it('measures throughput and latency per route class', async () => {
    const cluster = new Cluster({
      name: 'freeboard_bench_load',
      replicas: [
        { port: 7107, userEntityRef: LEAD },
        { port: 7108, userEntityRef: LEAD },
        { port: 7109, userEntityRef: LEAD },
      ],
      loadTargets: TARGETS,
    });
    await cluster.create();
    try {
      cluster.start(0);
      await cluster.waitHealthy(0);
      // The sample catalog, its seeds and the seeded portfolio first.
      await cluster.waitForLog(
        'Asked the portfolio refresher to run now',
        300_000,
      );
      const db = cluster.freeboard();
      const askedAt = Date.now();
      while (
        !(await db('freeboard_task_runs')
          .where('task_id', PORTFOLIO_REFRESH_TASK_ID)
          .where('started_at', '>=', new Date(askedAt))
          .whereNotNull('finished_at')
          .first('id'))
      ) {
        await sleep(500);
      }
      const lead = await cluster.token(0);
      for (let i = 0; i < TARGETS; i++) {
        await fetch(
          `${
            cluster.replicas[0].url
          }${API}/phases/entities/component/default/${target(i)}/start`,
          { method: 'POST', headers: auth(lead) },
        );
      }

      const measure = async (urls: string[], tokens: Tokens) => ({
        read: await runMix(urls, READ_MIX, tokens),
        write: await runMix(urls, WRITE_MIX, tokens),
      });
      // Any signed-in user may send a pulse; the lead sends them here.
      const tokens = { lead, developer: lead };
      const one = await measure([cluster.replicas[0].url], tokens);
      cluster.start(1);
      cluster.start(2);
      await Promise.all([cluster.waitHealthy(1), cluster.waitHealthy(2)]);
      await sleep(5000);
      const three = await measure(
        cluster.replicas.map(r => r.url),
        tokens,
      );

      out(
        `\nautocannon, ${CONNECTIONS} connections per mix, ${SECONDS} s per mix and replica count, PostgreSQL, one 2-core machine running the replicas and autocannon`,
      );
      const rows = (['read', 'write'] as const).flatMap(mix =>
        one[mix].map((a, i) => {
          const b = three[mix][i];
          return [
            a.name,
            a.perSecond.toFixed(0),
            String(a.p50),
            String(a.p99),
            b.perSecond.toFixed(0),
            String(b.p50),
            String(b.p99),
            (b.perSecond / a.perSecond).toFixed(2),
            String(a.non2xx + b.non2xx),
            String(a.errors + b.errors),
          ];
        }),
      );
      for (const mix of ['read', 'write'] as const) {
        const total = (m: Measured[]) => m.reduce((s, x) => s + x.perSecond, 0);
        rows.push([
          `${mix} mix, all classes`,
          total(one[mix]).toFixed(0),
          '',
          '',
          total(three[mix]).toFixed(0),
          '',
          '',
          (total(three[mix]) / total(one[mix])).toFixed(2),
          '',
          '',
        ]);
      }
      out(
        formatTable(
          [
            'route class',
            '1: req/s',
            'p50 ms',
            'p99 ms',
            '3: req/s',
            'p50 ms',
            'p99 ms',
            '3 vs 1',
            'non-2xx',
            'errors',
          ],
          rows,
        ),
      );
      const failures = [
        ...one.read,
        ...one.write,
        ...three.read,
        ...three.write,
      ]
        .map(m => m.non2xx + m.errors)
        .reduce((a, b) => a + b, 0);
      expect(failures).toBe(0);
    } finally {
      await cluster.destroy();
    }
  });
});
