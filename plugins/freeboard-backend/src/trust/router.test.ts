import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createFreeboardConditionalDecision,
  freeboardConditions,
} from '@freeboard/backstage-plugin-node';
import { trustEntryCreatePermission } from '@freeboard/backstage-plugin-common';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { entity } from '../__testUtils__/trustBackend';
import { freeboardPlugin } from '../plugin';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const ADA = 'user:default/ada';
const BASE = '/api/freeboard/trust/entities/component/default/ci-pipelines';

const entities: Entity[] = [
  entity('Component', 'ci-pipelines', [
    ['ownedBy', 'group:default/platform-team'],
    ['dependencyOf', 'component:default/payments-api'],
    ['providesApi', 'api:default/ci-api'],
  ]),
  entity('Component', 'payments-api', [['ownedBy', 'group:default/payments']]),
  entity('API', 'ci-api', [
    ['apiConsumedBy', 'component:default/checkout-web'],
    ['apiProvidedBy', 'component:default/ci-pipelines'],
  ]),
  entity('Component', 'checkout-web', [['ownedBy', 'group:default/checkout']]),
  entity('Group', 'platform-team'),
  entity('Group', 'payments'),
  entity('Group', 'checkout'),
];

type PermissionMode =
  | 'allow'
  | 'deny'
  | 'owner-of-platform-team'
  | 'owner-of-other';

let databaseId: Parameters<typeof databases.init>[0];

async function start(initialMode: PermissionMode = 'allow') {
  const state = { mode: initialMode };
  const successes: Array<Record<string, unknown>> = [];
  const failures: Array<{ eventId: string; error: Error }> = [];
  const createEvent = jest.fn(async (options: { eventId: string }) => ({
    success: async (o?: { meta?: Record<string, unknown> }) => {
      successes.push({ eventId: options.eventId, ...o?.meta });
    },
    fail: async (o: { error: Error }) => {
      failures.push({ eventId: options.eventId, error: o.error });
    },
  }));
  const decision = (claims: string[]) =>
    createFreeboardConditionalDecision(
      trustEntryCreatePermission,
      freeboardConditions.isEntityOwner({ claims }),
    );
  const permissions = mockServices.permissions.mock({
    authorizeConditional: jest.fn(async requests =>
      requests.map(() => {
        const mode = state.mode;
        if (mode === 'allow') return { result: AuthorizeResult.ALLOW } as const;
        if (mode === 'deny') return { result: AuthorizeResult.DENY } as const;
        return decision(
          mode === 'owner-of-platform-team'
            ? ['group:default/platform-team']
            : ['group:default/payments'],
        );
      }),
    ) as any,
  });
  const { server } = await startTestBackend({
    features: [
      freeboardPlugin,
      mockServices.database.factory({ knex: await databases.init(databaseId) }),
      catalogServiceMock.factory({ entities }),
      permissions.factory,
      mockServices.auditor.mock({ createEvent: createEvent as any }).factory,
    ],
  });
  const asAda = <T extends request.Test>(t: T) =>
    t.set('authorization', mockCredentials.user.header(ADA));
  return { server, successes, failures, asAda, state };
}

const validEntry = {
  category: 'pain-point-removed',
  amount: 10,
  title: 'Cached builds',
};

describe.each(databases.eachSupportedId())('trust routes on %s', id => {
  beforeAll(() => {
    databaseId = id;
  });

  // Balances fade continuously; a frozen clock keeps the figures exact.
  beforeEach(() => {
    jest.useFakeTimers({
      now: new Date('2026-11-21T12:00:00Z'),
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
  });
  afterEach(() => jest.useRealTimers());

  it('refuses every trust route without credentials', async () => {
    const { server } = await start();
    const none = mockCredentials.none.header();
    const calls = [
      request(server).get('/api/freeboard/trust/config'),
      request(server).get(BASE),
      request(server).get(`${BASE}/entries`),
      request(server).get(`${BASE}/trend`),
      request(server).post(`${BASE}/entries`).send(validEntry),
      request(server).post(`${BASE}/entries/1/revert`).send({ reason: 'x' }),
      request(server)
        .post(`${BASE}/preflight`)
        .send({ category: 'migration', amount: 5 }),
      request(server).put(`${BASE}/pulse`).send({ sentiment: 'up' }),
      request(server)
        .post('/api/freeboard/trust/scores')
        .send({ entityRefs: ['component:default/ci-pipelines'] }),
      request(server).get('/api/freeboard/trust/leaderboard'),
    ];
    for (const call of calls) {
      const res = await call.set('authorization', none);
      expect(res.status).toBe(401);
    }
  });

  it('lets only users write', async () => {
    const { server, successes } = await start();
    const res = await request(server)
      .post(`${BASE}/entries`)
      .set('authorization', mockCredentials.service.header())
      .send(validEntry);
    // httpAuth refuses a service principal where only users are allowed.
    expect(res.status).toBe(403);
    expect(successes).toEqual([]);
  });

  it('records an entry, audits it and answers with the summary', async () => {
    const { server, successes, asAda } = await start();
    const res = await asAda(request(server).post(`${BASE}/entries`)).send({
      ...validEntry,
      consumerRef: 'group:payments',
      evidenceUrl: 'https://example.com/adr/12',
    });
    expect(res.status).toBe(201);
    expect(res.body.entry).toMatchObject({
      entityRef: 'component:default/ci-pipelines',
      direction: 'earn',
      amount: 10,
      recordedBy: ADA,
      source: 'manual',
      consumerRef: 'group:default/payments',
    });
    expect(res.body.summary).toMatchObject({
      balance: 10,
      level: 'healthy',
      entryCount: 1,
      consumers: [{ consumerRef: 'group:default/payments', balance: 10 }],
    });
    expect(successes).toEqual([
      expect.objectContaining({
        eventId: 'trust-entry-record',
        entityRef: 'component:default/ci-pipelines',
        entryId: res.body.entry.id,
      }),
    ]);

    const upper = await asAda(
      request(server).get(
        '/api/freeboard/trust/entities/Component/DEFAULT/CI-Pipelines',
      ),
    );
    expect(upper.status).toBe(200);
    expect(upper.body.balance).toBe(10);
  });

  it('ignores who the body says recorded an entry: it refuses the field', async () => {
    const { server, asAda } = await start();
    const res = await asAda(request(server).post(`${BASE}/entries`)).send({
      ...validEntry,
      recordedBy: 'user:default/someone-else',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'recordedBy: is not an accepted field',
    );
  });

  it.each([
    [{ amount: 0 }, 'amount: must be at least 0.01'],
    [{ amount: 1e-300 }, 'amount: must be at least 0.01'],
    [{ amount: 101 }, 'amount: must be at most 100'],
    [{ amount: 'ten' }, 'amount'],
    [{ title: undefined }, 'title: is required'],
    [{ title: '   ' }, 'title: must not be empty'],
    [{ title: 'x'.repeat(201) }, 'title: must be at most 200 characters'],
    [{ category: 'bribes' }, 'category: "bribes" is not a known category'],
    [
      { direction: 'spend' },
      'direction: category "pain-point-removed" is a earn category',
    ],
    [{ direction: 'sideways' }, 'direction'],
    [{ consumerRef: 'not a ref at all:' }, 'consumerRef'],
    [
      { consumerRef: 'group:default/nobody' },
      'consumerRef: no entity group:default/nobody in the catalog',
    ],
    [
      { evidenceUrl: 'ftp://example.com/x' },
      'evidenceUrl: must be an http or https URL',
    ],
    [
      { evidenceUrl: ['javascript', 'alert(1)'].join(':') },
      'evidenceUrl: must be an http or https URL',
    ],
    [
      { occurredAt: '2999-01-01T00:00:00Z' },
      'occurredAt: must not be more than 5 minutes in the future',
    ],
    [{ occurredAt: 'yesterday' }, 'occurredAt: must be an ISO 8601 date-time'],
  ])(
    'rejects %j with a 400 naming the field, writing nothing',
    async (patch, message) => {
      const { server, asAda, successes, failures } = await start();
      const res = await asAda(request(server).post(`${BASE}/entries`)).send({
        ...validEntry,
        ...patch,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      const list = await asAda(request(server).get(`${BASE}/entries`));
      expect(list.body.entries).toEqual([]);
      expect(successes).toEqual([]);
      expect(failures).toEqual([
        expect.objectContaining({ eventId: 'trust-entry-record' }),
      ]);
    },
  );

  it('rejects a bad Idempotency-Key header', async () => {
    const { server, asAda } = await start();
    const res = await asAda(request(server).post(`${BASE}/entries`))
      .set('Idempotency-Key', 'x'.repeat(300))
      .send(validEntry);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('Idempotency-Key');
  });

  it('makes retries with an Idempotency-Key safe', async () => {
    const { server, asAda } = await start();
    const send = (body: object) =>
      asAda(request(server).post(`${BASE}/entries`))
        .set('Idempotency-Key', 'abc-123')
        .send(body);
    const first = await send(validEntry);
    const again = await send({
      title: 'Cached builds',
      amount: 10,
      category: 'pain-point-removed',
    });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.entry.id).toBe(first.body.entry.id);
    const other = await send({ ...validEntry, amount: 11 });
    expect(other.status).toBe(409);
    const list = await asAda(request(server).get(`${BASE}/entries`));
    expect(list.body.entries).toHaveLength(1);
  });

  it('answers 404 for an entity the caller cannot see, on every route', async () => {
    const { server, asAda, successes } = await start();
    const missing =
      '/api/freeboard/trust/entities/component/default/secret-project';
    const calls = [
      request(server).get(missing),
      request(server).get(`${missing}/entries`),
      request(server).get(`${missing}/trend`),
      request(server).post(`${missing}/entries`).send(validEntry),
      request(server).post(`${missing}/entries/1/revert`).send({ reason: 'x' }),
      request(server)
        .post(`${missing}/preflight`)
        .send({ category: 'migration', amount: 5 }),
      request(server).put(`${missing}/pulse`).send({ sentiment: 'up' }),
    ];
    for (const call of calls) {
      expect((await asAda(call)).status).toBe(404);
    }
    expect(successes).toEqual([]);
  });

  it('answers 403 without permission, on every write, and writes nothing', async () => {
    const { server, asAda, successes, failures, state } = await start();
    const recorded = await asAda(request(server).post(`${BASE}/entries`)).send(
      validEntry,
    );
    successes.length = 0;
    state.mode = 'deny';
    const calls = [
      request(server).post(`${BASE}/entries`).send(validEntry),
      request(server)
        .post(`${BASE}/entries/${recorded.body.entry.id}/revert`)
        .send({ reason: 'x' }),
      request(server)
        .post(`${BASE}/preflight`)
        .send({ category: 'migration', amount: 5 }),
      request(server).put(`${BASE}/pulse`).send({ sentiment: 'up' }),
    ];
    for (const call of calls) {
      expect((await asAda(call)).status).toBe(403);
    }
    expect(successes).toEqual([]);
    expect(failures.map(f => f.error.name)).toEqual([
      'NotAllowedError',
      'NotAllowedError',
      'NotAllowedError',
      'NotAllowedError',
    ]);
    const summary = await asAda(request(server).get(BASE));
    expect(summary.body.entryCount).toBe(1);
  });

  it('applies a conditional decision to the entity: owners may record', async () => {
    const owner = await start('owner-of-platform-team');
    expect(
      (
        await owner
          .asAda(request(owner.server).post(`${BASE}/entries`))
          .send(validEntry)
      ).status,
    ).toBe(201);
    const other = await start('owner-of-other');
    expect(
      (
        await other
          .asAda(request(other.server).post(`${BASE}/entries`))
          .send(validEntry)
      ).status,
    ).toBe(403);
  });

  it('reverts an entry once', async () => {
    const { server, asAda, successes } = await start();
    const created = await asAda(request(server).post(`${BASE}/entries`)).send(
      validEntry,
    );
    const entryId = created.body.entry.id;
    const revert = await asAda(
      request(server).post(`${BASE}/entries/${entryId}/revert`),
    ).send({ reason: 'Wrong capability' });
    expect(revert.status).toBe(201);
    expect(revert.body.entry.revertsEntryId).toBe(entryId);
    expect(revert.body.summary.balance).toBeCloseTo(0, 9);
    expect(successes.map(s => s.eventId)).toEqual([
      'trust-entry-record',
      'trust-entry-revert',
    ]);
    const twice = await asAda(
      request(server).post(`${BASE}/entries/${entryId}/revert`),
    ).send({
      reason: 'again',
    });
    expect(twice.status).toBe(409);
    const missingReason = await asAda(
      request(server).post(`${BASE}/entries/${entryId}/revert`),
    ).send({});
    expect(missingReason.status).toBe(400);
    expect(missingReason.body.error.message).toContain('reason: is required');
    const unknown = await asAda(
      request(server).post(`${BASE}/entries/424242/revert`),
    ).send({
      reason: 'x',
    });
    expect(unknown.status).toBe(404);
    const notAnId = await asAda(
      request(server).post(`${BASE}/entries/abc/revert`),
    ).send({ reason: 'x' });
    expect(notAnId.status).toBe(400);
    expect(notAnId.body.error.message).toContain(
      'must be the id of a ledger entry',
    );
  });

  it('projects a spend on the teams the catalog names as consumers', async () => {
    const { server, asAda } = await start();
    await asAda(request(server).post(`${BASE}/entries`)).send({
      ...validEntry,
      amount: 30,
      consumerRef: 'group:default/payments',
    });
    const res = await asAda(request(server).post(`${BASE}/preflight`)).send({
      category: 'migration',
      amount: 20,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      balance: 30,
      projectedBalance: -10,
      verdict: 'overdrawn',
      consumers: [
        {
          consumerRef: 'group:default/checkout',
          balance: 0,
          projectedBalance: -20,
          verdict: 'overdrawn',
        },
        {
          consumerRef: 'group:default/payments',
          balance: 30,
          projectedBalance: 10,
          verdict: 'affordable',
        },
      ],
    });
    const explicit = await asAda(
      request(server).post(`${BASE}/preflight`),
    ).send({
      category: 'migration',
      amount: 5,
      consumerRefs: ['group:default/payments'],
    });
    expect(explicit.body.verdict).toBe('affordable');
    const bad = await asAda(request(server).post(`${BASE}/preflight`)).send({
      category: 'docs-improved',
      amount: 5,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('category');
    const unknownConsumer = await asAda(
      request(server).post(`${BASE}/preflight`),
    ).send({
      category: 'migration',
      amount: 5,
      consumerRefs: ['group:default/ghosts'],
    });
    expect(unknownConsumer.status).toBe(400);
    // A pre-flight writes nothing.
    const summary = await asAda(request(server).get(BASE));
    expect(summary.body.entryCount).toBe(1);
  });

  it('records pulses and reports their counts', async () => {
    const { server, asAda, successes } = await start();
    const up = await asAda(request(server).put(`${BASE}/pulse`)).send({
      sentiment: 'up',
      comment: 'The new cache is great',
    });
    expect(up.status).toBe(200);
    expect(up.body.replaced).toBe(false);
    const down = await asAda(request(server).put(`${BASE}/pulse`)).send({
      sentiment: 'down',
    });
    expect(down.body.replaced).toBe(true);
    expect(down.body.summary.pulses.last7Days).toEqual({ up: 0, down: 1 });
    expect(successes.map(s => s.eventId)).toEqual([
      'trust-pulse',
      'trust-pulse',
    ]);
    const bad = await asAda(request(server).put(`${BASE}/pulse`)).send({
      sentiment: 'meh',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'sentiment: must be "up" or "down"',
    );
  });

  it('serves entries, trend, scores, leaderboard and config', async () => {
    const { server, asAda } = await start();
    for (const amount of [5, 6, 7]) {
      await asAda(request(server).post(`${BASE}/entries`)).send({
        ...validEntry,
        amount,
      });
    }
    const page = await asAda(request(server).get(`${BASE}/entries?limit=2`));
    expect(page.body.entries).toHaveLength(2);
    const next = await asAda(
      request(server).get(
        `${BASE}/entries?limit=2&cursor=${page.body.nextCursor}`,
      ),
    );
    expect(next.body.entries).toHaveLength(1);
    expect(
      (await asAda(request(server).get(`${BASE}/entries?limit=0`))).status,
    ).toBe(400);
    expect(
      (await asAda(request(server).get(`${BASE}/entries?limit=101`))).status,
    ).toBe(400);
    expect(
      (await asAda(request(server).get(`${BASE}/entries?cursor=zzz`))).status,
    ).toBe(400);
    expect(
      (await asAda(request(server).get(`${BASE}/entries?direction=up`))).status,
    ).toBe(400);

    const trend = await asAda(request(server).get(`${BASE}/trend`));
    expect(trend.body.points).toHaveLength(90);
    expect(trend.body.points[89].balance).toBeCloseTo(18, 6);
    expect(
      (await asAda(request(server).get(`${BASE}/trend?days=0`))).status,
    ).toBe(400);

    const scores = await asAda(
      request(server).post('/api/freeboard/trust/scores'),
    ).send({
      entityRefs: [
        'component:default/ci-pipelines',
        'component:default/secret',
        'group:payments',
      ],
    });
    expect(
      scores.body.items.map((i: { entityRef: string }) => i.entityRef),
    ).toEqual(['component:default/ci-pipelines', 'group:default/payments']);
    const tooMany = await asAda(
      request(server).post('/api/freeboard/trust/scores'),
    ).send({
      entityRefs: Array.from(
        { length: 101 },
        (_, i) => `component:default/c${i}`,
      ),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain(
      'entityRefs: must list at most 100 refs',
    );

    const board = await asAda(
      request(server).get('/api/freeboard/trust/leaderboard'),
    );
    expect(board.body.items).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/ci-pipelines',
        level: 'healthy',
      }),
    ]);
    expect(
      (
        await asAda(
          request(server).get('/api/freeboard/trust/leaderboard?order=up'),
        )
      ).status,
    ).toBe(400);

    const config = await asAda(
      request(server).get('/api/freeboard/trust/config'),
    );
    expect(config.body).toMatchObject({
      halfLifeDays: 180,
      maxAmount: 100,
      levels: { healthy: 10, strong: 50 },
    });
    expect(config.body.categories.length).toBeGreaterThan(5);
  });
});
