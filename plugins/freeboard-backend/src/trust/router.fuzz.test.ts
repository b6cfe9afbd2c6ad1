import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { LEAD, entity, startTrustBackend } from '../__testUtils__/trustBackend';

/*
 * Odd input in every position of every trust route, on SQLite and
 * PostgreSQL: never a 5xx, a 4xx writes nothing, and a 400 names the field
 * it is about.
 */

jest.setTimeout(300_000);

const databases = createTestDatabases();
const API = '/api/freeboard/trust';
const CAP = `${API}/entities/component/default/ci`;

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  5e-324,
  1e-300,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u001b[31m',
  '\ud800',
  'x'.repeat(5000),
  '9'.repeat(25),
  '1e300',
  'NaN',
  'group:default/x\u0000',
  'component:default/../../etc',
  [],
  [null],
  ['\u0000'],
  {},
  { $ne: 1 },
  { toString: 1 },
];

const BODY_FIELDS: Record<string, string[]> = {
  entries: [
    'category',
    'amount',
    'title',
    'description',
    'consumerRef',
    'evidenceUrl',
    'occurredAt',
    'direction',
  ],
  revert: ['reason'],
  preflight: ['category', 'amount', 'consumerRefs'],
  pulse: ['sentiment', 'comment'],
  scores: ['entityRefs'],
};

const VALID: Record<string, Record<string, unknown>> = {
  entries: { category: 'pain-point-removed', amount: 5, title: 'ok' },
  revert: { reason: 'ok' },
  preflight: { category: 'migration', amount: 5 },
  pulse: { sentiment: 'up' },
  scores: { entityRefs: ['component:default/ci'] },
};

const QUERY_VALUES = [
  '%00',
  'a%00b',
  '-1',
  '0',
  '1.5',
  '1e9',
  '1e300',
  '99999999999999999999999',
  'NaN',
  '',
  '%E0%A4%A',
  'x'.repeat(2000),
  '[1e300,"1"]',
  'eyJhIjoxfQ',
];

const QUERIES: Record<string, string[]> = {
  [`${CAP}/entries`]: [
    'limit',
    'cursor',
    'direction',
    'category',
    'consumerRef',
  ],
  [`${CAP}/trend`]: ['days'],
  [`${API}/leaderboard`]: ['order', 'limit', 'cursor'],
};

async function snapshot(knex: Knex) {
  const tables = [
    'trust_entries',
    'trust_totals',
    'trust_consumer_totals',
    'trust_daily',
    'trust_pulses',
  ];
  const counts = await Promise.all(
    tables.map(async t => Number((await knex(t).count({ n: '*' }))[0].n)),
  );
  const [{ sum }] = await knex('trust_totals').sum({ sum: 'balance_fwd' });
  return { counts, sum: Number(sum ?? 0) };
}

/** A 400 says which field: `field: problem`, one or more, or the header. */
const NAMES_A_FIELD = /^(Idempotency-Key|[A-Za-z][\w.]*): /;

describe.each(databases.eachSupportedId())(
  'trust routes under fuzz on %s',
  databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startTrustBackend>>;
    let entryId: string;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startTrustBackend({
        knex,
        entities: [entity('Component', 'ci'), entity('Group', 'team-a')],
      });
      const res = await backend
        .as(LEAD)
        .post(`${CAP}/entries`)
        .send({ ...VALID.entries, consumerRef: 'group:team-a' });
      entryId = res.body.entry.id;
    });

    function routeOf(kind: string): [string, string] {
      switch (kind) {
        case 'entries':
          return ['post', `${CAP}/entries`];
        case 'revert':
          return ['post', `${CAP}/entries/${entryId}/revert`];
        case 'preflight':
          return ['post', `${CAP}/preflight`];
        case 'pulse':
          return ['put', `${CAP}/pulse`];
        default:
          return ['post', `${API}/scores`];
      }
    }

    it('answers odd body values in every field with a 4xx that names the field and writes nothing', async () => {
      const lead = backend.as(LEAD) as any;
      const violations: object[] = [];
      let checked = 0;
      for (const [kind, fields] of Object.entries(BODY_FIELDS)) {
        const [method, path] = routeOf(kind);
        for (const field of fields) {
          for (const value of ODD_VALUES) {
            const before = await snapshot(knex);
            const res = await lead[method](path).send({
              ...VALID[kind],
              [field]: value,
            });
            const after = await snapshot(knex);
            const where = { kind, field, value, status: res.status };
            if (res.status >= 500)
              violations.push({ ...where, problem: '5xx' });
            if (
              res.status >= 400 &&
              JSON.stringify(after) !== JSON.stringify(before)
            ) {
              violations.push({ ...where, problem: 'a refused request wrote' });
            }
            if (
              res.status === 400 &&
              !NAMES_A_FIELD.test(res.body.error?.message)
            ) {
              violations.push({
                ...where,
                problem: `400 without a field: ${res.body.error?.message}`,
              });
            }
            checked++;
          }
        }
        // Whole bodies of the wrong shape, and broken JSON.
        for (const body of [
          '[]',
          '"s"',
          '42',
          'null',
          '{"a":',
          '{"__proto__":{"x":1}}',
        ]) {
          const before = await snapshot(knex);
          const res = await lead[method](path).type('json').send(body);
          if (res.status !== 400)
            violations.push({ kind, body, status: res.status });
          if (JSON.stringify(await snapshot(knex)) !== JSON.stringify(before)) {
            violations.push({ kind, body, problem: 'a refused request wrote' });
          }
        }
      }
      expect(violations).toEqual([]);
      expect(checked).toBeGreaterThan(300);
    });

    it('answers odd query values with a 4xx that names the parameter', async () => {
      const lead = backend.as(LEAD);
      const violations: object[] = [];
      for (const [path, params] of Object.entries(QUERIES)) {
        for (const param of [...params, 'bogus']) {
          for (const value of QUERY_VALUES) {
            const res = await lead.get(`${path}?${param}=${value}`);
            const where = { path, param, value, status: res.status };
            if (res.status >= 500)
              violations.push({ ...where, problem: '5xx' });
            if (
              res.status === 400 &&
              !NAMES_A_FIELD.test(res.body.error?.message)
            ) {
              violations.push({
                ...where,
                problem: `400 without a field: ${res.body.error?.message}`,
              });
            }
          }
          const twice = await lead.get(`${path}?${param}=1&${param}=2`);
          if (twice.status !== 400) {
            violations.push({
              path,
              param,
              problem: `repeated: ${twice.status}`,
            });
          }
        }
      }
      expect(violations).toEqual([]);
    });

    it('answers odd paths, ids and headers with a 4xx', async () => {
      const lead = backend.as(LEAD) as any;
      const before = await snapshot(knex);
      const paths = [
        `${API}/entities/component/default/%E0%A4%A`,
        `${API}/entities/component/de fault/x`,
        `${API}/entities/comp$onent/default/x/entries`,
        `${API}/entities/component/default/${'x'.repeat(300)}`,
        `${API}/entities/component/%00/x/trend`,
      ];
      for (const path of paths) {
        const res = await lead.get(path);
        expect({ path, status: res.status }).toEqual({
          path,
          status: expect.any(Number),
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      for (const id of [
        '0',
        '-1',
        '1.5',
        '1e3',
        '99999999999999999999',
        '%00',
        'abc',
      ]) {
        const res = await lead
          .post(`${CAP}/entries/${id}/revert`)
          .send({ reason: 'x' });
        expect({ id, status: res.status }).toEqual({ id, status: 400 });
      }
      const header = await lead
        .post(`${CAP}/entries`)
        .set('Idempotency-Key', 'has space')
        .send(VALID.entries);
      expect(header.status).toBe(400);
      expect(await snapshot(knex)).toEqual(before);
    });
  },
);
