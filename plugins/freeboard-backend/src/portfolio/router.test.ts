import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader, JsonObject } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  FLOAT_OR_SINK_ANNOTATIONS as A,
  PortfolioPage,
  PortfolioRow,
  PortfolioSummary,
  decisionReviewOf,
} from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import request from 'supertest';
import { LEAD, OUTSIDER } from '../__testUtils__/phasesBackend';
import { startPortfolioBackend } from '../__testUtils__/portfolioBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { readPhasesConfig } from '../phases/config';
import { decideStart } from '../phases/domain/commands';
import { createDatabasePhaseStores } from '../phases/store/DatabasePhaseStore';
import { createDatabaseTrustStores } from '../trust/store/DatabaseTrustStore';
import { DAY_MS } from '../trust/store/decay';

/*
 * The portfolio routes over HTTP, on SQLite and PostgreSQL, against a
 * catalog refreshed by the scheduled task and ledgers, initiatives and
 * adoption snapshots written by their own stores: each filter, each sort in
 * both orders, paging, rollups through two levels of groups, what a user
 * whose catalog hides a capability sees (nothing of it, anywhere), the CSV
 * export and hostile input.
 */

jest.setTimeout(240_000);

const databases = createTestDatabases();
const API = '/api/freeboard/portfolio';

const REF = {
  ci: 'component:default/ci',
  clusters: 'component:default/clusters',
  secrets: 'component:default/secrets',
  broken: 'component:default/broken',
  ledgerOnly: 'component:default/ledger-only',
  initiativeOnly: 'component:default/initiative-only',
  hidden: 'component:default/hidden',
};

function entity(
  kind: string,
  name: string,
  options: {
    title?: string;
    annotations?: Record<string, string>;
    spec?: JsonObject;
    relations?: Array<[string, string]>;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      ...(options.title ? { title: options.title } : {}),
      ...(options.annotations ? { annotations: options.annotations } : {}),
    },
    spec: options.spec ?? {},
    relations: (options.relations ?? []).map(([type, targetRef]) => ({
      type,
      targetRef,
    })),
  };
}

const owned = (group: string): [string, string] => [
  'ownedBy',
  `group:default/${group}`,
];

const ENTITIES: Entity[] = [
  entity('Group', 'platform'),
  entity('Group', 'infra', {
    relations: [['childOf', 'group:default/platform']],
  }),
  entity('Group', 'k8s', { relations: [['childOf', 'group:default/infra']] }),
  entity('Group', 'devex', {
    relations: [['childOf', 'group:default/platform']],
  }),
  entity('Group', 'team-a'),
  entity('Group', 'team-b'),
  entity('Group', 'team-c'),
  entity('Group', 'secret-team'),
  entity('Component', 'ci', {
    title: 'CI Pipelines',
    annotations: {
      [A.decision]: 'sink',
      [A.baseCapability]: 'GitHub Actions',
      [A.reviewBy]: '2020-01-10',
    },
    relations: [
      owned('devex'),
      ['partOf', 'system:default/delivery'],
      ['dependencyOf', 'component:default/a-app'],
      ['dependencyOf', 'component:default/b-app'],
    ],
  }),
  entity('Component', 'clusters', {
    title: 'Kubernetes Clusters',
    annotations: {
      [A.decision]: 'float',
      [A.replacedBy]: 'Amazon EKS',
      [A.reviewBy]: '2020-06-01',
    },
    spec: { system: 'infra' },
    relations: [owned('k8s'), ['dependencyOf', 'component:default/a-app']],
  }),
  entity('Component', 'secrets', {
    title: '=SUM(1,2)',
    annotations: { [A.decision]: 'sink', [A.reviewBy]: '2099-01-01' },
    relations: [owned('infra')],
  }),
  entity('Component', 'broken', {
    title: 'Broken "thing"\nline two',
    annotations: { [A.decision]: 'maybe' },
    relations: [owned('platform')],
  }),
  entity('Component', 'ledger-only', {
    title: '-5 credits',
    relations: [owned('team-c')],
  }),
  entity('Component', 'initiative-only', {
    title: 'Initiative Only',
    relations: [owned('k8s')],
  }),
  entity('Component', 'hidden', {
    title: 'Hidden Thing',
    annotations: { [A.decision]: 'float', [A.reviewBy]: '2019-01-01' },
    relations: [owned('k8s')],
  }),
  entity('Component', 'a-app', { relations: [owned('team-a')] }),
  entity('Component', 'b-app', { relations: [owned('team-b')] }),
  entity('Component', 'bystander', { relations: [owned('platform')] }),
];

const HIDDEN = {
  [OUTSIDER]: [REF.hidden, 'group:default/secret-team'],
};

const ALL_LEAD = [
  REF.hidden,
  REF.ci,
  REF.clusters,
  REF.initiativeOnly,
  REF.secrets,
  REF.ledgerOnly,
  REF.broken,
];

/** Writes ledgers, initiatives and adoption snapshots through their own stores. */
async function seed(knex: Knex, now: Date) {
  const trust = await createDatabaseTrustStores({
    client: knex,
    halfLifeDays: 180,
  });
  const entry = (
    entityRef: string,
    direction: 'earn' | 'spend',
    amount: number,
    options: { consumerRef?: string; occurredAt?: Date } = {},
  ) =>
    trust.ledger.appendEntry({
      entityRef,
      direction,
      category: direction === 'earn' ? 'pain-point-removed' : 'migration',
      amount,
      title: `${direction} ${amount}`,
      occurredAt: options.occurredAt ?? now,
      recordedBy: LEAD,
      source: 'manual',
      ...(options.consumerRef ? { consumerRef: options.consumerRef } : {}),
    });
  await entry(REF.ci, 'earn', 30);
  await entry(REF.ci, 'spend', 8, { consumerRef: 'group:default/team-b' });
  await entry(REF.clusters, 'spend', 5, {
    consumerRef: 'group:default/team-a',
  });
  await entry(REF.broken, 'earn', 60);
  await entry(REF.ledgerOnly, 'earn', 10, {
    occurredAt: new Date(now.getTime() - 20 * DAY_MS),
  });
  await entry(REF.ledgerOnly, 'earn', 2);
  await entry(REF.hidden, 'spend', 30, { consumerRef: 'group:default/team-b' });
  await entry(REF.hidden, 'spend', 10, {
    consumerRef: 'group:default/secret-team',
  });

  const { phases, adoption } = createDatabasePhaseStores({ client: knex });
  const start = decideStart(readPhasesConfig(new ConfigReader({})));
  if (start.type !== 'started') throw new Error('Unexpected start');
  const at = now.toISOString();
  const event = (data: any) => ({ occurredAt: at, actorRef: LEAD, data });
  for (const ref of [REF.ci, REF.initiativeOnly, REF.hidden]) {
    await phases.start(ref, { occurredAt: at, actorRef: LEAD, data: start });
  }
  await phases.append(REF.ci, undefined, () => [
    event({
      type: 'advanced',
      from: 'discovery',
      to: 'integration',
      iteration: 1,
    }),
    event({
      type: 'criterion-set',
      id: 'integration.infrastructure-built',
      state: 'done',
    }),
  ]);
  await phases.append(REF.initiativeOnly, undefined, () => [
    {
      ...event({
        type: 'criterion-set',
        id: 'discovery.technical-outcomes',
        state: 'waived',
      }),
      reason: 'agreed elsewhere',
    },
  ]);
  await phases.append(REF.hidden, undefined, () => [
    event({
      type: 'advanced',
      from: 'discovery',
      to: 'integration',
      iteration: 1,
    }),
    event({
      type: 'advanced',
      from: 'integration',
      to: 'deployment',
      iteration: 1,
    }),
  ]);
  const team = (name: string) => `group:default/${name}`;
  await adoption.recordSnapshot(
    REF.ci,
    [team('a')],
    new Date('2026-01-01T12:00:00Z'),
  );
  await adoption.recordSnapshot(
    REF.ci,
    [team('a'), team('b')],
    new Date('2026-02-01T12:00:00Z'),
  );
  await adoption.recordSnapshot(
    REF.hidden,
    ['a', 'b', 'c', 'd'].map(team),
    new Date('2026-01-01T12:00:00Z'),
  );
}

const refs = (page: PortfolioPage) => page.items.map(i => i.entityRef);

describe.each(databases.eachSupportedId())(
  'portfolio routes on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startPortfolioBackend>>;
    const now = new Date();

    const get = (path: string, user = LEAD) =>
      backend.as(user).get(`${API}${path}`);
    const page = async (query = '', user = LEAD): Promise<PortfolioPage> => {
      const res = await get(query ? `?${query}` : '', user);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      return res.body;
    };

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      backend = await startPortfolioBackend({
        knex,
        entities: ENTITIES,
        hidden: HIDDEN,
      });
      await seed(knex, now);
      await backend.refresh();
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('answers 401 without a token', async () => {
      for (const path of [
        '',
        '/export.csv',
        '/summary',
        '/owners/group/default/platform',
      ]) {
        const res = await request(backend.server)
          .get(`${API}${path}`)
          .set('authorization', mockCredentials.none.header());
        expect({ path, status: res.status }).toEqual({ path, status: 401 });
      }
    });

    it('lists every capability, most attention first, with its figures', async () => {
      const body = await page();
      expect(refs(body)).toEqual(ALL_LEAD);
      expect(body).toMatchObject({ total: 7, offset: 0, limit: 50 });
      expect(body.totals).toEqual({
        capabilities: 7,
        balance: expect.any(Number),
        overdue: 3,
        byLevel: { overdrawn: 2, thin: 2, healthy: 2, strong: 1 },
        byDecision: { float: 2, sink: 2, none: 2, invalid: 1 },
        byPhase: {
          discovery: 1,
          integration: 1,
          deployment: 1,
          adoption: 0,
          none: 4,
        },
      });
      const ledgerOnlyBalance = 10 * Math.pow(2, -20 / 180) + 2;
      expect(body.totals.balance).toBeCloseTo(
        22 - 5 + 60 + ledgerOnlyBalance - 40,
        3,
      );

      const ci = body.items.find(i => i.entityRef === REF.ci)!;
      expect(ci).toEqual({
        entityRef: REF.ci,
        title: 'CI Pipelines',
        ownerRef: 'group:default/devex',
        systemRef: 'system:default/delivery',
        trust: {
          balance: expect.any(Number),
          level: 'healthy',
          entryCount: 2,
          trend: expect.any(Array),
        },
        phase: { phase: 'integration', criteriaDone: 1, criteriaTotal: 2 },
        decision: {
          decision: 'sink',
          baseCapability: 'GitHub Actions',
          reviewBy: '2020-01-10',
          review: decisionReviewOf('2020-01-10', now),
        },
        consumerTeams: 2,
        adoptedTeams: 2,
      });
      expect(ci.trust.balance).toBeCloseTo(22, 3);
      expect(ci.decision!.review!.overdueDays).toBeGreaterThan(2000);

      const broken = body.items.find(i => i.entityRef === REF.broken)!;
      expect(broken.decision).toBeUndefined();
      expect(broken.decisionProblems).toEqual([
        'freeboard.dev/float-or-sink must be "float" or "sink", got "maybe"',
      ]);
      const initiative = body.items.find(
        i => i.entityRef === REF.initiativeOnly,
      )!;
      // Six Discovery criteria; one waived counts as done.
      expect(initiative.phase).toEqual({
        phase: 'discovery',
        criteriaDone: 1,
        criteriaTotal: 6,
      });
      expect(initiative.trust).toEqual({
        balance: 0,
        level: 'thin',
        entryCount: 0,
        trend: [0, 0, 0, 0, 0, 0, 0, 0],
      });
      // An initiative nobody has adopted yet counts no teams.
      expect(initiative.adoptedTeams).toBe(0);
    });

    it('gives each row its balance at the end of each of the last 8 weeks', async () => {
      const body = await page(`q=${encodeURIComponent('-5 credits')}`);
      const [row] = body.items as PortfolioRow[];
      expect(row.entityRef).toBe(REF.ledgerOnly);
      const { trend } = row.trust;
      expect(trend).toHaveLength(8);
      // The entry of 20 days ago counts from the week that includes it.
      expect(trend.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
      expect(trend[5]).toBeGreaterThan(9.5);
      expect(trend[5]).toBeLessThan(10);
      expect(trend[6]).toBeGreaterThan(trend[5] - 0.5);
      expect(trend[6]).toBeLessThan(trend[5]);
      expect(trend[7]).toBeCloseTo(row.trust.balance, 5);
    });

    it.each([
      [
        'owner=group:default/platform',
        [
          REF.hidden,
          REF.ci,
          REF.clusters,
          REF.initiativeOnly,
          REF.secrets,
          REF.broken,
        ],
      ],
      // Two levels down: infra's child k8s owns clusters, initiative-only and hidden.
      [
        'owner=group:default/infra',
        [REF.hidden, REF.clusters, REF.initiativeOnly, REF.secrets],
      ],
      [
        'owner=Group:Default/K8s',
        [REF.hidden, REF.clusters, REF.initiativeOnly],
      ],
      ['owner=group:default/devex', [REF.ci]],
      ['owner=group:default/team-a', []],
      ['system=system:default/infra', [REF.clusters]],
      ['system=system:default/delivery', [REF.ci]],
      ['decision=float', [REF.hidden, REF.clusters]],
      ['decision=sink', [REF.ci, REF.secrets]],
      ['decision=none', [REF.initiativeOnly, REF.ledgerOnly]],
      ['decision=invalid', [REF.broken]],
      ['level=overdrawn', [REF.hidden, REF.clusters]],
      ['level=thin', [REF.initiativeOnly, REF.secrets]],
      ['level=healthy', [REF.ci, REF.ledgerOnly]],
      ['level=strong', [REF.broken]],
      ['phase=discovery', [REF.initiativeOnly]],
      ['phase=integration', [REF.ci]],
      ['phase=deployment', [REF.hidden]],
      ['phase=adoption', []],
      ['phase=none', [REF.clusters, REF.secrets, REF.ledgerOnly, REF.broken]],
      ['overdue=true', [REF.hidden, REF.ci, REF.clusters]],
      [
        'overdue=false',
        [REF.initiativeOnly, REF.secrets, REF.ledgerOnly, REF.broken],
      ],
      ['q=KUBERNETES', [REF.clusters]],
      ['q=devex', [REF.ci]],
      ['q=delivery', [REF.ci]],
      ['q=component%3Adefault%2Fsec', [REF.secrets]],
      ['q=%20%20', ALL_LEAD],
      [
        'decision=float&overdue=true&owner=group:default/k8s',
        [REF.hidden, REF.clusters],
      ],
    ])('filters by %s', async (query, expected) => {
      const body = await page(query);
      expect(refs(body)).toEqual(expected);
      expect(body.total).toBe(expected.length);
      expect(body.totals.capabilities).toBe(expected.length);
    });

    it.each([
      ['attention', 'asc', ALL_LEAD],
      [
        'attention',
        'desc',
        [
          REF.broken,
          REF.ledgerOnly,
          REF.initiativeOnly,
          REF.secrets,
          REF.clusters,
          REF.ci,
          REF.hidden,
        ],
      ],
      [
        'title',
        'asc',
        [
          REF.ledgerOnly,
          REF.secrets,
          REF.broken,
          REF.ci,
          REF.hidden,
          REF.initiativeOnly,
          REF.clusters,
        ],
      ],
      [
        'title',
        'desc',
        [
          REF.clusters,
          REF.initiativeOnly,
          REF.hidden,
          REF.ci,
          REF.broken,
          REF.secrets,
          REF.ledgerOnly,
        ],
      ],
      [
        'owner',
        'asc',
        [
          REF.ci,
          REF.secrets,
          REF.clusters,
          REF.hidden,
          REF.initiativeOnly,
          REF.broken,
          REF.ledgerOnly,
        ],
      ],
      [
        'owner',
        'desc',
        [
          REF.ledgerOnly,
          REF.broken,
          REF.clusters,
          REF.hidden,
          REF.initiativeOnly,
          REF.secrets,
          REF.ci,
        ],
      ],
      [
        'balance',
        'asc',
        [
          REF.hidden,
          REF.clusters,
          REF.initiativeOnly,
          REF.secrets,
          REF.ledgerOnly,
          REF.ci,
          REF.broken,
        ],
      ],
      [
        'balance',
        'desc',
        [
          REF.broken,
          REF.ci,
          REF.ledgerOnly,
          REF.initiativeOnly,
          REF.secrets,
          REF.clusters,
          REF.hidden,
        ],
      ],
      // No phase last in either order.
      [
        'phase',
        'asc',
        [
          REF.initiativeOnly,
          REF.ci,
          REF.hidden,
          REF.broken,
          REF.clusters,
          REF.ledgerOnly,
          REF.secrets,
        ],
      ],
      [
        'phase',
        'desc',
        [
          REF.hidden,
          REF.ci,
          REF.initiativeOnly,
          REF.broken,
          REF.clusters,
          REF.ledgerOnly,
          REF.secrets,
        ],
      ],
      [
        'reviewBy',
        'asc',
        [
          REF.hidden,
          REF.ci,
          REF.clusters,
          REF.secrets,
          REF.broken,
          REF.initiativeOnly,
          REF.ledgerOnly,
        ],
      ],
      [
        'reviewBy',
        'desc',
        [
          REF.secrets,
          REF.clusters,
          REF.ci,
          REF.hidden,
          REF.broken,
          REF.initiativeOnly,
          REF.ledgerOnly,
        ],
      ],
      [
        'consumers',
        'asc',
        [
          REF.broken,
          REF.hidden,
          REF.initiativeOnly,
          REF.ledgerOnly,
          REF.secrets,
          REF.clusters,
          REF.ci,
        ],
      ],
      [
        'consumers',
        'desc',
        [
          REF.ci,
          REF.clusters,
          REF.broken,
          REF.hidden,
          REF.initiativeOnly,
          REF.ledgerOnly,
          REF.secrets,
        ],
      ],
      [
        'adoption',
        'asc',
        [
          REF.initiativeOnly,
          REF.ci,
          REF.hidden,
          REF.broken,
          REF.clusters,
          REF.ledgerOnly,
          REF.secrets,
        ],
      ],
      [
        'adoption',
        'desc',
        [
          REF.hidden,
          REF.ci,
          REF.initiativeOnly,
          REF.broken,
          REF.clusters,
          REF.ledgerOnly,
          REF.secrets,
        ],
      ],
    ])('sorts by %s %s', async (sort, order, expected) => {
      const body = await page(`sort=${sort}&order=${order}`);
      expect(refs(body)).toEqual(expected);
    });

    it('sorts rows that are no initiative last', async () => {
      const body = await page('sort=adoption&order=desc');
      expect(body.items.map(i => i.adoptedTeams)).toEqual([
        4,
        2,
        0,
        ...Array(4).fill(undefined),
      ]);
    });

    it('pages with offset and limit, totals the same on every page', async () => {
      const full = await page('sort=balance');
      const seen: string[] = [];
      for (let offset = 0; offset < 8; offset += 2) {
        const body = await page(`sort=balance&limit=2&offset=${offset}`);
        expect(body).toMatchObject({ total: 7, offset, limit: 2 });
        // Balances fade by the millisecond: the same up to the last digit.
        expect(body.totals).toEqual({
          ...full.totals,
          balance: expect.any(Number),
        });
        expect(body.totals.balance).toBeCloseTo(full.totals.balance, 4);
        expect(body.items.length).toBe(Math.min(2, 7 - offset));
        seen.push(...refs(body));
      }
      expect(seen).toEqual(refs(full));
      const beyond = await page('offset=1000000&limit=200');
      expect(beyond).toMatchObject({ items: [], total: 7, limit: 200 });
    });

    it('exports every matching row as CSV, quoted and safe for spreadsheets', async () => {
      const res = await get('/export.csv?sort=title');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="freeboard-portfolio.csv"',
      );
      const text: string = res.text;
      expect(text.endsWith('\r\n')).toBe(true);
      const lines = text.slice(0, -2).split('\r\n');
      expect(lines[0]).toBe(
        'entity_ref,title,owner,system,balance,level,trend_8w_change,phase,criteria_done,criteria_total,decision,review_by,overdue_days,consumer_teams,adopted_teams,decision_problems',
      );
      const byRef = (ref: string) => lines.find(l => l.startsWith(`${ref},`))!;
      // A formula is neutralised, and quoted for its comma.
      expect(byRef(REF.secrets)).toBe(
        `${REF.secrets},"'=SUM(1,2)",group:default/infra,,0,thin,0,,,,sink,2099-01-01,,0,,`,
      );
      // Text that starts with a minus is neutralised; a negative number is not.
      expect(byRef(REF.ledgerOnly)).toMatch(
        /^component:default\/ledger-only,'-5 credits,group:default\/team-c,,11\.\d+,healthy,11\.\d+,,,,none,,,0,,$/,
      );
      expect(byRef(REF.clusters)).toMatch(
        /^component:default\/clusters,Kubernetes Clusters,group:default\/k8s,system:default\/infra,-(4\.99\d*|5),overdrawn,-(4\.99\d*|5),,,,float,2020-06-01,\d+,1,,$/,
      );
      const ciOverdue = decisionReviewOf('2020-01-10', new Date())!.overdueDays;
      expect(byRef(REF.ci)).toMatch(
        new RegExp(
          `^component:default/ci,CI Pipelines,group:default/devex,system:default/delivery,2[12](\\.\\d+)?,healthy,2[12](\\.\\d+)?,integration,1,2,sink,2020-01-10,${ciOverdue},2,2,$`,
        ),
      );
      // Quotes doubled, the line break kept inside the quoted field.
      expect(text).toContain(
        `${REF.broken},"Broken ""thing""\nline two",group:default/platform,,`,
      );
      expect(text).toContain(
        ',invalid,,,0,,"freeboard.dev/float-or-sink must be ""float"" or ""sink"", got ""maybe"""\r\n',
      );
      // Sorted by title, as the page is; a line break inside a quoted field
      // is a bare LF, so records split on CRLF.
      expect(lines).toHaveLength(1 + 7);
      const order = lines
        .slice(1)
        .filter(l => l.startsWith('component:'))
        .map(l => l.split(',')[0]);
      expect(order).toEqual(refs(await page('sort=title')));

      const filtered = await get('/export.csv?decision=float&order=desc');
      expect(
        filtered.text
          .split('\r\n')
          .slice(1, -1)
          .map(l => l.split(',')[0]),
      ).toEqual([REF.clusters, REF.hidden]);
    });

    it('summarises the panels: overdue reviews, overdrawn teams, phases and groups', async () => {
      const res = await get('/summary');
      expect(res.status).toBe(200);
      const summary: PortfolioSummary = res.body;
      expect(summary.totals.capabilities).toBe(7);
      expect(summary.overdueReviews).toEqual([
        {
          entityRef: REF.hidden,
          title: 'Hidden Thing',
          ownerRef: 'group:default/k8s',
          decision: 'float',
          reviewBy: '2019-01-01',
          overdueDays: decisionReviewOf('2019-01-01', now)!.overdueDays,
        },
        expect.objectContaining({ entityRef: REF.ci, decision: 'sink' }),
        expect.objectContaining({ entityRef: REF.clusters, decision: 'float' }),
      ]);
      expect(
        summary.overdrawnTeams.map(t => [
          t.teamRef,
          Math.round(t.balance),
          t.capabilities.map(c => [c.entityRef, Math.round(c.balance)]),
        ]),
      ).toEqual([
        [
          'group:default/team-b',
          -38,
          [
            [REF.hidden, -30],
            [REF.ci, -8],
          ],
        ],
        ['group:default/secret-team', -10, [[REF.hidden, -10]]],
        ['group:default/team-a', -5, [[REF.clusters, -5]]],
      ]);
      const phases = Object.fromEntries(summary.phases.map(p => [p.phase, p]));
      expect(summary.phases.map(p => p.phase)).toEqual([
        'discovery',
        'integration',
        'deployment',
        'adoption',
      ]);
      expect(phases.integration).toEqual({
        phase: 'integration',
        initiatives: 1,
        blocked: 1,
        blockers: [
          { blocker: '"Components connected" is open', initiatives: 1 },
        ],
      });
      expect(phases.discovery).toMatchObject({ initiatives: 1, blocked: 1 });
      expect(phases.discovery.blockers).toHaveLength(5);
      expect(phases.discovery.blockers.map(b => b.blocker)).toContain(
        '"Pioneer team selected" is not met',
      );
      expect(phases.deployment).toMatchObject({ initiatives: 1, blocked: 1 });
      expect(phases.adoption).toEqual({
        phase: 'adoption',
        initiatives: 0,
        blocked: 0,
        blockers: [],
      });
      const groups = Object.fromEntries(
        summary.groups.map(g => [g.groupRef, g]),
      );
      expect(summary.groups.map(g => g.groupRef)).toEqual([
        'group:default/devex',
        'group:default/infra',
        'group:default/k8s',
        'group:default/platform',
        'group:default/team-c',
      ]);
      // The grandparent counts its grandchild's capabilities.
      expect(groups['group:default/platform']).toMatchObject({
        capabilities: 6,
        weakestLevel: 'overdrawn',
        overdue: 3,
        floating: 2,
      });
      expect(groups['group:default/platform'].parentRef).toBeUndefined();
      expect(groups['group:default/platform'].balance).toBeCloseTo(37, 3);
      expect(groups['group:default/infra']).toMatchObject({
        parentRef: 'group:default/platform',
        capabilities: 4,
        overdue: 2,
        floating: 2,
      });
      expect(groups['group:default/k8s']).toMatchObject({
        parentRef: 'group:default/infra',
        capabilities: 3,
      });
      expect(groups['group:default/k8s'].balance).toBeCloseTo(-45, 3);
      expect(groups['group:default/devex']).toMatchObject({
        capabilities: 1,
        weakestLevel: 'healthy',
        overdue: 1,
        floating: 0,
      });
    });

    it('rolls up what a group and its descendants own, weakest first', async () => {
      const res = await get('/owners/group/default/platform');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        groupRef: 'group:default/platform',
        capabilities: 6,
        weakestLevel: 'overdrawn',
        overdue: 3,
        floating: 2,
      });
      expect(res.body.items.map((i: any) => i.entityRef)).toEqual([
        REF.hidden,
        REF.clusters,
        REF.initiativeOnly,
        REF.secrets,
        REF.ci,
        REF.broken,
      ]);
      expect(res.body.items[0]).toEqual({
        entityRef: REF.hidden,
        title: 'Hidden Thing',
        ownerRef: 'group:default/k8s',
        balance: expect.any(Number),
        level: 'overdrawn',
        entryCount: 2,
        decision: 'float',
        overdueDays: decisionReviewOf('2019-01-01', now)!.overdueDays,
      });
      const k8s = await get('/owners/Group/Default/K8s');
      expect(k8s.body).toMatchObject({
        groupRef: 'group:default/k8s',
        parentRef: 'group:default/infra',
        capabilities: 3,
      });
      const empty = await get('/owners/group/default/secret-team');
      expect(empty.body).toEqual({
        groupRef: 'group:default/secret-team',
        capabilities: 0,
        balance: 0,
        overdue: 0,
        floating: 0,
        items: [],
      });
      expect((await get('/owners/group/default/nobody')).status).toBe(404);
    });

    describe('for a user whose catalog hides a capability', () => {
      it('leaves it out of rows, totals and every filter', async () => {
        const body = await page('', OUTSIDER);
        expect(refs(body)).toEqual(ALL_LEAD.filter(r => r !== REF.hidden));
        expect(body.total).toBe(6);
        expect(body.totals).toMatchObject({
          capabilities: 6,
          overdue: 2,
          byLevel: { overdrawn: 1, thin: 2, healthy: 2, strong: 1 },
          byDecision: { float: 1, sink: 2, none: 2, invalid: 1 },
          byPhase: { deployment: 0, none: 4 },
        });
        expect(body.totals.balance).toBeCloseTo(
          (await page('')).totals.balance + 40,
          3,
        );
        for (const query of [
          'decision=float',
          'phase=deployment',
          'q=hidden',
          'owner=group:default/k8s',
          'sort=adoption',
        ]) {
          const filtered = await page(query, OUTSIDER);
          expect({
            query,
            hidden: refs(filtered).includes(REF.hidden),
          }).toEqual({
            query,
            hidden: false,
          });
        }
        expect((await page('phase=deployment', OUTSIDER)).total).toBe(0);
      });

      it('leaves it out of the CSV', async () => {
        const res = await get('/export.csv', OUTSIDER);
        expect(res.status).toBe(200);
        expect(res.text).not.toContain('hidden');
        expect(res.text.slice(0, -2).split('\r\n')).toHaveLength(1 + 6);
      });

      it('leaves it and hidden teams out of every panel', async () => {
        const summary: PortfolioSummary = (await get('/summary', OUTSIDER))
          .body;
        const text = JSON.stringify(summary);
        expect(text).not.toContain('hidden');
        expect(text).not.toContain('secret-team');
        expect(summary.totals.capabilities).toBe(6);
        expect(summary.overdueReviews.map(r => r.entityRef)).toEqual([
          REF.ci,
          REF.clusters,
        ]);
        expect(
          summary.overdrawnTeams.map(t => [t.teamRef, Math.round(t.balance)]),
        ).toEqual([
          ['group:default/team-b', -8],
          ['group:default/team-a', -5],
        ]);
        expect(
          summary.phases.find(p => p.phase === 'deployment'),
        ).toMatchObject({ initiatives: 0, blocked: 0, blockers: [] });
        const groups = Object.fromEntries(
          summary.groups.map(g => [g.groupRef, g.capabilities]),
        );
        expect(groups).toEqual({
          'group:default/devex': 1,
          'group:default/infra': 3,
          'group:default/k8s': 2,
          'group:default/platform': 5,
          'group:default/team-c': 1,
        });
      });

      it('leaves it out of owner rollups, and hides a group it cannot see', async () => {
        const res = await get('/owners/group/default/k8s', OUTSIDER);
        expect(res.status).toBe(200);
        expect(res.body.items.map((i: any) => i.entityRef)).toEqual([
          REF.clusters,
          REF.initiativeOnly,
        ]);
        expect(res.body).toMatchObject({
          capabilities: 2,
          floating: 1,
          overdue: 1,
        });
        const platform = await get('/owners/group/default/platform', OUTSIDER);
        expect(platform.body.capabilities).toBe(5);
        const secret = await get('/owners/group/default/secret-team', OUTSIDER);
        expect(secret.status).toBe(404);
      });
    });

    it.each([
      ['?limit=1e400', 'limit'],
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?limit=5.5', 'limit'],
      ['?limit[]=5', 'limit'],
      ['?limit=5&limit=6', 'limit'],
      ['?offset=-1', 'offset'],
      ['?offset=1000001', 'offset'],
      ['?offset=99999999999999999999', 'offset'],
      ['?sort=__proto__', 'sort'],
      ['?sort=constructor', 'sort'],
      ['?order=up', 'order'],
      ['?q=%00', 'q'],
      ['?q=a%1Fb', 'q'],
      ['?q=a&q=b', 'q'],
      [`?q=${'x'.repeat(10_000)}`, 'q'],
      ['?q[a]=b', 'q'],
      ['?owner=not%20a%20ref', 'owner'],
      ['?owner=group:default/a%00b', 'owner'],
      [`?owner=group:default/${'a'.repeat(300)}`, 'owner'],
      ['?system=a&system=b', 'system'],
      ['?decision=maybe', 'decision'],
      ['?level=awesome', 'level'],
      ['?phase=launch', 'phase'],
      ['?overdue=yes', 'overdue'],
      ['?overdue=true&overdue=false', 'overdue'],
      ['?unknown=1', 'unknown'],
      ['/export.csv?limit=5', 'limit'],
      ['/export.csv?q=%00', 'q'],
      ['/summary?x=1', 'x'],
      ['/owners/group/default/platform?x=1', 'x'],
      ['/owners/gr%00up/default/platform', 'path'],
      ['/owners/group/default/a%20b', 'path'],
    ])('refuses %s with a 400 naming %s', async (path, field) => {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.message).toContain(`${field}:`);
    });

    it('never answers 5xx to odd input', async () => {
      for (const path of [
        '?__proto__[x]=1',
        '?constructor[prototype][x]=1',
        '?q=%F0%9F%92%A9',
        '?q=%27%3B%20drop%20table%20freeboard_capabilities%3B--',
        '?q=%25',
        '?q=_',
        '?owner=group:default/nobody',
        '?limit=200&offset=0&sort=adoption&order=desc',
        `/owners/group/default/${'a'.repeat(70)}`,
      ]) {
        const res = await get(path);
        expect({ path, server: res.status >= 500 }).toEqual({
          path,
          server: false,
        });
      }
      expect(refs(await page('q=%25'))).toEqual([]);
    });
  },
);
