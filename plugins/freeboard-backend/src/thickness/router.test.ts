import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  LEAD,
  OUTSIDER,
  capabilityRow,
  catalogEntity,
  startReadsBackend,
} from '../__testUtils__/readsBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';

/*
 * The thickness meter over HTTP, on SQLite and PostgreSQL: today's figures
 * for all and per system, the projection, the trend replayed from the log,
 * each over what the caller can see; the system filter; the daily
 * snapshot; and 400 for every bad query.
 */

jest.setTimeout(120_000);

const databases = createTestDatabases();
const API = '/api/freeboard/thickness';
const DAY_MS = 24 * 60 * 60 * 1000;
const day = (offset: number) =>
  new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

const cap = (name: string) => `component:default/${name}`;
const CI = 'system:default/ci';
const DATA = 'system:default/data';
const SECRET_SYSTEM = 'system:default/secret-sys';

const ratio = (part: number, whole: number) =>
  Math.round((part / whole) * 1e6) / 1e6;

function figures(
  counts: [unique: number, kept: number, floating: number],
  weights: [unique: number, kept: number, floating: number],
) {
  const [u, k, f] = counts;
  const [wu, wk, wf] = weights;
  return {
    capabilities: u + k + f,
    unique: u,
    kept: k,
    floating: f,
    weightedUnique: wu,
    weightedKept: wk,
    weightedFloating: wf,
    thickness: wu + wk + wf === 0 ? 0 : ratio(wk + wf, wu + wk + wf),
  };
}

const CAPABILITIES = [
  capabilityRow(cap('runners'), {
    decision: 'sink',
    baseCapability: 'GitHub Actions',
    systemRef: CI,
    consumerTeams: 50,
  }),
  capabilityRow(cap('pipelines'), {
    decision: 'float',
    systemRef: CI,
    consumerTeams: 8,
  }),
  capabilityRow(cap('portal'), {
    decision: 'sink',
    baseCapability: 'None: unique to the company',
    consumerTeams: 0,
  }),
  capabilityRow(cap('warehouse'), {
    decision: 'sink',
    systemRef: DATA,
    consumerTeams: 20,
  }),
  capabilityRow(cap('hidden-cap'), {
    decision: 'sink',
    baseCapability: 'Kafka',
    systemRef: DATA,
    consumerTeams: 30,
  }),
  capabilityRow(cap('vault'), {
    decision: 'float',
    systemRef: SECRET_SYSTEM,
    consumerTeams: 2,
  }),
  capabilityRow(cap('broken'), { problems: ['bad'], consumerTeams: 9 }),
];

/** [capability, days from today, category, weight] */
const LOG: Array<[string, number, string, number]> = [
  ['runners', -20, 'kept', 40],
  ['runners', -2, 'kept', 50],
  ['pipelines', -20, 'kept', 8],
  ['pipelines', -1, 'floating', 8],
  ['hidden-cap', -20, 'kept', 30],
  ['warehouse', -3, 'unique', 20],
  ['portal', -20, 'unique', 1],
  ['vault', -20, 'floating', 2],
  // Left the platform three days ago; no longer in the catalog.
  ['gone-cap', -20, 'kept', 100],
  ['gone-cap', -3, 'none', 0],
];

const entities = [
  ...CAPABILITIES.map(row =>
    catalogEntity('Component', row.entity_ref.split('/')[1]),
  ),
  ...['ci', 'data', 'secret-sys'].map(name => catalogEntity('System', name)),
];
const hidden = { [OUTSIDER]: [cap('hidden-cap'), SECRET_SYSTEM] };

describe.each(databases.eachSupportedId())(
  'thickness route on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startReadsBackend>>;

    beforeAll(async () => {
      backend = await startReadsBackend({
        knex: await databases.init(databaseId),
        entities,
        hidden,
      });
      await backend.knex('freeboard_capabilities').insert(CAPABILITIES);
      await backend.knex('freeboard_capability_log').insert(
        LOG.map(([name, offset, category, weight]) => ({
          entity_ref: cap(name),
          day: day(offset),
          category,
          weight,
        })),
      );
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('weighs today, per system and projected, over everything the lead sees', async () => {
      const res = await backend.as(LEAD).get(`${API}?days=5`);
      expect(res.status).toBe(200);
      expect(res.body.all).toEqual(figures([2, 2, 2], [21, 80, 10]));
      expect(res.body.systems).toEqual([
        { systemRef: CI, ...figures([0, 1, 1], [0, 50, 8]) },
        { systemRef: DATA, ...figures([1, 1, 0], [20, 30, 0]) },
        { systemRef: SECRET_SYSTEM, ...figures([0, 0, 1], [0, 0, 2]) },
        // The capability without a system.
        figures([1, 0, 0], [1, 0, 0]),
      ]);
      expect(res.body.projection).toEqual(figures([2, 2, 0], [21, 80, 0]));
    });

    it('replays the trend day by day from the log', async () => {
      const res = await backend.as(LEAD).get(`${API}?days=5`);
      expect(res.body.trend.map((p: any) => p.day)).toEqual(
        [-4, -3, -2, -1, 0].map(day),
      );
      expect(res.body.trend.map(({ day: _d, ...f }: any) => f)).toEqual([
        // gone-cap still counts; the warehouse is not there yet.
        figures([1, 4, 1], [1, 178, 2]),
        figures([2, 3, 1], [21, 78, 2]),
        figures([2, 3, 1], [21, 88, 2]),
        figures([2, 2, 2], [21, 80, 10]),
        figures([2, 2, 2], [21, 80, 10]),
      ]);
    });

    it('counts no hidden capability anywhere, and names no hidden system', async () => {
      const res = await backend.as(OUTSIDER).get(`${API}?days=5`);
      expect(res.status).toBe(200);
      expect(res.body.all).toEqual(figures([2, 1, 2], [21, 50, 10]));
      expect(res.body.systems).toEqual([
        { systemRef: CI, ...figures([0, 1, 1], [0, 50, 8]) },
        { systemRef: DATA, ...figures([1, 0, 0], [20, 0, 0]) },
        // The portal, and the vault of a system the outsider cannot see.
        figures([1, 0, 1], [1, 0, 2]),
      ]);
      expect(res.body.projection).toEqual(figures([2, 1, 0], [21, 50, 0]));
      expect(res.body.trend.map(({ day: _d, ...f }: any) => f)).toEqual([
        figures([1, 2, 1], [1, 48, 2]),
        figures([2, 2, 1], [21, 48, 2]),
        figures([2, 2, 1], [21, 58, 2]),
        figures([2, 1, 2], [21, 50, 10]),
        figures([2, 1, 2], [21, 50, 10]),
      ]);
      expect(JSON.stringify(res.body)).not.toContain('secret-sys');
    });

    it('covers one system with ?system, today and in the trend', async () => {
      const res = await backend
        .as(OUTSIDER)
        .get(`${API}?system=System:Default/CI&days=3`);
      expect(res.status).toBe(200);
      expect(res.body.all).toEqual(figures([0, 1, 1], [0, 50, 8]));
      expect(res.body.systems).toEqual([
        { systemRef: CI, ...figures([0, 1, 1], [0, 50, 8]) },
      ]);
      expect(res.body.projection).toEqual(figures([0, 1, 0], [0, 50, 0]));
      expect(res.body.trend.map(({ day: _d, ...f }: any) => f)).toEqual([
        figures([0, 2, 0], [0, 58, 0]),
        figures([0, 1, 1], [0, 50, 8]),
        figures([0, 1, 1], [0, 50, 8]),
      ]);

      // A hidden capability in a visible system is left out there too.
      const data = await backend
        .as(OUTSIDER)
        .get(`${API}?system=${DATA}&days=1`);
      expect(data.body.all).toEqual(figures([1, 0, 0], [20, 0, 0]));
      expect(data.body.trend[0]).toMatchObject(figures([1, 0, 0], [20, 0, 0]));
      const lead = await backend.as(LEAD).get(`${API}?system=${DATA}&days=1`);
      expect(lead.body.all).toEqual(figures([1, 1, 0], [20, 30, 0]));
    });

    it('answers a system the caller cannot see like one without capabilities', async () => {
      const lead = await backend.as(LEAD).get(`${API}?system=${SECRET_SYSTEM}`);
      expect(lead.body.all).toEqual(figures([0, 0, 1], [0, 0, 2]));

      const empty = {
        all: figures([0, 0, 0], [0, 0, 0]),
        systems: [],
        projection: figures([0, 0, 0], [0, 0, 0]),
      };
      const hiddenSystem = await backend
        .as(OUTSIDER)
        .get(`${API}?system=${SECRET_SYSTEM}&days=2`);
      const missing = await backend
        .as(OUTSIDER)
        .get(`${API}?system=system:default/nowhere&days=2`);
      for (const res of [hiddenSystem, missing]) {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          ...empty,
          trend: [-1, 0].map(offset => ({
            day: day(offset),
            ...figures([0, 0, 0], [0, 0, 0]),
          })),
        });
      }
    });

    it('gives 90 days of trend unless asked otherwise', async () => {
      const res = await backend.as(LEAD).get(API);
      expect(res.body.trend).toHaveLength(90);
      expect(res.body.trend[0].day).toBe(day(-89));
      expect(res.body.trend[0]).toMatchObject(figures([0, 0, 0], [0, 0, 0]));
      const year = await backend.as(LEAD).get(`${API}?days=365`);
      expect(year.body.trend).toHaveLength(365);
    });

    it('answers 400 naming the field for every bad query, never 5xx', async () => {
      const cases: Array<[string, RegExp]> = [
        ['days=0', /^days: must be at least 1/],
        ['days=366', /^days: must be at most 365/],
        ['days=1e9', /^days: must be at most 365/],
        ['days=-1', /^days: must be at least 1/],
        ['days=1.5', /^days: must be a whole number/],
        ['days=abc', /^days: must be a number/],
        ['days=', /^days: /],
        ['days=1&days=2', /^days: /],
        ['days[x]=1', /^days: /],
        ['system=%00', /^system: must not contain control characters/],
        ['system=a&system=b', /^system: must be a string/],
        ['system=component:default/ci', /^system: must be the ref of a system/],
        ['system=not%20a%20ref', /^system: /],
        ['system=', /^system: /],
        [`system=system:default/${'x'.repeat(10_000)}`, /^system: /],
        ['unknown=1', /unknown: is not an accepted field/],
      ];
      for (const [query, message] of cases) {
        const res = await backend.as(LEAD).get(`${API}?${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect({ query, message: res.body.error.message }).toEqual({
          query,
          message: expect.stringMatching(message),
        });
      }
    });

    it('answers 401 without a token', async () => {
      const res = await request(backend.server)
        .get(API)
        .set('authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });

    // Last: it changes the data the tests above read.
    it('snapshots today from freeboard_capabilities with the daily task', async () => {
      await backend.snapshot();
      // Everything was already logged as it is.
      expect(
        await backend.knex('freeboard_capability_log').where({ day: day(0) }),
      ).toEqual([]);

      await backend
        .knex('freeboard_capabilities')
        .where({ entity_ref: cap('runners') })
        .update({ consumer_teams: 60 });
      await backend
        .knex('freeboard_capabilities')
        .where({ entity_ref: cap('vault') })
        .delete();
      await backend.snapshot();
      const today = await backend
        .knex('freeboard_capability_log')
        .where({ day: day(0) })
        .orderBy('entity_ref')
        .select('entity_ref', 'category', 'weight');
      expect(
        today.map(r => [r.entity_ref, r.category, Number(r.weight)]),
      ).toEqual([
        [cap('runners'), 'kept', 60],
        [cap('vault'), 'none', 0],
      ]);
      const res = await backend.as(LEAD).get(`${API}?days=2`);
      expect(res.body.trend[1]).toMatchObject(figures([2, 2, 1], [21, 90, 8]));
      expect(res.body.all).toEqual(figures([2, 2, 1], [21, 90, 8]));
    });
  },
);
