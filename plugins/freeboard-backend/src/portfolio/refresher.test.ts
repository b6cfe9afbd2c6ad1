import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject, JsonValue } from '@backstage/config';
import { FLOAT_OR_SINK_ANNOTATIONS as A } from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import { visibilityCatalog } from '../__testUtils__/portfolioBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  PORTFOLIO_REFRESH_TASK_ID,
  readPortfolioFilter,
  readPortfolioRefreshSchedule,
  refreshPortfolio,
  schedulePortfolioRefresh,
} from './refresher';
import { DatabasePortfolioStore } from './store';

jest.setTimeout(180_000);

/*
 * The portfolio refresher against a catalog the test changes between runs,
 * on SQLite and PostgreSQL: what the capability, consumer and group tables
 * hold after each run, what the thickness log gains (a row only on change),
 * paging through more than one catalog page, and the vanish guard.
 */

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

const DAY1 = new Date(Date.UTC(2026, 10, 24, 9, 0, 0));
const DAY2 = new Date(Date.UTC(2026, 10, 25, 9, 0, 0));
const DAY3 = new Date(Date.UTC(2026, 10, 26, 9, 0, 0));

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

const SINK_KEPT = {
  [A.decision]: 'sink',
  [A.baseCapability]: 'GitHub Actions',
  [A.reviewBy]: '2027-01-31',
};

/** The catalog of the first run. */
function firstCatalog(): Entity[] {
  return [
    entity('Component', 'ci', {
      title: 'CI Pipelines',
      annotations: SINK_KEPT,
      relations: [
        ['ownedBy', 'group:default/DevEx'],
        ['partOf', 'system:default/delivery'],
        ['dependencyOf', 'component:default/a-app'],
        ['dependencyOf', 'component:default/b-app'],
      ],
    }),
    entity('Component', 'clusters', {
      annotations: {
        [A.decision]: 'float',
        [A.baseCapability]: 'Amazon EKS',
        [A.replacedBy]: 'component:default/eks',
        [A.reviewBy]: '2026-12-01',
      },
      spec: { system: 'infra', owner: 'k8s' },
      relations: [
        ['ownedBy', 'group:default/k8s'],
        ['dependencyOf', 'component:default/a-app'],
      ],
    }),
    entity('Component', 'broken', {
      annotations: { [A.decision]: 'maybe', [A.reviewBy]: 'soon' },
      relations: [['ownedBy', 'group:default/platform']],
    }),
    entity('Component', 'ledger-only', {
      relations: [['ownedBy', 'group:default/team-c']],
    }),
    entity('Component', 'initiative-only'),
    entity('Component', 'bystander'),
    entity('Component', 'a-app', {
      relations: [['ownedBy', 'group:default/team-a']],
    }),
    entity('Component', 'b-app', {
      relations: [['ownedBy', 'group:default/team-b']],
    }),
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
  ];
}

describe('refreshPortfolio', () => {
  const databases = createTestDatabases();
  const knexes: Knex[] = [];
  afterAll(async () => {
    await Promise.all(knexes.map(k => k.destroy()));
  });

  async function setup(databaseId: any, entities: Entity[] = firstCatalog()) {
    const knex = await databases.init(databaseId);
    knexes.push(knex);
    await knex.migrate.latest({ directory: migrationsDir });
    const store = new DatabasePortfolioStore(knex);
    const changing = visibilityCatalog(entities);
    const logger = mockServices.logger.mock();
    const run = (at: Date, filter?: any) =>
      refreshPortfolio({
        catalog: changing.catalog,
        auth: mockServices.auth(),
        store,
        logger,
        now: () => at,
        ...(filter ? { filter } : {}),
      });
    const capabilities = async () =>
      (await knex('freeboard_capabilities').orderBy('entity_ref')).map(
        ({ refreshed_at: _at, ...row }) => ({
          ...row,
          consumer_teams: Number(row.consumer_teams),
        }),
      );
    const consumers = async () =>
      (
        await knex('freeboard_capability_consumers').orderBy([
          'entity_ref',
          'team_ref',
        ])
      ).map(r => `${r.entity_ref} <- ${r.team_ref}`);
    const groups = async () =>
      (await knex('freeboard_groups').orderBy('group_ref')).map(
        r => `${r.group_ref} -> ${r.parent_ref}`,
      );
    const log = async () =>
      (
        await knex('freeboard_capability_log').orderBy(['entity_ref', 'day'])
      ).map(r => `${r.day} ${r.entity_ref} ${r.category} ${Number(r.weight)}`);
    /** A ledger and an initiative, as the trust and phases stores leave them. */
    const seedLedgerAndInitiative = async () => {
      const [{ id }] = await knex('freeboard_refs')
        .insert({ ref: 'component:default/ledger-only' })
        .returning('id');
      const [{ id: goneId }] = await knex('freeboard_refs')
        .insert({ ref: 'component:default/gone-ledger' })
        .returning('id');
      for (const entityId of [id, goneId]) {
        await knex('trust_totals').insert({
          entity_id: entityId,
          earned_fwd: 5,
          spent_fwd: 0,
          balance_fwd: 5,
          entry_count: 1,
        });
      }
      await knex('freeboard_phase_initiatives').insert({
        entity_ref: 'component:default/initiative-only',
        version: 1,
        iteration: 1,
        phase: 'discovery',
        record: '{}',
        started_at: DAY1,
        updated_at: DAY1,
      });
    };
    return {
      knex,
      store,
      ...changing,
      run,
      logger,
      capabilities,
      consumers,
      groups,
      log,
      seedLedgerAndInitiative,
    };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('copies decisions, ledgers, initiatives, consumers and groups on the first run', async () => {
      const t = await setup(databaseId);
      await t.seedLedgerAndInitiative();
      const result = await t.run(DAY1);
      expect(result).toEqual({
        capabilities: 5,
        removed: 0,
        logged: 2,
        groups: 6,
      });
      expect(await t.capabilities()).toEqual([
        {
          entity_ref: 'component:default/broken',
          kind: 'component',
          title: 'broken',
          owner_ref: 'group:default/platform',
          system_ref: null,
          decision: null,
          base_capability: null,
          replaced_by: null,
          review_by: null,
          problems: JSON.stringify([
            'freeboard.dev/float-or-sink must be "float" or "sink", got "maybe"',
            'freeboard.dev/review-by must be a date in the form YYYY-MM-DD, got "soon"',
          ]),
          consumer_teams: 0,
        },
        {
          entity_ref: 'component:default/ci',
          kind: 'component',
          title: 'CI Pipelines',
          owner_ref: 'group:default/devex',
          system_ref: 'system:default/delivery',
          decision: 'sink',
          base_capability: 'GitHub Actions',
          replaced_by: null,
          review_by: '2027-01-31',
          problems: null,
          consumer_teams: 2,
        },
        {
          entity_ref: 'component:default/clusters',
          kind: 'component',
          title: 'clusters',
          owner_ref: 'group:default/k8s',
          // spec.system shorthand, in the entity's namespace.
          system_ref: 'system:default/infra',
          decision: 'float',
          base_capability: 'Amazon EKS',
          replaced_by: 'component:default/eks',
          review_by: '2026-12-01',
          problems: null,
          consumer_teams: 1,
        },
        {
          entity_ref: 'component:default/initiative-only',
          kind: 'component',
          title: 'initiative-only',
          owner_ref: null,
          system_ref: null,
          decision: null,
          base_capability: null,
          replaced_by: null,
          review_by: null,
          problems: null,
          consumer_teams: 0,
        },
        {
          entity_ref: 'component:default/ledger-only',
          kind: 'component',
          title: 'ledger-only',
          owner_ref: 'group:default/team-c',
          system_ref: null,
          decision: null,
          base_capability: null,
          replaced_by: null,
          review_by: null,
          problems: null,
          consumer_teams: 0,
        },
      ]);
      expect(await t.consumers()).toEqual([
        'component:default/ci <- group:default/team-a',
        'component:default/ci <- group:default/team-b',
        'component:default/clusters <- group:default/team-a',
      ]);
      expect(await t.groups()).toEqual([
        'group:default/devex -> group:default/platform',
        'group:default/infra -> group:default/platform',
        'group:default/k8s -> group:default/infra',
        'group:default/platform -> null',
        'group:default/team-a -> null',
        'group:default/team-b -> null',
      ]);
      // Only valid decisions are logged; weights are consumer teams.
      expect(await t.log()).toEqual([
        '2026-11-24 component:default/ci kept 2',
        '2026-11-24 component:default/clusters floating 1',
      ]);
    });

    it('follows changes, logs only what changed, and removes what left once', async () => {
      const t = await setup(databaseId);
      await t.run(DAY1);
      // Nothing changed: nothing logged, nothing rewritten.
      expect(await t.run(DAY1)).toMatchObject({ logged: 0, removed: 0 });
      expect(await t.run(DAY2)).toMatchObject({ logged: 0, removed: 0 });
      expect(await t.log()).toHaveLength(2);

      const next = firstCatalog().map(e => {
        if (e.metadata.name === 'ci') {
          // Sink to float, a new owner, one consumer team fewer.
          return {
            ...e,
            metadata: {
              ...e.metadata,
              annotations: {
                [A.decision]: 'float',
                [A.reviewBy]: '2027-03-01',
              },
            },
            relations: [
              { type: 'ownedBy', targetRef: 'group:default/k8s' },
              { type: 'dependencyOf', targetRef: 'component:default/a-app' },
            ],
          };
        }
        if (e.metadata.name === 'k8s') {
          // Moved under the platform group directly.
          return {
            ...e,
            relations: [
              { type: 'childOf', targetRef: 'group:default/platform' },
            ],
          };
        }
        return e;
      });
      t.set(next.filter(e => e.metadata.name !== 'clusters'));
      expect(await t.run(DAY2)).toEqual({
        capabilities: 2,
        removed: 1,
        logged: 2,
        groups: 6,
      });
      const rows = await t.capabilities();
      expect(rows.map(r => r.entity_ref)).toEqual([
        'component:default/broken',
        'component:default/ci',
      ]);
      expect(rows[1]).toMatchObject({
        owner_ref: 'group:default/k8s',
        decision: 'float',
        base_capability: null,
        review_by: '2027-03-01',
        consumer_teams: 1,
      });
      expect(await t.consumers()).toEqual([
        'component:default/ci <- group:default/team-a',
      ]);
      expect(await t.groups()).toContain(
        'group:default/k8s -> group:default/platform',
      );
      expect(await t.log()).toEqual([
        '2026-11-24 component:default/ci kept 2',
        '2026-11-25 component:default/ci floating 1',
        '2026-11-24 component:default/clusters floating 1',
        // Left the set: `none`, once.
        '2026-11-25 component:default/clusters none 0',
      ]);
      expect(await t.run(DAY3)).toMatchObject({ logged: 0, removed: 0 });
      expect(await t.log()).toHaveLength(4);

      // Invalid annotations: no decision, the problems kept, logged as none.
      t.set(
        next.map(e =>
          e.metadata.name === 'ci'
            ? {
                ...e,
                metadata: {
                  ...e.metadata,
                  annotations: { [A.decision]: 'float', [A.replacedBy]: '' },
                },
              }
            : e,
        ),
      );
      await t.run(DAY3);
      const ci = (await t.capabilities()).find(
        r => r.entity_ref === 'component:default/ci',
      );
      expect(ci).toMatchObject({
        decision: null,
        problems: JSON.stringify([
          'freeboard.dev/replaced-by must not be empty',
        ]),
      });
      expect((await t.log()).slice(0, 3)).toEqual([
        '2026-11-24 component:default/ci kept 2',
        '2026-11-25 component:default/ci floating 1',
        '2026-11-26 component:default/ci none 0',
      ]);
    });

    it('corrects today’s log row when a capability changes twice in a day', async () => {
      const t = await setup(databaseId);
      await t.run(DAY1);
      const withCi = (annotations: Record<string, string>) =>
        firstCatalog().map(e =>
          e.metadata.name === 'ci'
            ? { ...e, metadata: { ...e.metadata, annotations } }
            : e,
        );
      t.set(withCi({ [A.decision]: 'sink' }));
      await t.run(DAY2);
      expect(await t.log()).toContain(
        '2026-11-25 component:default/ci unique 2',
      );
      // Back to what the day before held: today's row goes.
      t.set(firstCatalog());
      await t.run(new Date(DAY2.getTime() + 60_000));
      expect(await t.log()).toEqual([
        '2026-11-24 component:default/ci kept 2',
        '2026-11-24 component:default/clusters floating 1',
      ]);
    });

    it('pages through more than one catalog page and batches lookups', async () => {
      const many = Array.from({ length: 1201 }, (_, i) =>
        entity('Component', `cap-${String(i).padStart(4, '0')}`, {
          annotations: { [A.decision]: 'sink' },
          relations: [['ownedBy', 'group:default/platform']],
        }),
      );
      const t = await setup(databaseId, [...many, entity('Group', 'platform')]);
      const result = await t.run(DAY1);
      expect(result.capabilities).toBe(1201);
      expect(await t.knex('freeboard_capabilities').count({ n: '*' })).toEqual([
        { n: databaseId === 'POSTGRES_15' ? '1201' : 1201 },
      ]);
      // Three pages of capabilities, one of groups: never one call per entity.
      expect(t.queryEntities).toHaveBeenCalledTimes(4);
      expect(t.getEntitiesByRefs.mock.calls.length).toBeLessThanOrEqual(5);
      expect(await t.log()).toHaveLength(1201);
      expect(new Set(t.queryEntities.mock.calls.map(c => c[0].limit))).toEqual(
        new Set([500]),
      );
    });

    it('looks up ledger and initiative entities in batches, leaving out those gone', async () => {
      const t = await setup(databaseId);
      await t.seedLedgerAndInitiative();
      await t.run(DAY1);
      const byRefsCalls = t.getEntitiesByRefs.mock.calls.filter(c =>
        c[0].entityRefs.includes('component:default/gone-ledger'),
      );
      expect(byRefsCalls).toHaveLength(1);
      expect([...byRefsCalls[0][0].entityRefs].sort()).toEqual([
        'component:default/gone-ledger',
        'component:default/initiative-only',
        'component:default/ledger-only',
      ]);
      const refs = (await t.capabilities()).map(r => r.entity_ref);
      expect(refs).not.toContain('component:default/gone-ledger');
      expect(refs).toContain('component:default/ledger-only');
    });

    it('takes the configured filter as the capability set', async () => {
      const t = await setup(databaseId);
      await t.seedLedgerAndInitiative();
      await t.run(DAY1, [{ 'metadata.name': ['ci', 'bystander'] }]);
      expect((await t.capabilities()).map(r => r.entity_ref)).toEqual([
        'component:default/bystander',
        'component:default/ci',
      ]);
    });

    it('holds back when more than half of the known capabilities vanish at once', async () => {
      const many = Array.from({ length: 12 }, (_, i) =>
        entity('Component', `cap-${i}`, {
          annotations: { [A.decision]: 'float' },
        }),
      );
      const groups = Array.from({ length: 12 }, (_, i) =>
        entity('Group', `g-${i}`),
      );
      const t = await setup(databaseId, [...many, ...groups]);
      await t.run(DAY1);
      t.set([many[0]]);
      const result = await t.run(DAY2);
      expect(result).toMatchObject({
        capabilities: 1,
        removed: 0,
        heldBack: 11,
        groupsHeldBack: 12,
        logged: 0,
      });
      expect(await t.capabilities()).toHaveLength(12);
      expect(await t.groups()).toHaveLength(12);
      expect(await t.log()).toHaveLength(12);
      expect(t.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('11 of 12 known capabilities'),
      );

      // Fewer than half gone: removed, logged as none.
      t.set(many.slice(0, 8));
      expect(await t.run(DAY3)).toMatchObject({ removed: 4, logged: 4 });
      expect(await t.capabilities()).toHaveLength(8);
      expect(await t.groups()).toHaveLength(12);
    });
  });
});

describe('portfolio refresher configuration', () => {
  it('reads the filter as an object or a list, and refuses anything else', () => {
    const read = (filter: JsonValue) =>
      readPortfolioFilter(
        mockServices.rootConfig({
          data: { freeboard: { portfolio: { filter } } },
        }),
      );
    expect(readPortfolioFilter(mockServices.rootConfig())).toBeUndefined();
    expect(
      read({ kind: 'component', 'spec.type': ['service', 'library'] }),
    ).toEqual([{ kind: 'component', 'spec.type': ['service', 'library'] }]);
    expect(read([{ kind: 'system' }, { kind: 'api' }])).toEqual([
      { kind: 'system' },
      { kind: 'api' },
    ]);
    for (const bad of [[], {}, [{ kind: 3 }], { kind: [] }, 'component']) {
      expect(() => read(bad)).toThrow(/freeboard\.portfolio\.filter/);
    }
  });

  it('schedules a global task every 10 minutes by default, configurable', async () => {
    expect(
      readPortfolioRefreshSchedule(mockServices.rootConfig()),
    ).toMatchObject({
      frequency: { minutes: 10 },
      scope: 'global',
    });
    expect(
      readPortfolioRefreshSchedule(
        mockServices.rootConfig({
          data: {
            freeboard: {
              portfolio: { refresh: { frequency: { minutes: 2 } } },
            },
          },
        }),
      ),
    ).toMatchObject({ frequency: { minutes: 2 }, scope: 'global' });
    const scheduler = mockServices.scheduler.mock();
    await schedulePortfolioRefresh({
      scheduler,
      db: {} as Knex,
      config: mockServices.rootConfig(),
      catalog: visibilityCatalog([]).catalog,
      auth: mockServices.auth(),
      store: {} as any,
      logger: mockServices.logger.mock(),
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: PORTFOLIO_REFRESH_TASK_ID,
        scope: 'global',
      }),
    );
  });
});
