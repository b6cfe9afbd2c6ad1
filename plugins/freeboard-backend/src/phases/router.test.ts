import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  LEAD,
  OUTSIDER,
  SAM,
  entity,
  startPhasesBackend,
} from '../__testUtils__/phasesBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';

/*
 * The MVP phases routes over HTTP, on SQLite and PostgreSQL: who may call
 * what (401, 403, 404), input rules (400, nothing written), conflicts (409
 * with blockers or the current version), audit events, time travel, history
 * paging and the steering report.
 */

jest.setTimeout(120_000);

const databases = createTestDatabases();

const API = '/api/freeboard/phases';
const at = (name: string) => `${API}/entities/component/default/${name}`;
const CI = at('ci');
const QUIET = at('quiet');

const MANAGE = 'freeboard.phases.manage';
const SIGNOFF = 'freeboard.phases.signoff';

const ENTITIES = [
  entity('Component', 'ci', [
    ['ownedBy', 'group:default/platform'],
    ['dependencyOf', 'component:default/app-a'],
    ['dependencyOf', 'component:default/secret-app'],
    ['providesApi', 'api:default/ci-api'],
  ]),
  entity('API', 'ci-api', [
    ['apiProvidedBy', 'component:default/ci'],
    ['apiConsumedBy', 'component:default/app-b'],
  ]),
  entity('Component', 'app-a', [
    ['ownedBy', 'group:default/team-a'],
    ['dependsOn', 'component:default/ci'],
  ]),
  entity('Component', 'app-b', [
    ['ownedBy', 'group:default/team-b'],
    ['consumesApi', 'api:default/ci-api'],
  ]),
  entity('Component', 'secret-app', [
    ['ownedBy', 'group:default/secret-team'],
    ['dependsOn', 'component:default/ci'],
  ]),
  entity('Component', 'quiet', [['ownedBy', 'group:default/platform']]),
  entity('Component', 'hidden-cap', [['ownedBy', 'group:default/platform']]),
  ...[
    'platform',
    'platform-leads',
    'team-a',
    'team-b',
    'team-c',
    'secret-team',
    'security',
    'data-governance',
    'finance',
  ].map(name => entity('Group', name)),
];

const HIDDEN = {
  [OUTSIDER]: [
    'group:default/secret-team',
    'component:default/secret-app',
    'component:default/hidden-cap',
  ],
};

/** Small templates, so a test can make an initiative ready to advance. */
const CONFIG = {
  freeboard: {
    phases: {
      templates: {
        discovery: [
          { id: 'golden-paths', title: 'Golden paths chosen' },
          { id: 'outcomes', title: 'Technical outcomes agreed' },
          {
            id: 'pioneer-selected',
            title: 'Pioneer team selected',
            measure: { type: 'pioneer-selected' },
          },
        ],
        integration: [
          { id: 'infrastructure', title: 'Platform infrastructure built' },
        ],
        deployment: [
          {
            id: 'pioneer-adopted',
            title: 'Pioneer team adopted it',
            measure: { type: 'pioneer-adopted' },
          },
        ],
        adoption: [
          {
            id: 'first-cohort',
            title: 'First cohort onboarded',
            measure: { type: 'cohort-adopted', cohort: 1, percent: 50 },
          },
        ],
      },
      signoffs: { discovery: ['group:default/security'] },
    },
  },
};

const T0 = new Date('2026-11-21T12:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;

let databaseId: Parameters<typeof databases.init>[0];

describe.each(databases.eachSupportedId())('phases routes on %s', id => {
  beforeAll(() => {
    databaseId = id;
  });

  // A frozen clock that tests move on, so times and expiries are exact.
  beforeEach(() => {
    jest.useFakeTimers({
      now: T0,
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
  // Each test has its own database; its connections close with it.
  const running: Array<() => Promise<void>> = [];
  afterEach(async () => {
    jest.useRealTimers();
    await Promise.all(running.splice(0).map(stop => stop()));
  });

  const tick = (ms: number) => jest.setSystemTime(Date.now() + ms);

  async function boot(
    config: Record<string, any> = CONFIG,
    options: { shared?: boolean } = {},
  ) {
    const backend = await startPhasesBackend({
      knex: await databases.init(databaseId),
      entities: ENTITIES,
      hidden: HIDDEN,
      config,
    });
    // A backend shared by several tests is stopped by their afterAll.
    if (!options.shared) running.push(backend.stop);
    const lead = backend.as(LEAD);
    const version = async (path = CI) => (await lead.get(path)).body.version;
    /** Starts CI and clears the audit log. */
    const started = async (path = CI) => {
      const res = await lead.post(`${path}/start`);
      expect(res.status).toBe(201);
      backend.successes.length = 0;
      backend.failures.length = 0;
      return res.body.state;
    };
    /** Makes CI ready to leave Discovery, as the lead and Sam. */
    const ready = async () => {
      await started();
      for (const c of ['discovery.golden-paths', 'discovery.outcomes']) {
        expect(
          (await lead.put(`${CI}/criteria/${c}`).send({ state: 'done' }))
            .status,
        ).toBe(200);
      }
      expect(
        (
          await lead
            .put(`${CI}/pioneer`)
            .send({ teamRef: 'group:default/team-a' })
        ).status,
      ).toBe(200);
      const approved = await backend.as(SAM).put(`${CI}/signoffs`).send({
        phase: 'discovery',
        groupRef: 'group:default/security',
        decision: 'approve',
      });
      expect(approved.status).toBe(200);
      expect(approved.body.state.blockers).toEqual([]);
      return approved.body.state;
    };
    return { ...backend, lead, version, started, ready };
  }

  it('refuses every phases route without credentials', async () => {
    const { server } = await boot();
    const none = mockCredentials.none.header();
    const calls = [
      request(server).get(`${API}/config`),
      request(server).get(CI),
      request(server).get(`${CI}/history`),
      request(server).get(`${CI}/report`),
      request(server).post(`${CI}/start`),
      request(server)
        .post(`${CI}/transitions`)
        .send({ to: 'integration', expectedVersion: 1 }),
      request(server)
        .post(`${CI}/criteria`)
        .send({ phase: 'discovery', title: 'x' }),
      request(server)
        .put(`${CI}/criteria/discovery.golden-paths`)
        .send({ state: 'done' }),
      request(server).delete(`${CI}/criteria/own-2`),
      request(server)
        .post(`${CI}/signoffs`)
        .send({ phase: 'discovery', groupRef: 'group:default/finance' }),
      request(server).put(`${CI}/signoffs`).send({
        phase: 'discovery',
        groupRef: 'group:default/security',
        decision: 'approve',
      }),
      request(server)
        .put(`${CI}/pioneer`)
        .send({ teamRef: 'group:default/team-a' }),
      request(server)
        .put(`${CI}/targets`)
        .send({ phase: 'discovery', date: '2027-01-31' }),
      request(server)
        .post(`${CI}/cohorts`)
        .send({
          name: 'Wave 1',
          targetDate: '2027-03-31',
          teamRefs: ['group:default/team-a'],
        }),
      request(server)
        .put(`${CI}/cohorts/cohort-2`)
        .send({
          name: 'Wave 1',
          targetDate: '2027-03-31',
          teamRefs: ['group:default/team-a'],
        }),
      request(server).delete(`${CI}/cohorts/cohort-2`),
    ];
    for (const call of calls) {
      const res = await call.set('authorization', none);
      expect({ url: call.url, status: res.status }).toEqual({
        url: call.url,
        status: 401,
      });
    }
  });

  it('lets only users write', async () => {
    const { server, successes, version } = await boot();
    const res = await request(server)
      .post(`${CI}/start`)
      .set('authorization', mockCredentials.service.header());
    expect(res.status).toBe(403);
    expect(successes).toEqual([]);
    expect(await version()).toBe(0);
  });

  it('answers an initiative that has not started with its template criteria and measured adoption', async () => {
    const { lead, as } = await boot();
    const res = await lead.get(CI);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/ci',
      started: false,
      iteration: 1,
      phase: 'discovery',
      version: 0,
      blockers: [],
      cohorts: [],
    });
    expect(res.body.startedAt).toBeUndefined();
    expect(res.body.phases.map((p: any) => [p.id, p.status])).toEqual([
      ['discovery', 'upcoming'],
      ['integration', 'upcoming'],
      ['deployment', 'upcoming'],
      ['adoption', 'upcoming'],
    ]);
    expect(
      res.body.phases[0].criteria.map((c: any) => [c.id, c.kind, c.state]),
    ).toEqual([
      ['discovery.golden-paths', 'manual', 'open'],
      ['discovery.outcomes', 'manual', 'open'],
      ['discovery.pioneer-selected', 'measured', 'open'],
    ]);
    expect(res.body.phases[0].signoffs).toEqual([
      {
        groupRef: 'group:default/security',
        state: 'pending',
        origin: 'config',
      },
    ]);
    // Adoption is measured from the catalog: a dependency and an API consumer.
    expect(res.body.adoption).toEqual({
      teams: [
        {
          teamRef: 'group:default/secret-team',
          state: 'adopted',
          adoptedSince: T0.toISOString(),
          via: ['component:default/secret-app'],
        },
        {
          teamRef: 'group:default/team-a',
          state: 'adopted',
          adoptedSince: T0.toISOString(),
          via: ['component:default/app-a'],
        },
        {
          teamRef: 'group:default/team-b',
          state: 'adopted',
          adoptedSince: T0.toISOString(),
          via: ['component:default/app-b'],
        },
      ],
      adoptedTeams: 3,
      cohortTeams: 0,
      cohortTeamsAdopted: 0,
      curve: [],
    });
    // A team the caller cannot see is neither named nor counted.
    const outsider = await as(OUTSIDER).get(CI);
    expect(outsider.status).toBe(200);
    expect(outsider.body.adoption.adoptedTeams).toBe(2);
    expect(JSON.stringify(outsider.body)).not.toContain('secret');
    // Path parts are case-insensitive, like the catalog's.
    const upper = await lead.get(`${API}/entities/Component/DEFAULT/CI`);
    expect(upper.body.entityRef).toBe('component:default/ci');
  });

  it('serves the default templates and sign-offs without configuration', async () => {
    const { lead } = await boot({});
    const config = await lead.get(`${API}/config`);
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({
      waiverDefaultDays: 90,
      waiverMaxDays: 365,
      signoffs: {
        discovery: [
          'group:default/security',
          'group:default/data-governance',
          'group:default/finance',
        ],
        integration: [],
      },
    });
    expect(config.body.templates.discovery).toHaveLength(6);
    expect(config.body.templates.adoption.at(-1)).toMatchObject({
      id: 'first-cohort-onboarded',
      measure: { type: 'cohort-adopted', cohort: 1, percent: 80 },
    });
    const state = await lead.get(QUIET);
    expect(state.body.phases[0].criteria).toHaveLength(6);
    expect(state.body.phases[0].signoffs).toHaveLength(3);
  });

  it('starts an initiative once: 201 and an audit event, then 409', async () => {
    const { lead, successes, failures } = await boot();
    const res = await lead.post(`${CI}/start`);
    expect(res.status).toBe(201);
    expect(res.body.state).toMatchObject({
      started: true,
      version: 1,
      iteration: 1,
      phase: 'discovery',
      startedAt: T0.toISOString(),
    });
    expect(res.body.state.phases[0]).toMatchObject({
      status: 'current',
      enteredAt: T0.toISOString(),
    });
    expect(res.body.state.blockers.map((b: any) => b.title)).toEqual([
      '"Golden paths chosen" is open',
      '"Technical outcomes agreed" is open',
      '"Pioneer team selected" is not met: No pioneer team yet',
      'group:default/security has not signed off',
    ]);
    expect(successes).toEqual([
      {
        eventId: 'phases-start',
        entityRef: 'component:default/ci',
        version: 1,
      },
    ]);
    const again = await lead.post(`${CI}/start`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ name: 'ConflictError' });
    expect(failures.map(f => [f.eventId, f.error.name])).toEqual([
      ['phases-start', 'ConflictError'],
    ]);
    expect((await lead.get(CI)).body.version).toBe(1);
  });

  it('answers 404 for an entity the caller cannot see, on every route', async () => {
    const { as, successes, lead } = await boot();
    const hidden = at('hidden-cap');
    expect((await lead.post(`${hidden}/start`)).status).toBe(201);
    const callsOn = (base: string, user: string) => {
      const client = as(user);
      return [
        client.get(base),
        client.get(`${base}?asOf=2026-11-20`),
        client.get(`${base}/history`),
        client.get(`${base}/report`),
        client.post(`${base}/start`),
        client
          .post(`${base}/transitions`)
          .send({ to: 'integration', expectedVersion: 1 }),
        client
          .post(`${base}/criteria`)
          .send({ phase: 'discovery', title: 'x' }),
        client
          .put(`${base}/criteria/discovery.golden-paths`)
          .send({ state: 'done' }),
        client.delete(`${base}/criteria/own-2`),
        client
          .post(`${base}/signoffs`)
          .send({ phase: 'discovery', groupRef: 'group:default/finance' }),
        client.put(`${base}/signoffs`).send({
          phase: 'discovery',
          groupRef: 'group:default/security',
          decision: 'approve',
        }),
        client.put(`${base}/pioneer`).send({ teamRef: null }),
        client
          .put(`${base}/targets`)
          .send({ phase: 'discovery', date: '2027-01-31' }),
        client.post(`${base}/cohorts`).send({
          name: 'Wave 1',
          targetDate: '2027-03-31',
          teamRefs: ['group:default/team-a'],
        }),
        client.put(`${base}/cohorts/cohort-2`).send({
          name: 'Wave 1',
          targetDate: '2027-03-31',
          teamRefs: ['group:default/team-a'],
        }),
        client.delete(`${base}/cohorts/cohort-2`),
      ];
    };
    successes.length = 0;
    for (const call of [
      ...callsOn(hidden, OUTSIDER),
      ...callsOn(at('nowhere'), LEAD),
    ]) {
      const res = await call;
      expect({ url: call.url, status: res.status }).toEqual({
        url: call.url,
        status: 404,
      });
    }
    expect(successes).toEqual([]);
    expect((await lead.get(hidden)).body.version).toBe(1);
  });

  it('answers 403 on every managing write the policy denies, and writes nothing', async () => {
    const { lead, as, policy, successes, failures, started, version } =
      await boot();
    await started();
    policy.deny.add(MANAGE);
    const cohort = {
      name: 'Wave 1',
      targetDate: '2027-03-31',
      teamRefs: ['group:default/team-a'],
    };
    const calls = [
      lead.post(`${CI}/start`),
      lead
        .post(`${CI}/transitions`)
        .send({ to: 'integration', expectedVersion: 1 }),
      lead.post(`${CI}/criteria`).send({ phase: 'discovery', title: 'x' }),
      lead.put(`${CI}/criteria/discovery.golden-paths`).send({ state: 'done' }),
      lead.delete(`${CI}/criteria/own-2`),
      lead
        .post(`${CI}/signoffs`)
        .send({ phase: 'discovery', groupRef: 'group:default/finance' }),
      lead.put(`${CI}/pioneer`).send({ teamRef: 'group:default/team-a' }),
      lead
        .put(`${CI}/targets`)
        .send({ phase: 'discovery', date: '2027-01-31' }),
      lead.post(`${CI}/cohorts`).send(cohort),
      lead.put(`${CI}/cohorts/cohort-2`).send(cohort),
      lead.delete(`${CI}/cohorts/cohort-2`),
    ];
    for (const call of calls) {
      const res = await call;
      expect({ url: call.url, status: res.status }).toEqual({
        url: call.url,
        status: 403,
      });
    }
    expect(successes).toEqual([]);
    expect(failures.map(f => f.error.name)).toEqual(
      calls.map(() => 'NotAllowedError'),
    );
    expect(failures.map(f => f.eventId)).toEqual([
      'phases-start',
      'phases-transition',
      'phases-criterion-add',
      'phases-criterion-set',
      'phases-criterion-remove',
      'phases-signoff-request',
      'phases-pioneer-set',
      'phases-target-set',
      'phases-cohort-add',
      'phases-cohort-update',
      'phases-cohort-remove',
    ]);
    expect(await version()).toBe(1);

    // Deciding a sign-off needs the sign-off permission, not manage.
    const decide = {
      phase: 'discovery',
      groupRef: 'group:default/security',
      decision: 'approve',
    };
    const sam = as(SAM);
    expect((await sam.put(`${CI}/signoffs`).send(decide)).status).toBe(200);
    policy.deny.add(SIGNOFF);
    const denied = await sam
      .put(`${CI}/signoffs`)
      .send({ ...decide, decision: 'reject' });
    expect(denied.status).toBe(403);
    expect(await version()).toBe(2);
  });

  it('lets only members of a group decide its sign-off, whatever the policy says', async () => {
    const { lead, as, successes, failures, started, version } = await boot();
    await started();
    const decide = {
      phase: 'discovery',
      groupRef: 'group:default/security',
      decision: 'approve',
      comment: 'Threat model reviewed',
    };
    for (const user of [LEAD, OUTSIDER]) {
      const res = await as(user).put(`${CI}/signoffs`).send(decide);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'Only members of group:default/security may decide its sign-off',
      );
    }
    expect(await version()).toBe(1);
    expect(failures.map(f => [f.eventId, f.error.name])).toEqual([
      ['phases-signoff-decide', 'NotAllowedError'],
      ['phases-signoff-decide', 'NotAllowedError'],
    ]);

    const sam = as(SAM);
    const rejected = await sam
      .put(`${CI}/signoffs`)
      .send({ ...decide, decision: 'reject', comment: 'No threat model yet' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.state.blockers.at(-1).title).toBe(
      'group:default/security rejected the sign-off',
    );
    const approved = await sam.put(`${CI}/signoffs`).send(decide);
    expect(approved.body.state.phases[0].signoffs).toEqual([
      {
        groupRef: 'group:default/security',
        state: 'approved',
        origin: 'config',
        decidedBy: SAM,
        decidedAt: T0.toISOString(),
        comment: 'Threat model reviewed',
      },
    ]);
    expect(successes).toEqual([
      expect.objectContaining({
        eventId: 'phases-signoff-decide',
        decision: 'reject',
        version: 2,
      }),
      expect.objectContaining({
        eventId: 'phases-signoff-decide',
        decision: 'approve',
        version: 3,
      }),
    ]);
    // A sign-off nobody asked for.
    const unknown = await sam.put(`${CI}/signoffs`).send({
      ...decide,
      phase: 'integration',
    });
    expect(unknown.status).toBe(404);
    expect((await lead.get(CI)).body.version).toBe(3);
  });

  it('applies a conditional decision to the entity: owners may manage', async () => {
    const { lead, policy } = await boot();
    policy.ownerOf = {
      names: new Set([MANAGE]),
      claims: ['group:default/payments'],
    };
    expect((await lead.post(`${CI}/start`)).status).toBe(403);
    policy.ownerOf.claims = ['group:default/platform'];
    expect((await lead.post(`${CI}/start`)).status).toBe(201);
  });

  describe('rejects bad input with a 400 naming the field, writing nothing', () => {
    const cohort = {
      name: 'Wave 1',
      targetDate: '2027-03-31',
      teamRefs: ['group:default/team-a'],
    };
    const decide = {
      phase: 'discovery',
      groupRef: 'group:default/security',
      decision: 'approve',
    };
    const cases: Array<
      [string, 'post' | 'put' | 'delete', string, object | undefined, string]
    > = [
      [
        'phases-start',
        'post',
        '/start',
        { force: true },
        'force: is not an accepted field',
      ],
      [
        'phases-transition',
        'post',
        '/transitions',
        { to: 'integration' },
        'expectedVersion: is required',
      ],
      [
        'phases-transition',
        'post',
        '/transitions',
        { to: 'launch', expectedVersion: 1 },
        'to: must be one of discovery, integration, deployment, adoption',
      ],
      [
        'phases-transition',
        'post',
        '/transitions',
        { to: 'integration', expectedVersion: -1 },
        'expectedVersion: must be at least 0',
      ],
      [
        'phases-transition',
        'post',
        '/transitions',
        { to: 'integration', expectedVersion: 1.5 },
        'expectedVersion: must be a whole number',
      ],
      [
        'phases-transition',
        'post',
        '/transitions',
        { to: 'integration', expectedVersion: 2147483648 },
        'expectedVersion: must be at most 2147483647',
      ],
      [
        'phases-transition',
        'post',
        '/transitions',
        { to: 'integration', expectedVersion: '1' },
        'expectedVersion: must be a number',
      ],
      [
        'phases-transition',
        'post',
        '/transitions',
        { to: 'integration', expectedVersion: 1, force: true },
        'force: is not an accepted field',
      ],
      [
        'phases-transition',
        'post',
        '/transitions',
        { to: 'integration', expectedVersion: 1, reason: 'x'.repeat(2001) },
        'reason: must be at most 2000 characters',
      ],
      [
        'phases-criterion-add',
        'post',
        '/criteria',
        { phase: 'discovery' },
        'title: is required',
      ],
      [
        'phases-criterion-add',
        'post',
        '/criteria',
        { phase: 'discovery', title: '   ' },
        'title: must not be empty',
      ],
      [
        'phases-criterion-add',
        'post',
        '/criteria',
        { phase: 'discovery', title: 'x'.repeat(201) },
        'title: must be at most 200 characters',
      ],
      [
        'phases-criterion-add',
        'post',
        '/criteria',
        { phase: 'discovery', title: 'x', description: 'x'.repeat(2001) },
        'description: must be at most 2000 characters',
      ],
      [
        'phases-criterion-add',
        'post',
        '/criteria',
        { phase: 'launch', title: 'x' },
        'phase: must be one of',
      ],
      [
        'phases-criterion-add',
        'post',
        '/criteria',
        { phase: 'discovery', title: 'x', expectedVersion: 'one' },
        'expectedVersion: must be a number',
      ],
      [
        'phases-criterion-set',
        'put',
        '/criteria/not%20an%20id',
        { state: 'done' },
        'must be the id of a criterion',
      ],
      [
        'phases-criterion-set',
        'put',
        '/criteria/discovery.golden-paths',
        { state: 'finished' },
        'state: must be "done", "open" or "waived"',
      ],
      [
        'phases-criterion-set',
        'put',
        '/criteria/discovery.golden-paths',
        { state: 'waived', reason: 'Later', waiverExpiresAt: 'tomorrow' },
        'waiverExpiresAt: must be an ISO 8601 date or date-time',
      ],
      [
        'phases-criterion-set',
        'put',
        '/criteria/discovery.golden-paths',
        { state: 'waived', reason: 'Later', waiverExpiresAt: '2026-11-01' },
        'waiverExpiresAt: must be in the future',
      ],
      [
        'phases-criterion-set',
        'put',
        '/criteria/discovery.golden-paths',
        { state: 'waived', reason: 'Later', waiverExpiresAt: '2028-11-01' },
        'waiverExpiresAt: must be at most 365 days ahead',
      ],
      [
        'phases-criterion-set',
        'put',
        '/criteria/discovery.golden-paths',
        { state: 'waived' },
        'reason: is required to waive',
      ],
      [
        'phases-criterion-set',
        'put',
        '/criteria/discovery.golden-paths',
        { state: 'done', waiverExpiresAt: '2027-01-01' },
        'waiverExpiresAt: is only accepted with state waived',
      ],
      [
        'phases-criterion-remove',
        'delete',
        '/criteria/own-1?expectedVersion=abc',
        undefined,
        'expectedVersion: must be a whole number',
      ],
      [
        'phases-criterion-remove',
        'delete',
        '/criteria/own-1?expectedVersion=3000000000',
        undefined,
        'expectedVersion: must be at most 2147483647',
      ],
      [
        'phases-signoff-request',
        'post',
        '/signoffs',
        { phase: 'discovery', groupRef: 'user:default/sam' },
        'groupRef: must be a group',
      ],
      [
        'phases-signoff-request',
        'post',
        '/signoffs',
        { phase: 'discovery', groupRef: 'group:default/nobody' },
        'groupRef: no group group:default/nobody in the catalog',
      ],
      [
        'phases-signoff-request',
        'post',
        '/signoffs',
        { phase: 'discovery' },
        'groupRef: is required',
      ],
      [
        'phases-signoff-decide',
        'put',
        '/signoffs',
        { ...decide, decision: 'maybe' },
        'decision: must be "approve" or "reject"',
      ],
      [
        'phases-signoff-decide',
        'put',
        '/signoffs',
        { ...decide, comment: 'x'.repeat(2001) },
        'comment: must be at most 2000 characters',
      ],
      ['phases-pioneer-set', 'put', '/pioneer', {}, 'teamRef: is required'],
      [
        'phases-pioneer-set',
        'put',
        '/pioneer',
        { teamRef: 'component:default/app-a' },
        'teamRef: must be a group',
      ],
      [
        'phases-pioneer-set',
        'put',
        '/pioneer',
        { teamRef: 'group:default/ghosts' },
        'teamRef: no group group:default/ghosts in the catalog',
      ],
      [
        'phases-target-set',
        'put',
        '/targets',
        { phase: 'discovery', date: '2027-02-30' },
        'date: must be a date YYYY-MM-DD from 2000 to 2100',
      ],
      [
        'phases-target-set',
        'put',
        '/targets',
        { phase: 'discovery', date: '1999-12-31' },
        'date: must be a date YYYY-MM-DD from 2000 to 2100',
      ],
      [
        'phases-target-set',
        'put',
        '/targets',
        { phase: 'discovery' },
        'date: is required',
      ],
      [
        'phases-cohort-add',
        'post',
        '/cohorts',
        { ...cohort, teamRefs: [] },
        'teamRefs: must list at least one team',
      ],
      [
        'phases-cohort-add',
        'post',
        '/cohorts',
        {
          ...cohort,
          teamRefs: Array.from(
            { length: 201 },
            (_, i) => `group:default/t${i}`,
          ),
        },
        'teamRefs: must list at most 200 teams',
      ],
      [
        'phases-cohort-add',
        'post',
        '/cohorts',
        {
          ...cohort,
          teamRefs: ['group:default/team-a', 'Group:default/Team-A'],
        },
        'teamRefs.1: lists group:default/team-a twice',
      ],
      [
        'phases-cohort-add',
        'post',
        '/cohorts',
        {
          ...cohort,
          teamRefs: [
            'group:default/team-a',
            'group:default/team-b',
            'group:default/ghosts',
          ],
        },
        'teamRefs.2: no group group:default/ghosts in the catalog',
      ],
      [
        'phases-cohort-add',
        'post',
        '/cohorts',
        { ...cohort, teamRefs: 'group:default/team-a' },
        'teamRefs: must be a list of group refs',
      ],
      [
        'phases-cohort-add',
        'post',
        '/cohorts',
        { ...cohort, targetDate: '31/03/2027' },
        'targetDate: must be a date',
      ],
      [
        'phases-cohort-add',
        'post',
        '/cohorts',
        { targetDate: '2027-03-31', teamRefs: ['group:default/team-a'] },
        'name: is required',
      ],
      [
        'phases-cohort-update',
        'put',
        '/cohorts/wave-1',
        cohort,
        'must be the id of a cohort',
      ],
      [
        'phases-cohort-remove',
        'delete',
        '/cohorts/cohort-1x',
        undefined,
        'must be the id of a cohort',
      ],
    ];

    // Nothing is written, so the cases share one started initiative.
    let shared: Awaited<ReturnType<typeof boot>>;
    beforeAll(async () => {
      shared = await boot(CONFIG, { shared: true });
      await shared.started();
    });
    afterAll(() => shared?.stop());

    it.each(cases)(
      '%s %s %s %j',
      async (eventId, method, path, body, message) => {
        const { lead, as, successes, failures, version } = shared;
        successes.length = 0;
        failures.length = 0;
        const client = eventId === 'phases-signoff-decide' ? as(SAM) : lead;
        const call = client[method](`${CI}${path}`);
        const res = await (body === undefined ? call : call.send(body));
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({ status: 400, message: expect.stringContaining(message) });
        expect(await version()).toBe(1);
        expect(successes).toEqual([]);
        expect(failures.map(f => f.eventId)).toEqual([eventId]);
      },
    );

    it('in queries too', async () => {
      const { lead } = await boot();
      for (const [path, message] of [
        [`${CI}?asOf=2026-11-22`, 'asOf: must not be in the future'],
        [
          `${CI}?asOf=1999-01-01`,
          'asOf: must be an ISO 8601 date or date-time from 2000 to 2100',
        ],
        [`${CI}?asOf=yesterday`, 'asOf: must be an ISO 8601 date'],
        [
          `${CI}?asOf=2026-01-01&asOf=2026-01-02`,
          'asOf: must be a single string',
        ],
        [`${CI}?as_of=2026-01-01`, 'as_of: is not an accepted field'],
        [`${CI}/history?limit=0`, 'limit: must be at least 1'],
        [`${CI}/history?limit=101`, 'limit: must be at most 100'],
        [
          `${CI}/history?cursor=zzz`,
          'cursor: is not a cursor this API returned',
        ],
        [`${CI}/report?format=pdf`, 'format: must be "markdown" or "json"'],
        [`${API}/entities/component/default/c!i`, 'path:'],
      ]) {
        const res = await lead.get(path);
        expect({
          path,
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          path,
          status: 400,
          message: expect.stringContaining(message),
        });
      }
    });
  });

  it('answers 409 naming the blockers of a blocked advance, with the state', async () => {
    const { lead, failures, started, version } = await boot();
    await started();
    const res = await lead
      .post(`${CI}/transitions`)
      .send({ to: 'integration', expectedVersion: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({
      name: 'ConflictError',
      message: expect.stringContaining('The initiative cannot advance'),
    });
    expect(res.body.blockers).toEqual([
      {
        kind: 'criterion',
        id: 'discovery.golden-paths',
        title: '"Golden paths chosen" is open',
      },
      {
        kind: 'criterion',
        id: 'discovery.outcomes',
        title: '"Technical outcomes agreed" is open',
      },
      {
        kind: 'criterion',
        id: 'discovery.pioneer-selected',
        title: '"Pioneer team selected" is not met: No pioneer team yet',
      },
      {
        kind: 'signoff',
        id: 'group:default/security',
        title: 'group:default/security has not signed off',
      },
    ]);
    expect(res.body.state).toMatchObject({ version: 1, phase: 'discovery' });
    expect(res.body.response).toEqual({ statusCode: 409 });
    expect(failures.map(f => [f.eventId, f.error.name])).toEqual([
      ['phases-transition', 'ConflictError'],
    ]);
    expect(await version()).toBe(1);
  });

  it('answers 409 with the current version to a stale write', async () => {
    const { lead, started, version } = await boot();
    await started();
    const res = await lead
      .put(`${CI}/criteria/discovery.golden-paths`)
      .send({ state: 'done', expectedVersion: 0 });
    expect(res.status).toBe(409);
    expect(res.body.currentVersion).toBe(1);
    expect(res.body.state).toMatchObject({ version: 1, started: true });
    expect(res.body.error.message).toBe(
      'The initiative has changed; its version is now 1',
    );
    const transition = await lead
      .post(`${CI}/transitions`)
      .send({ to: 'integration', expectedVersion: 7 });
    expect(transition.status).toBe(409);
    expect(transition.body.currentVersion).toBe(1);
    expect(transition.body.blockers).toBeUndefined();
    expect(await version()).toBe(1);
    // The right version goes through.
    const ok = await lead
      .put(`${CI}/criteria/discovery.golden-paths`)
      .send({ state: 'done', expectedVersion: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.state.version).toBe(2);
  });

  it('refuses to set a measured criterion by hand, and other conflicts', async () => {
    const { lead, started, version } = await boot();
    await started();
    const measured = await lead
      .put(`${CI}/criteria/discovery.pioneer-selected`)
      .send({ state: 'done' });
    expect(measured.status).toBe(409);
    expect(measured.body.error.message).toContain('measured from the catalog');
    const template = await lead.delete(`${CI}/criteria/discovery.outcomes`);
    expect(template.status).toBe(409);
    const skip = await lead
      .post(`${CI}/transitions`)
      .send({ to: 'deployment', expectedVersion: 1 });
    expect(skip.status).toBe(409);
    expect(skip.body.error.message).toContain('can advance to integration');
    const same = await lead
      .post(`${CI}/transitions`)
      .send({ to: 'discovery', expectedVersion: 1, reason: 'x' });
    expect(same.status).toBe(409);
    const twice = await lead
      .post(`${CI}/signoffs`)
      .send({ phase: 'discovery', groupRef: 'group:default/security' });
    expect(twice.status).toBe(409);
    const missing = await lead
      .put(`${CI}/criteria/own-99`)
      .send({ state: 'done' });
    expect(missing.status).toBe(404);
    expect(await version()).toBe(1);
    // Writing before the initiative has started.
    const early = await lead.put(`${QUIET}/pioneer`).send({ teamRef: null });
    expect(early.status).toBe(404);
  });

  it('runs an initiative through its phases, auditing every write', async () => {
    const { lead, as, successes, started } = await boot();
    await started();
    const own = await lead.post(`${CI}/criteria`).send({
      phase: 'discovery',
      title: 'Security review booked',
      description: 'With the AppSec team',
    });
    expect(own.status).toBe(201);
    expect(own.body.state.phases[0].criteria.at(-1)).toMatchObject({
      id: 'own-2',
      title: 'Security review booked',
      kind: 'manual',
      source: 'own',
      state: 'open',
    });
    expect(
      (await lead.put(`${CI}/criteria/own-2`).send({ state: 'done' })).status,
    ).toBe(200);
    expect(
      (await lead.delete(`${CI}/criteria/own-2?expectedVersion=3`)).status,
    ).toBe(200);
    const ticked = await lead
      .put(`${CI}/criteria/discovery.golden-paths`)
      .send({ state: 'done', reason: 'Agreed in the council' });
    expect(ticked.body.state.phases[0].criteria[0]).toMatchObject({
      state: 'done',
      changedBy: LEAD,
      changedAt: T0.toISOString(),
      reason: 'Agreed in the council',
    });
    const waived = await lead
      .put(`${CI}/criteria/discovery.outcomes`)
      .send({ state: 'waived', reason: 'Agreed next quarter' });
    expect(waived.body.state.phases[0].criteria[1]).toMatchObject({
      state: 'waived',
      reason: 'Agreed next quarter',
      waiverExpiresAt: new Date(T0.getTime() + 90 * DAY).toISOString(),
    });
    const pioneer = await lead
      .put(`${CI}/pioneer`)
      .send({ teamRef: 'Group:Team-A' });
    expect(pioneer.body.state.pioneerTeamRef).toBe('group:default/team-a');
    expect(
      (
        await lead
          .put(`${CI}/targets`)
          .send({ phase: 'integration', date: '2027-01-31' })
      ).body.state.phases[1].targetDate,
    ).toBe('2027-01-31');
    const requested = await lead
      .post(`${CI}/signoffs`)
      .send({ phase: 'integration', groupRef: 'group:default/finance' });
    expect(requested.status).toBe(201);
    expect(requested.body.state.phases[1].signoffs).toEqual([
      {
        groupRef: 'group:default/finance',
        state: 'pending',
        origin: 'requested',
        requestedBy: LEAD,
      },
    ]);
    const blocked = await lead
      .post(`${CI}/transitions`)
      .send({ to: 'integration', expectedVersion: 9 });
    expect(blocked.body.blockers.map((b: any) => b.id)).toEqual([
      'group:default/security',
    ]);
    await as(SAM).put(`${CI}/signoffs`).send({
      phase: 'discovery',
      groupRef: 'group:default/security',
      decision: 'approve',
    });
    tick(MINUTE);
    const advanced = await lead
      .post(`${CI}/transitions`)
      .send({ to: 'integration', expectedVersion: 10 });
    expect(advanced.status).toBe(200);
    expect(advanced.body.state).toMatchObject({
      phase: 'integration',
      iteration: 1,
      version: 11,
    });
    expect(advanced.body.state.phases[0]).toMatchObject({
      status: 'done',
      exitedAt: new Date(T0.getTime() + MINUTE).toISOString(),
    });
    // Stepping back needs a reason, and the sign-offs must be given again.
    const noReason = await lead
      .post(`${CI}/transitions`)
      .send({ to: 'discovery', expectedVersion: 11 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toBe(
      'reason: is required to step back',
    );
    const back = await lead.post(`${CI}/transitions`).send({
      to: 'discovery',
      expectedVersion: 11,
      reason: 'The golden paths changed',
    });
    expect(back.status).toBe(200);
    expect(back.body.state.phase).toBe('discovery');
    expect(back.body.state.phases[0].signoffs[0].state).toBe('pending');
    expect(back.body.state.phases[0].criteria[0].state).toBe('done');
    const cohort = await lead.post(`${CI}/cohorts`).send({
      name: 'Wave 1',
      targetDate: '2027-03-31',
      teamRefs: ['group:default/team-a', 'group:default/team-c'],
    });
    expect(cohort.status).toBe(201);
    expect(cohort.body.state.cohorts).toEqual([
      {
        id: 'cohort-13',
        name: 'Wave 1',
        targetDate: '2027-03-31',
        order: 1,
        teamRefs: ['group:default/team-a', 'group:default/team-c'],
        adopted: 1,
        total: 2,
      },
    ]);
    const updated = await lead.put(`${CI}/cohorts/cohort-13`).send({
      name: 'Wave one',
      targetDate: '2027-04-30',
      teamRefs: ['group:default/team-c'],
    });
    expect(updated.body.state.cohorts[0]).toMatchObject({
      name: 'Wave one',
      adopted: 0,
      total: 1,
    });
    const removed = await lead.delete(`${CI}/cohorts/cohort-13`);
    expect(removed.body.state.cohorts).toEqual([]);
    expect((await lead.delete(`${CI}/cohorts/cohort-13`)).status).toBe(404);
    expect(successes.map(s => s.eventId)).toEqual([
      'phases-criterion-add',
      'phases-criterion-set',
      'phases-criterion-remove',
      'phases-criterion-set',
      'phases-criterion-set',
      'phases-pioneer-set',
      'phases-target-set',
      'phases-signoff-request',
      'phases-signoff-decide',
      'phases-transition',
      'phases-transition',
      'phases-cohort-add',
      'phases-cohort-update',
      'phases-cohort-remove',
    ]);
    expect(successes[0]).toEqual({
      eventId: 'phases-criterion-add',
      entityRef: 'component:default/ci',
      criterionId: 'own-2',
      version: 2,
    });
    expect(successes.at(-3)).toMatchObject({ cohortId: 'cohort-13' });
  });

  it('lets exactly one of twenty concurrent advances through', async () => {
    const { lead, ready, successes, failures } = await boot();
    const state = await ready();
    successes.length = 0;
    failures.length = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        lead
          .post(`${CI}/transitions`)
          .send({ to: 'integration', expectedVersion: state.version }),
      ),
    );
    const statuses = results.map(r => r.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(409)]);
    for (const r of results.filter(x => x.status === 409)) {
      expect(r.body.currentVersion).toBe(state.version + 1);
      expect(r.body.state.phase).toBe('integration');
    }
    expect(successes).toHaveLength(1);
    expect(failures).toHaveLength(19);
    const after = await lead.get(CI);
    expect(after.body).toMatchObject({
      phase: 'integration',
      version: state.version + 1,
    });
    const history = await lead.get(`${CI}/history?limit=3`);
    expect(
      history.body.items.filter((e: any) => e.type === 'advanced'),
    ).toHaveLength(1);
  });

  it('rebuilds the state as of any past time, equal to what it showed then', async () => {
    const { lead } = await boot();
    const seen: Array<{ at: string; state: any }> = [];
    const look = async () => {
      const res = await lead.get(QUIET);
      expect(res.status).toBe(200);
      seen.push({ at: new Date().toISOString(), state: res.body });
      tick(MINUTE);
    };
    await look();
    await lead.post(`${QUIET}/start`);
    await look();
    await lead
      .put(`${QUIET}/criteria/discovery.golden-paths`)
      .send({ state: 'done' });
    await lead.put(`${QUIET}/criteria/discovery.outcomes`).send({
      state: 'waived',
      reason: 'Later',
      waiverExpiresAt: '2026-11-23',
    });
    await look();
    await lead
      .put(`${QUIET}/pioneer`)
      .send({ teamRef: 'group:default/team-c' });
    await lead.post(`${QUIET}/cohorts`).send({
      name: 'Wave 1',
      targetDate: '2027-03-31',
      teamRefs: ['group:default/team-c'],
    });
    await look();
    await lead
      .post(`${QUIET}/criteria`)
      .send({ phase: 'integration', title: 'Runbooks' });
    await lead
      .put(`${QUIET}/criteria/discovery.golden-paths`)
      .send({ state: 'open', reason: 'Reopened' });
    await look();
    // Two days on, the waiver has expired and blocks again.
    tick(2 * DAY);
    await look();
    const last = seen.at(-1)!.state;
    expect(last.phases[0].criteria[1].state).toBe('expired');
    expect(last.blockers.map((b: any) => b.title)).toContain(
      'The waiver of "Technical outcomes agreed" expired on 2026-11-23',
    );
    tick(DAY);
    for (const { at: time, state } of seen) {
      const res = await lead.get(`${QUIET}?asOf=${time}`);
      expect(res.status).toBe(200);
      const { asOf, ...rest } = res.body;
      expect(asOf).toBe(time);
      expect(rest).toEqual(state);
    }
    // A date means the end of that day.
    const byDay = await lead.get(`${QUIET}?asOf=2026-11-21`);
    expect(byDay.body.version).toBe(7);
    expect(byDay.body.phases[0].criteria[1].state).toBe('waived');
  });

  it('pages the history newest first with sealed cursors', async () => {
    const { lead, as, started } = await boot();
    expect((await lead.get(`${CI}/history`)).body).toEqual({ items: [] });
    await started();
    await lead
      .put(`${CI}/criteria/discovery.golden-paths`)
      .send({ state: 'done' });
    await lead.put(`${CI}/pioneer`).send({ teamRef: 'group:default/team-a' });
    await lead
      .post(`${CI}/criteria`)
      .send({ phase: 'discovery', title: 'Runbooks' });
    await lead.delete(`${CI}/criteria/own-4`);
    const first = await lead.get(`${CI}/history?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      {
        version: 5,
        type: 'criterion-removed',
        occurredAt: T0.toISOString(),
        actorRef: LEAD,
        summary: 'Removed the criterion “Runbooks”',
        data: { type: 'criterion-removed', id: 'own-4' },
      },
      expect.objectContaining({
        version: 4,
        summary: 'Added the Discovery criterion “Runbooks”',
      }),
    ]);
    const cursor: string = first.body.nextCursor;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await lead.get(`${CI}/history?limit=2&cursor=${cursor}`);
    expect(second.body.items.map((e: any) => e.summary)).toEqual([
      'Set the pioneer team to group:default/team-a',
      'Ticked “Golden paths chosen”',
    ]);
    const third = await lead.get(
      `${CI}/history?limit=2&cursor=${second.body.nextCursor}`,
    );
    expect(third.body.items.map((e: any) => e.version)).toEqual([1]);
    expect(third.body.nextCursor).toBeUndefined();
    // An edited cursor, or one of another initiative's history, is refused.
    const edited =
      cursor.slice(0, 10) + (cursor[10] === 'A' ? 'B' : 'A') + cursor.slice(11);
    for (const bad of [edited, cursor.slice(0, -2), `${cursor}AAAA`]) {
      const res = await lead.get(`${CI}/history?cursor=${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'cursor: is not a cursor this API returned',
      );
    }
    expect((await lead.get(`${QUIET}/history?cursor=${cursor}`)).status).toBe(
      400,
    );
    expect(
      (await as(OUTSIDER).get(`${CI}/history?cursor=${cursor}`)).status,
    ).toBe(200);
  });

  it('exports the steering report as Markdown and JSON', async () => {
    const { lead, started } = await boot();
    await started();
    await lead
      .put(`${CI}/criteria/discovery.outcomes`)
      .send({ state: 'waived', reason: 'Agreed next quarter' });
    const markdown = await lead.get(`${CI}/report`);
    expect(markdown.status).toBe(200);
    expect(markdown.headers['content-type']).toMatch(/^text\/markdown/);
    expect(markdown.headers['content-disposition']).toBe(
      'attachment; filename="component-default-ci-phases.md"',
    );
    expect(markdown.text).toContain('ci');
    expect(markdown.text).toContain('Technical outcomes agreed');
    expect(markdown.text).toContain('Agreed next quarter');
    const json = await lead.get(`${CI}/report?format=json`);
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['content-disposition']).toBe(
      'attachment; filename="component-default-ci-phases.json"',
    );
    expect(json.body).toMatchObject({
      entityRef: 'component:default/ci',
      started: true,
      phase: 'discovery',
      version: 2,
      generatedAt: T0.toISOString(),
      waivers: [
        expect.objectContaining({
          criterionId: 'discovery.outcomes',
          reason: 'Agreed next quarter',
          expired: false,
        }),
      ],
    });
    expect(json.body.history.map((e: any) => e.version)).toEqual([2, 1]);
    // Not started: a report all the same.
    const quiet = await lead.get(`${QUIET}/report?format=json`);
    expect(quiet.status).toBe(200);
    expect(quiet.body.started).toBe(false);
  });

  it('measures adoption per cohort, as far as the caller can see, with snapshots and lost teams', async () => {
    const { lead, as, started, snapshot } = await boot();
    await started();
    const added = await lead.post(`${CI}/cohorts`).send({
      name: 'Wave 1',
      targetDate: '2027-03-31',
      teamRefs: [
        'group:default/team-a',
        'group:default/team-c',
        'group:default/secret-team',
      ],
    });
    expect(added.body.state.cohorts[0]).toMatchObject({ adopted: 2, total: 3 });
    expect(added.body.state.adoption).toMatchObject({
      adoptedTeams: 3,
      cohortTeams: 3,
      cohortTeamsAdopted: 2,
    });
    const outsider = as(OUTSIDER);
    const seen = await outsider.get(CI);
    expect(seen.body.cohorts[0]).toMatchObject({
      teamRefs: ['group:default/team-a', 'group:default/team-c'],
      adopted: 1,
      total: 2,
    });
    expect(
      seen.body.adoption.teams.map((t: any) => [t.teamRef, t.state]),
    ).toEqual([
      ['group:default/team-a', 'adopted'],
      ['group:default/team-b', 'adopted'],
      ['group:default/team-c', 'not-yet'],
    ]);
    // Replacing the cohort keeps the teams the writer cannot see.
    const replaced = await outsider.put(`${CI}/cohorts/cohort-2`).send({
      name: 'Wave 1',
      targetDate: '2027-03-31',
      teamRefs: ['group:default/team-c'],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.state.cohorts[0].teamRefs).toEqual([
      'group:default/team-c',
    ]);
    expect((await lead.get(CI)).body.cohorts[0].teamRefs).toEqual([
      'group:default/team-c',
      'group:default/secret-team',
    ]);

    // The daily snapshot dates each adoption; a lost edge shows as lost.
    await snapshot();
    tick(DAY);
    const ci = ENTITIES[0];
    const relations = ci.relations!;
    ci.relations = relations.filter(
      r => r.targetRef !== 'component:default/app-a',
    );
    try {
      const now = await lead.get(CI);
      expect(now.body.adoption.curve).toEqual([
        { day: '2026-11-21', adopted: 3 },
      ]);
      const byTeam = Object.fromEntries(
        now.body.adoption.teams.map((t: any) => [t.teamRef, t]),
      );
      expect(byTeam['group:default/team-a']).toEqual({
        teamRef: 'group:default/team-a',
        state: 'lost',
        adoptedSince: T0.toISOString(),
        via: [],
      });
      expect(byTeam['group:default/team-b']).toMatchObject({
        state: 'adopted',
        adoptedSince: T0.toISOString(),
      });
      await snapshot();
      const later = await lead.get(CI);
      expect(
        later.body.adoption.teams.find(
          (t: any) => t.teamRef === 'group:default/team-a',
        ),
      ).toMatchObject({
        state: 'lost',
        lostAt: new Date(T0.getTime() + DAY).toISOString(),
      });
      // As of the first day, team-a had adopted it.
      const then = await lead.get(`${CI}?asOf=2026-11-21T13:00:00Z`);
      expect(
        then.body.adoption.teams.find(
          (t: any) => t.teamRef === 'group:default/team-a',
        ),
      ).toMatchObject({ state: 'adopted', adoptedSince: T0.toISOString() });
    } finally {
      ci.relations = relations;
    }
  });
});
