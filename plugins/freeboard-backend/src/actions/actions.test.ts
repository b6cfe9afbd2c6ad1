import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { FLOAT_OR_SINK_ANNOTATIONS as A } from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import request from 'supertest';
import { visibilityCatalog } from '../__testUtils__/portfolioBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { freeboardPlugin } from '../plugin';
import { PORTFOLIO_REFRESH_TASK_ID } from '../portfolio/refresher';

/*
 * Freeboard's actions through the real actions registry (the default
 * service factory, over its HTTP invoke route, as the MCP actions backend
 * calls it), on SQLite and PostgreSQL: every action's happy path, a write
 * the permission policy refuses, bad input named by field, and entities the
 * caller cannot see.
 */

jest.setTimeout(240_000);

const databases = createTestDatabases();
const ACTIONS = '/api/freeboard/.backstage/actions/v1/actions';

const LEAD = 'user:default/lead';
/** May read everything, may record nothing: the policy denies the write. */
const VIEWER = 'user:default/viewer';
/** Cannot see the hidden capability. */
const OUTSIDER = 'user:default/outsider';

const CI = 'component:default/ci';
const HIDDEN = 'component:default/hidden';
const APP = 'component:default/a-app';

function entity(
  kind: string,
  name: string,
  relations: Array<[string, string]> = [],
  annotations?: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      ...(annotations ? { annotations } : {}),
    },
    spec: {},
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

const ENTITIES = [
  entity('Group', 'platform'),
  entity('Group', 'team-a'),
  entity(
    'Component',
    'ci',
    [
      ['ownedBy', 'group:default/platform'],
      ['dependencyOf', APP],
    ],
    { [A.decision]: 'sink', [A.reviewBy]: '2020-01-10' },
  ),
  entity('Component', 'hidden', [['ownedBy', 'group:default/platform']], {
    [A.decision]: 'float',
    [A.reviewBy]: '2019-01-01',
  }),
  entity('Component', 'a-app', [['ownedBy', 'group:default/team-a']]),
];

async function startBackend(knex: Knex) {
  const catalog = visibilityCatalog(ENTITIES, { [OUTSIDER]: [HIDDEN] });
  const userOf = (opts: any) => opts?.credentials?.principal?.userEntityRef;
  const permissions = mockServices.permissions.mock({
    authorizeConditional: jest.fn(async (requests: any[], opts: any) =>
      requests.map(({ permission }: { permission: { name: string } }) => {
        const user = userOf(opts);
        if (
          permission.name === 'freeboard.trust.entry.create' &&
          user === VIEWER
        ) {
          return { result: AuthorizeResult.DENY } as const;
        }
        if (
          permission.name === 'catalog.entity.read' &&
          catalog.restricted(user)
        ) {
          return {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions: {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity',
              params: { claims: [] },
            },
          } as const;
        }
        return { result: AuthorizeResult.ALLOW } as const;
      }),
    ) as any,
    authorize: jest.fn(async (requests: any[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    ) as any,
  });
  const audits: Array<{
    eventId: string;
    status: 'succeeded' | 'failed';
    meta: Record<string, unknown>;
    error?: Error;
  }> = [];
  const createEvent = jest.fn(
    async (o: { eventId: string; meta?: Record<string, unknown> }) => ({
      success: async (s?: { meta?: Record<string, unknown> }) => {
        audits.push({
          eventId: o.eventId,
          status: 'succeeded',
          meta: { ...o.meta, ...s?.meta },
        });
      },
      fail: async (f: { error: Error; meta?: Record<string, unknown> }) => {
        audits.push({
          eventId: o.eventId,
          status: 'failed',
          meta: { ...o.meta, ...f.meta },
          error: f.error,
        });
      },
    }),
  );
  const scheduler = mockServices.scheduler();
  const backend = await startTestBackend({
    features: [
      freeboardPlugin,
      mockServices.database.factory({ knex }),
      catalog.catalog.factory,
      permissions.factory,
      mockServices.auditor.mock({ createEvent: createEvent as any }).factory,
      (scheduler as any).factory({ skipTaskRunOnStartup: true }),
    ],
  });
  const invoke = (
    name: string,
    input: unknown,
    header = mockCredentials.user.header(LEAD),
  ) =>
    request(backend.server)
      .post(`${ACTIONS}/freeboard:${name}/invoke`)
      .set('authorization', header)
      .send(input as object);
  const as = (user: string) => mockCredentials.user.header(user);
  return {
    backend,
    invoke,
    as,
    audits,
    server: backend.server,
    refresh: () => scheduler.triggerTask(PORTFOLIO_REFRESH_TASK_ID),
  };
}

describe.each(databases.eachSupportedId())('Freeboard actions, %p', id => {
  let knex: Knex;
  let app: Awaited<ReturnType<typeof startBackend>>;

  beforeAll(async () => {
    knex = await databases.init(id);
    app = await startBackend(knex);
  });

  afterAll(async () => {
    await app.backend.stop();
    await knex.destroy();
  });

  it('lists every action with its schemas and attributes', async () => {
    const res = await request(app.server)
      .get(ACTIONS)
      .set('authorization', app.as(LEAD));
    expect(res.status).toBe(200);
    const byName = new Map<string, any>(
      res.body.actions.map((a: any) => [a.name, a]),
    );
    expect([...byName.keys()].sort()).toEqual([
      'get-initiative-status',
      'get-trust-summary',
      'list-overdue-reviews',
      'list-portfolio',
      'preflight-trust-spend',
      'record-trust-entry',
    ]);
    for (const action of byName.values()) {
      expect(action.id).toBe(`freeboard:${action.name}`);
      expect(action.schema.input.type).toBe('object');
      expect(action.schema.output.type).toBe('object');
      expect(action.description.length).toBeGreaterThan(40);
    }
    const record = byName.get('record-trust-entry');
    expect(record.attributes).toEqual({
      readOnly: false,
      destructive: false,
      idempotent: false,
    });
    expect(record.schema.input.required).toEqual(
      expect.arrayContaining(['entityRef', 'category', 'amount', 'title']),
    );
    expect(record.schema.input.additionalProperties).toBe(false);
    expect(byName.get('get-trust-summary').attributes.readOnly).toBe(true);
    expect(byName.get('list-portfolio').schema.input.properties.level).toEqual(
      expect.objectContaining({
        enum: ['overdrawn', 'thin', 'healthy', 'strong'],
      }),
    );
  });

  describe('trust', () => {
    it('records an entry in the name of the caller, audited, and reads it back', async () => {
      const res = await app.invoke('record-trust-entry', {
        entityRef: 'Component:default/CI',
        category: 'pain-point-removed',
        amount: 12,
        title: 'Fixed the flaky runners',
        consumerRef: 'group:default/team-a',
      });
      expect(res.status).toBe(200);
      const { entry, replayed, summary } = res.body.output;
      expect(entry).toEqual(
        expect.objectContaining({
          entityRef: CI,
          direction: 'earn',
          category: 'pain-point-removed',
          amount: 12,
          consumerRef: 'group:default/team-a',
          recordedBy: LEAD,
        }),
      );
      expect(replayed).toBe(false);
      expect(summary).toEqual(
        expect.objectContaining({
          entityRef: CI,
          entryCount: 1,
          consumerCount: 1,
        }),
      );
      expect(summary.balance).toBeCloseTo(12, 1);
      expect(app.audits).toContainEqual({
        eventId: 'trust-entry-record',
        status: 'succeeded',
        meta: expect.objectContaining({
          via: 'actions-registry',
          actor: LEAD,
          entityRef: CI,
          entryId: entry.id,
          replayed: false,
        }),
      });

      const read = await app.invoke(
        'get-trust-summary',
        { entityRef: CI },
        app.as(VIEWER),
      );
      expect(read.status).toBe(200);
      expect(read.body.output.summary).toEqual(
        expect.objectContaining({
          entityRef: CI,
          entryCount: 1,
          level: expect.any(String),
          consumers: [
            expect.objectContaining({ consumerRef: 'group:default/team-a' }),
          ],
        }),
      );
    });

    it('records once per idempotency key', async () => {
      const input = {
        entityRef: CI,
        category: 'migration',
        amount: 2,
        title: 'Moved the cache',
        idempotencyKey: 'assistant-run-42',
      };
      const first = await app.invoke('record-trust-entry', input);
      const again = await app.invoke('record-trust-entry', input);
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.body.output.replayed).toBe(true);
      expect(again.body.output.entry.id).toBe(first.body.output.entry.id);
      expect(again.body.output.summary.entryCount).toBe(
        first.body.output.summary.entryCount,
      );
    });

    it('refuses a write the policy denies, writes nothing, and audits the failure', async () => {
      const before = await app.invoke('get-trust-summary', { entityRef: CI });
      const res = await app.invoke(
        'record-trust-entry',
        {
          entityRef: CI,
          category: 'migration',
          amount: 5,
          title: 'Not allowed',
        },
        app.as(VIEWER),
      );
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      const after = await app.invoke('get-trust-summary', { entityRef: CI });
      expect(after.body.output.summary.entryCount).toBe(
        before.body.output.summary.entryCount,
      );
      expect(app.audits).toContainEqual(
        expect.objectContaining({
          eventId: 'trust-entry-record',
          status: 'failed',
          meta: expect.objectContaining({ actor: VIEWER }),
        }),
      );
    });

    it('refuses writes from a service acting on its own', async () => {
      const res = await app.invoke(
        'record-trust-entry',
        { entityRef: CI, category: 'migration', amount: 5, title: 'Robot' },
        mockCredentials.service.header(),
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/signed-in user/);
    });

    it.each([
      [{ amount: 0 }, /amount: must be at least 0\.01/],
      [{ amount: 'five' }, /"amount"[\s\S]*Expected number/],
      [{ category: 'bribery' }, /category: "bribery" is not a known category/],
      [
        { direction: 'spend' },
        /direction: category "pain-point-removed" is a earn category/,
      ],
      [
        { entityRef: 'not a ref' },
        /entityRef: "not a ref" is not an entity ref/,
      ],
      [
        { consumerRef: 'group:default/nobody' },
        /consumerRef: no entity group:default\/nobody/,
      ],
      [{ evidenceUrl: 'ftp://x' }, /evidenceUrl: must be an http or https URL/],
      [{ title: 'a\u0000b' }, /title: must not contain control characters/],
      [{ idempotencyKey: 'has spaces' }, /idempotencyKey: must be 1 to 255/],
      [{ ammount: 3 }, /ammount/],
    ])(
      'answers bad input %j with an InputError naming the field',
      async (change, message) => {
        const res = await app.invoke('record-trust-entry', {
          entityRef: CI,
          category: 'pain-point-removed',
          amount: 3,
          title: 'Helped',
          ...change,
        });
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(message);
      },
    );

    it('projects a spend for a caller who may record, and refuses one who may not', async () => {
      const res = await app.invoke('preflight-trust-spend', {
        entityRef: CI,
        category: 'migration',
        amount: 50,
      });
      expect(res.status).toBe(200);
      expect(res.body.output).toEqual(
        expect.objectContaining({
          verdict: expect.stringMatching(/^(risky|overdrawn)$/),
          consumers: [
            expect.objectContaining({
              consumerRef: 'group:default/team-a',
              verdict: 'overdrawn',
            }),
          ],
        }),
      );
      expect(res.body.output.projectedBalance).toBeLessThan(
        res.body.output.balance,
      );
      expect(app.audits).toContainEqual(
        expect.objectContaining({
          eventId: 'trust-preflight',
          status: 'succeeded',
        }),
      );

      const denied = await app.invoke(
        'preflight-trust-spend',
        { entityRef: CI, category: 'migration', amount: 5 },
        app.as(VIEWER),
      );
      expect(denied.status).toBe(403);

      const earn = await app.invoke('preflight-trust-spend', {
        entityRef: CI,
        category: 'pain-point-removed',
        amount: 5,
      });
      expect(earn.status).toBe(400);
      expect(earn.body.error.message).toMatch(/category: .* spend category/);
    });

    it('does not find an entity the caller cannot see, for reads and writes alike', async () => {
      const read = await app.invoke(
        'get-trust-summary',
        { entityRef: HIDDEN },
        app.as(OUTSIDER),
      );
      expect(read.status).toBe(404);
      expect(read.body.error.name).toBe('NotFoundError');
      const write = await app.invoke(
        'record-trust-entry',
        {
          entityRef: HIDDEN,
          category: 'migration',
          amount: 1,
          title: 'Sneaky',
        },
        app.as(OUTSIDER),
      );
      expect(write.status).toBe(404);
      const preflight = await app.invoke(
        'preflight-trust-spend',
        { entityRef: HIDDEN, category: 'migration', amount: 1 },
        app.as(OUTSIDER),
      );
      expect(preflight.status).toBe(404);
      const lead = await app.invoke('get-trust-summary', { entityRef: HIDDEN });
      expect(lead.status).toBe(200);
      expect(lead.body.output.summary.entryCount).toBe(0);
    });
  });

  describe('phases', () => {
    it("reads an initiative's phase, blockers and adoption", async () => {
      const before = await app.invoke('get-initiative-status', {
        entityRef: CI,
      });
      expect(before.status).toBe(200);
      expect(before.body.output.initiative).toEqual(
        expect.objectContaining({ started: false, phase: 'discovery' }),
      );

      const started = await request(app.server)
        .post('/api/freeboard/phases/entities/component/default/ci/start')
        .set('authorization', app.as(LEAD))
        .send({});
      expect(started.status).toBe(201);

      const res = await app.invoke(
        'get-initiative-status',
        { entityRef: CI },
        app.as(VIEWER),
      );
      expect(res.status).toBe(200);
      const { initiative } = res.body.output;
      expect(initiative).toEqual(
        expect.objectContaining({
          entityRef: CI,
          started: true,
          iteration: 1,
          phase: 'discovery',
          version: expect.any(Number),
        }),
      );
      expect(initiative.blockers.length).toBeGreaterThan(0);
      expect(initiative.blockers[0]).toEqual({
        kind: expect.stringMatching(/^(criterion|signoff)$/),
        id: expect.any(String),
        title: expect.any(String),
      });
      expect(initiative.currentPhase.criteria.length).toBeGreaterThan(0);
      expect(initiative.phases.map((p: any) => p.status)).toEqual([
        'current',
        'upcoming',
        'upcoming',
        'upcoming',
      ]);
      expect(initiative.adoption).toEqual({
        adoptedTeams: 1,
        cohortTeams: 0,
        cohortTeamsAdopted: 0,
        teams: [{ teamRef: 'group:default/team-a', state: 'adopted' }],
      });
    });

    it('answers bad input and hidden entities as the route does', async () => {
      const future = await app.invoke('get-initiative-status', {
        entityRef: CI,
        asOf: '2099-01-01',
      });
      expect(future.status).toBe(400);
      expect(future.body.error.message).toMatch(
        /asOf: must not be in the future/,
      );
      const hidden = await app.invoke(
        'get-initiative-status',
        { entityRef: HIDDEN },
        app.as(OUTSIDER),
      );
      expect(hidden.status).toBe(404);
    });
  });

  describe('portfolio', () => {
    beforeAll(async () => {
      await app.refresh();
    });

    it('lists overdue reviews, most overdue first, only those the caller sees', async () => {
      const lead = await app.invoke('list-overdue-reviews', {});
      expect(lead.status).toBe(200);
      expect(lead.body.output).toEqual(
        expect.objectContaining({ total: 2, offset: 0, limit: 25 }),
      );
      expect(lead.body.output.reviews).toEqual([
        expect.objectContaining({
          entityRef: HIDDEN,
          decision: 'float',
          reviewBy: '2019-01-01',
          ownerRef: 'group:default/platform',
        }),
        expect.objectContaining({
          entityRef: CI,
          decision: 'sink',
          reviewBy: '2020-01-10',
        }),
      ]);
      expect(lead.body.output.reviews[0].overdueDays).toBeGreaterThan(
        lead.body.output.reviews[1].overdueDays,
      );

      const outsider = await app.invoke(
        'list-overdue-reviews',
        { limit: 10 },
        app.as(OUTSIDER),
      );
      expect(outsider.status).toBe(200);
      expect(outsider.body.output.total).toBe(1);
      expect(outsider.body.output.reviews.map((r: any) => r.entityRef)).toEqual(
        [CI],
      );

      const bad = await app.invoke('list-overdue-reviews', { limit: 0 });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/limit: must be a whole number/);
    });

    it('reads the portfolio filtered and paged, with totals over every match', async () => {
      const page = await app.invoke('list-portfolio', {
        owner: 'group:default/platform',
        limit: 1,
      });
      expect(page.status).toBe(200);
      expect(page.body.output).toEqual(
        expect.objectContaining({ total: 2, offset: 0, limit: 1 }),
      );
      expect(page.body.output.capabilities).toHaveLength(1);
      expect(page.body.output.totals.capabilities).toBe(2);
      const next = await app.invoke('list-portfolio', {
        owner: 'group:default/platform',
        limit: 1,
        offset: 1,
      });
      expect(
        [page, next].map(r => r.body.output.capabilities[0].entityRef).sort(),
      ).toEqual([CI, HIDDEN]);

      const sinks = await app.invoke('list-portfolio', { decision: 'sink' });
      expect(sinks.body.output.capabilities).toEqual([
        expect.objectContaining({
          entityRef: CI,
          decision: 'sink',
          reviewBy: '2020-01-10',
          phase: 'discovery',
          consumerTeams: 1,
          level: expect.any(String),
          balance: expect.any(Number),
        }),
      ]);

      const outsider = await app.invoke('list-portfolio', {}, app.as(OUTSIDER));
      expect(
        outsider.body.output.capabilities.map((c: any) => c.entityRef),
      ).toEqual([CI]);
      expect(outsider.body.output.totals.capabilities).toBe(1);
    });

    it('answers bad portfolio input naming the field', async () => {
      const ref = await app.invoke('list-portfolio', { owner: 'nope nope' });
      expect(ref.status).toBe(400);
      expect(ref.body.error.message).toMatch(/owner: /);
      const level = await app.invoke('list-portfolio', { level: 'rich' });
      expect(level.status).toBe(400);
      expect(level.body.error.message).toMatch(/"level"/);
      const big = await app.invoke('list-portfolio', { limit: 1000 });
      expect(big.status).toBe(400);
      expect(big.body.error.message).toMatch(/limit: /);
    });
  });
});
