import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { BuiltinKindsEntityProcessor } from '@backstage/plugin-catalog-backend';
import { parseEntityYaml } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import freeboardPlugin from '@freeboard/backstage-plugin-backend';
import {
  DecisionHistoryPage,
  FLOAT_OR_SINK_ANNOTATIONS,
  parseFloatOrSinkAnnotations,
} from '@freeboard/backstage-plugin-common';
import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import {
  DecisionValues,
  PORTFOLIO_REFRESH_TASK_ID,
  SAMPLE_REFS,
  THICKNESS_LOG_DAYS,
  createDemoDecisionsSeedModule,
  decisionHistoryOf,
  demoCapabilities,
  seedDemoDecisions,
  thicknessLogOf,
  thicknessStateOf,
} from './decisionsSeed';

jest.setTimeout(120_000);

/*
 * The demo's decision history and thickness log against the sample catalog
 * (examples/*.yaml, with the relations the catalog derives from them): the
 * seeded state is what the catalog says today, so the real recorder finds
 * nothing to record, and seeding is idempotent and leaves recorded history
 * alone. On SQLite, and on PostgreSQL when the test database is configured.
 */

const ROOT = resolve(__dirname, '../../..');
const SAMPLE_FILES = [
  'examples/org.yaml',
  'examples/platform.yaml',
  'examples/consumers.yaml',
  'catalog-info.yaml',
];
const DAY_MS = 24 * 60 * 60 * 1000;
const RECORDER_TASK_ID = 'freeboard-decisions-history';
const FIELDS = [
  'decision',
  'baseCapability',
  'rationale',
  'reviewBy',
  'replacedBy',
] as const;

/** The sample catalog as the catalog would serve it, relations included. */
async function sampleCatalog(): Promise<Entity[]> {
  const entities: Entity[] = [];
  for (const file of SAMPLE_FILES) {
    const location = { type: 'file', target: resolve(ROOT, file) };
    for (const result of parseEntityYaml(
      readFileSync(location.target),
      location,
    )) {
      if (result.type !== 'entity') {
        throw new Error(`${file}: ${JSON.stringify(result)}`);
      }
      const { entity } = result;
      entities.push({
        ...entity,
        metadata: { ...entity.metadata, namespace: 'default' },
        relations: [],
      });
    }
  }
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const processor = new BuiltinKindsEntityProcessor();
  const relations: Array<{
    source: CompoundEntityRef;
    type: string;
    target: CompoundEntityRef;
  }> = [];
  for (const entity of entities) {
    await processor.postProcessEntity(
      entity,
      { type: 'file', target: 'sample' },
      result => {
        if (result.type === 'relation') relations.push(result.relation);
      },
    );
  }
  for (const { source, type, target } of relations) {
    byRef.get(stringifyEntityRef(source))?.relations?.push({
      type,
      targetRef: stringifyEntityRef(target),
    });
  }
  return entities;
}

/** Refs an entity's relations of `type` point to. */
function targets(
  byRef: Map<string, Entity>,
  entityRef: string,
  type: string,
): string[] {
  return (byRef.get(entityRef)?.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef);
}

/**
 * Owner groups of the components that depend on `entityRef` or consume an
 * API it provides: the portfolio's consumer teams (the adoption rule of
 * plugins/freeboard-backend/src/phases/adoption.ts).
 */
function consumerTeams(byRef: Map<string, Entity>, entityRef: string) {
  const consumers = [
    ...targets(byRef, entityRef, 'dependencyOf'),
    ...targets(byRef, entityRef, 'providesApi').flatMap(api =>
      targets(byRef, api, 'apiConsumedBy'),
    ),
  ];
  return new Set(consumers.flatMap(c => targets(byRef, c, 'ownedBy')));
}

/** The decision annotations of an entity, as the recorder reads them. */
function valuesOf(entity: Entity): DecisionValues | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const values: DecisionValues = {};
  for (const field of FIELDS) {
    const value = annotations[FLOAT_OR_SINK_ANNOTATIONS[field]];
    if (value !== undefined) values[field] = value;
  }
  return Object.keys(values).length ? values : undefined;
}

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

describe('the demo decision history', () => {
  const now = Date.now();
  let entities: Entity[];
  let byRef: Map<string, Entity>;
  beforeAll(async () => {
    entities = await sampleCatalog();
    byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  });

  it('ends on what the sample catalog says today, for every annotated entity', () => {
    const annotated = entities.filter(valuesOf);
    const capabilities = demoCapabilities(now);
    expect(capabilities.map(c => c.entityRef).sort()).toEqual(
      annotated.map(e => stringifyEntityRef(e)).sort(),
    );
    for (const capability of capabilities) {
      const today = capability.decisions[capability.decisions.length - 1];
      expect(
        JSON.parse(decisionHistoryOf(capability, now).state.annotations),
      ).toEqual(valuesOf(byRef.get(capability.entityRef)!));
      expect(today.values).toEqual(valuesOf(byRef.get(capability.entityRef)!));
    }
    // Valid today: an entity whose annotations the catalog processor
    // refuses would never be ingested on a fresh demo database.
    for (const entity of annotated) {
      expect(
        parseFloatOrSinkAnnotations(entity.metadata.annotations).problems,
      ).toEqual([]);
    }
  });

  it("ends on today's consumer teams, as the portfolio counts them", () => {
    const weights = Object.fromEntries(
      demoCapabilities(now).map(c => [
        c.entityRef.replace('component:default/', ''),
        c.consumerTeams[c.consumerTeams.length - 1].teams,
      ]),
    );
    const counted = Object.fromEntries(
      demoCapabilities(now).map(c => [
        c.entityRef.replace('component:default/', ''),
        consumerTeams(byRef, c.entityRef).size,
      ]),
    );
    expect(weights).toEqual(counted);
    expect(counted).toEqual({
      'ci-pipelines': 6,
      'kubernetes-runtime': 6,
      'observability-stack': 5,
      'secrets-manager': 4,
      'golden-path-templates': 3,
      'artifact-registry': 3,
      'feature-flags': 3,
      'preview-environments': 2,
    });
  });

  it('has the artifact registry half-way through its retirement', () => {
    const old = 'component:default/artifact-registry';
    const replacement = 'component:default/managed-artifact-registry';
    expect(valuesOf(byRef.get(old)!)?.replacedBy).toBe(replacement);
    const remaining = consumerTeams(byRef, old);
    const moved = [...consumerTeams(byRef, replacement)].filter(
      t => !remaining.has(t),
    );
    expect([...remaining].sort()).toEqual([
      'group:default/growth',
      'group:default/logistics',
      'group:default/mobile-apps',
    ]);
    expect(moved.sort()).toEqual([
      'group:default/checkout',
      'group:default/identity',
      'group:default/payments',
    ]);
  });

  it('rolls capabilities up through two levels of groups', () => {
    const owner = (name: string) =>
      targets(byRef, `component:default/${name}`, 'ownedBy')[0];
    const parent = (group: string) => targets(byRef, group, 'childOf')[0];
    expect(owner('kubernetes-runtime')).toBe('group:default/platform-team');
    expect(owner('artifact-registry')).toBe('group:default/platform-runtime');
    expect(owner('ci-pipelines')).toBe('group:default/platform-dx');
    expect(parent('group:default/platform-runtime')).toBe(
      'group:default/platform-team',
    );
    expect(parent('group:default/platform-dx')).toBe(
      'group:default/platform-team',
    );
    expect(parent('group:default/platform-team')).toBe(
      'group:default/engineering',
    );
    // The guest owns every capability through one of its groups.
    const guest = targets(byRef, 'user:default/guest', 'memberOf');
    for (const capability of demoCapabilities(now)) {
      expect(guest).toContain(
        targets(byRef, capability.entityRef, 'ownedBy')[0],
      );
    }
    for (const sample of SAMPLE_REFS) expect(byRef.has(sample)).toBe(true);
  });

  it('changes Kubernetes runtime from sink to float six weeks ago', () => {
    const kubernetes = demoCapabilities(now).find(
      c => c.entityRef === 'component:default/kubernetes-runtime',
    )!;
    const { events } = decisionHistoryOf(kubernetes, now);
    const day = (daysAgo: number) => isoDay(now - daysAgo * DAY_MS);
    expect(
      events.map(e => [
        isoDay(e.observed_at.getTime()),
        e.type,
        e.field,
        e.field === 'rationale' ? '…' : e.old_value,
        e.field === 'rationale' ? '…' : e.new_value,
      ]),
    ).toEqual([
      [
        day(150),
        'first-seen',
        null,
        null,
        JSON.stringify({
          decision: 'sink',
          baseCapability: 'Managed Kubernetes (EKS)',
          rationale:
            'Our clusters carry network policies, cost reports and upgrade tooling that managed Kubernetes did not offer when we built them.',
          reviewBy: JSON.parse(events[0].new_value!).reviewBy,
        }),
      ],
      [day(42), 'changed', 'decision', 'sink', 'float'],
      [day(42), 'changed', 'rationale', '…', '…'],
      [
        day(42),
        'changed',
        'reviewBy',
        JSON.parse(events[0].new_value!).reviewBy,
        '2027-01-15',
      ],
      [day(42), 'changed', 'replacedBy', null, 'Amazon EKS'],
    ]);
    expect(thicknessLogOf(kubernetes, now)).toEqual([
      {
        entity_ref: kubernetes.entityRef,
        day: day(THICKNESS_LOG_DAYS),
        category: 'kept',
        weight: 5,
      },
      {
        entity_ref: kubernetes.entityRef,
        day: day(100),
        category: 'kept',
        weight: 6,
      },
      {
        entity_ref: kubernetes.entityRef,
        day: day(42),
        category: 'floating',
        weight: 6,
      },
    ]);
  });

  it('left the observability review overdue, its date set months ago', () => {
    const observability = demoCapabilities(now).find(
      c => c.entityRef === 'component:default/observability-stack',
    )!;
    const { events } = decisionHistoryOf(observability, now);
    const moves = events.filter(e => e.field === 'reviewBy');
    expect(moves).toHaveLength(1);
    expect(moves[0].new_value).toBe('2026-09-30');
    expect(now - moves[0].observed_at.getTime()).toBeGreaterThan(60 * DAY_MS);
    expect(isoDay(now) > '2026-09-30').toBe(true);
  });

  it('records the feature flags’ invalid review-by and its repair', () => {
    const flags = demoCapabilities(now).find(
      c => c.entityRef === 'component:default/feature-flags',
    )!;
    const { events, state } = decisionHistoryOf(flags, now);
    expect(events.map(e => [e.type, e.field, e.new_value])).toEqual([
      ['first-seen', null, expect.any(String)],
      ['changed', 'reviewBy', 'after the sale'],
      ['invalid', null, expect.stringContaining('after the sale')],
      ['changed', 'reviewBy', '2027-04-30'],
    ]);
    expect(JSON.parse(events[2].problems!)).toEqual([
      'freeboard.dev/review-by must be a date in the form YYYY-MM-DD, got "after the sale"',
    ]);
    expect(state.problems).toBeNull();
    expect(thicknessLogOf(flags, now).map(r => [r.category, r.weight])).toEqual(
      [
        ['kept', 3],
        ['none', 0],
        ['kept', 3],
      ],
    );
  });

  it('counts a base capability of "None: ..." as unique, like the meter', () => {
    expect(
      thicknessStateOf({ decision: 'sink', baseCapability: 'None: ours' }),
    ).toBe('unique');
    expect(
      thicknessStateOf({ decision: 'sink', baseCapability: 'Nonesuch' }),
    ).toBe('kept');
    expect(thicknessStateOf({ decision: 'float' })).toBe('floating');
    expect(thicknessStateOf({ decision: 'sink', reviewBy: 'soon' })).toBe(
      'none',
    );
  });
});

describe('seeding the demo decision history', () => {
  const ids: TestDatabaseId[] = ['SQLITE_3'];
  if (process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
    ids.push('POSTGRES_15');
  }
  const databases = TestDatabases.create({ ids, disableDocker: true });
  const migrationsDir = resolvePackagePath(
    '@freeboard/backstage-plugin-backend',
    'migrations',
  );
  let entities: Entity[];
  let byRef: Map<string, Entity>;
  beforeAll(async () => {
    entities = await sampleCatalog();
    byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  });

  type Knex = Awaited<ReturnType<typeof databases.init>>;

  /** Every row the seed writes, in a stable order. */
  async function dump(knex: Knex) {
    return {
      events: await knex('freeboard_decision_events').orderBy('id'),
      state: await knex('freeboard_decision_state').orderBy('entity_ref'),
      log: await knex('freeboard_capability_log').orderBy([
        'entity_ref',
        'day',
      ]),
    };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('seeds once after start-up, and the recorder then finds nothing new', async () => {
      const knex = await databases.init(databaseId);
      const scheduler = mockServices.scheduler();
      // The seed's own trigger of the portfolio refresh, awaited below.
      const triggered: Array<Promise<void>> = [];
      const trigger = scheduler.triggerTask.bind(scheduler);
      jest.spyOn(scheduler, 'triggerTask').mockImplementation(id => {
        const run = trigger(id);
        triggered.push(run.catch(() => undefined));
        return run;
      });
      const backend = await startTestBackend({
        features: [
          freeboardPlugin,
          createDemoDecisionsSeedModule({ settleMs: 0 }),
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          (scheduler as any).factory({ skipTaskRunOnStartup: true }),
        ],
      });
      try {
        for (let i = 0; i < 200 && triggered.length === 0; i++) {
          await new Promise(r => setTimeout(r, 50));
        }
        expect(scheduler.triggerTask).toHaveBeenCalledWith(
          PORTFOLIO_REFRESH_TASK_ID,
        );
        await Promise.all(triggered);
        const seeded = await dump(knex);
        const capabilities = demoCapabilities(Date.now());
        expect(seeded.state).toHaveLength(capabilities.length);
        expect(seeded.events.length).toBeGreaterThan(capabilities.length);
        // The refresh the seed started filled the portfolio and agrees with
        // the seeded thickness log: it logged nothing for today.
        const scheduled = (await scheduler.getScheduledTasks()).map(t => t.id);
        expect(scheduled).toEqual(
          expect.arrayContaining([PORTFOLIO_REFRESH_TASK_ID, RECORDER_TASK_ID]),
        );
        expect(seeded.log.filter(r => r.day === isoDay(Date.now()))).toEqual(
          [],
        );
        const portfolio = await knex('freeboard_capabilities')
          .whereIn(
            'entity_ref',
            capabilities.map(c => c.entityRef),
          )
          .orderBy('entity_ref')
          .select('entity_ref', 'owner_ref', 'consumer_teams');
        expect(
          portfolio.map(r => [
            r.entity_ref,
            r.owner_ref,
            Number(r.consumer_teams),
          ]),
        ).toEqual(
          capabilities
            .map(c => [
              c.entityRef,
              targets(byRef, c.entityRef, 'ownedBy')[0],
              c.consumerTeams[c.consumerTeams.length - 1].teams,
            ])
            .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        );

        // The history as the decision route serves it, newest first.
        const { port } = backend.server.address() as AddressInfo;
        const response = await fetch(
          `http://localhost:${port}/api/freeboard/decisions/entities/component/default/kubernetes-runtime/history?limit=50`,
          {
            headers: {
              authorization: mockCredentials.user.header('user:default/guest'),
            },
          },
        );
        expect(response.status).toBe(200);
        const page: DecisionHistoryPage = await response.json();
        expect(page.items.map(i => [i.type, i.field ?? null])).toEqual([
          ['changed', 'replacedBy'],
          ['changed', 'reviewBy'],
          ['changed', 'rationale'],
          ['changed', 'decision'],
          ['first-seen', null],
        ]);
        expect(page.items[3]).toMatchObject({
          oldValue: 'sink',
          newValue: 'float',
          observedAt: expect.stringMatching(
            new RegExp(`^${isoDay(Date.now() - 42 * DAY_MS)}T`),
          ),
        });

        // The recorder's first run over the sample catalog records nothing.
        expect(scheduled).toContain(RECORDER_TASK_ID);
        await scheduler.triggerTask(RECORDER_TASK_ID);
        expect(await dump(knex)).toEqual(seeded);
        // (It does run: told that Kubernetes runtime still sinks, it records
        // the float again.)
        const kubernetes = 'component:default/kubernetes-runtime';
        await knex('freeboard_decision_state')
          .where({ entity_ref: kubernetes })
          .update({ annotations: '{"decision":"sink"}' });
        await scheduler.triggerTask(RECORDER_TASK_ID);
        const rerun = await dump(knex);
        expect(
          rerun.events
            .slice(seeded.events.length)
            .map(e => [e.entity_ref, e.type, e.field, e.old_value]),
        ).toEqual([
          [kubernetes, 'changed', 'decision', 'sink'],
          [kubernetes, 'changed', 'baseCapability', null],
          [kubernetes, 'changed', 'rationale', null],
          [kubernetes, 'changed', 'reviewBy', null],
          [kubernetes, 'changed', 'replacedBy', null],
        ]);
        await knex('freeboard_decision_events')
          .where('id', '>', seeded.events[seeded.events.length - 1].id)
          .delete();
        await knex('freeboard_decision_state')
          .where({ entity_ref: kubernetes })
          .update(seeded.state.find(r => r.entity_ref === kubernetes)!);
        expect(await dump(knex)).toEqual(seeded);

        // Seeding again writes nothing.
        expect(await seedDemoDecisions(knex)).toEqual({
          histories: 0,
          events: 0,
          logs: 0,
          logRows: 0,
        });
        expect(await dump(knex)).toEqual(seeded);

        // A replica starting later (or a restart) finds the history and
        // leaves the refresher's schedule alone.
        const laterScheduler = mockServices.scheduler();
        jest.spyOn(laterScheduler, 'triggerTask');
        const later = await startTestBackend({
          features: [
            freeboardPlugin,
            createDemoDecisionsSeedModule({ settleMs: 0 }),
            catalogServiceMock.factory({ entities }),
            mockServices.database.factory({ knex }),
            (laterScheduler as any).factory({ skipTaskRunOnStartup: true }),
          ],
        });
        try {
          await new Promise(r => setTimeout(r, 2000));
          expect(laterScheduler.triggerTask).not.toHaveBeenCalled();
          expect(await dump(knex)).toEqual(seeded);
        } finally {
          await later.stop();
        }
      } finally {
        await backend.stop();
        await knex.destroy();
      }
    });

    it('leaves recorded history alone', async () => {
      const knex = await databases.init(databaseId);
      try {
        await knex.migrate.latest({ directory: migrationsDir });
        const now = Date.now();
        const recordedAt = new Date(now - 60_000);
        const ci = 'component:default/ci-pipelines';
        const kubernetes = 'component:default/kubernetes-runtime';
        const observability = 'component:default/observability-stack';
        const today = isoDay(now);
        const threeDaysAgo = isoDay(now - 3 * DAY_MS);
        // The recorder saw CI pipelines first, today.
        await knex('freeboard_decision_events').insert({
          entity_ref: ci,
          type: 'first-seen',
          new_value: '{"decision":"sink"}',
          observed_at: recordedAt,
        });
        await knex('freeboard_decision_state').insert({
          entity_ref: ci,
          annotations: '{"decision":"sink"}',
          observed_at: recordedAt,
        });
        // Kubernetes runtime has a log of its own; the refresher logged the
        // observability stack today, before the seed.
        await knex('freeboard_capability_log').insert([
          {
            entity_ref: kubernetes,
            day: threeDaysAgo,
            category: 'kept',
            weight: 2,
          },
          {
            entity_ref: observability,
            day: today,
            category: 'floating',
            weight: 5,
          },
        ]);

        const result = await seedDemoDecisions(knex, now);
        const capabilities = demoCapabilities(now);
        expect(result).toMatchObject({
          histories: capabilities.length - 1,
          logs: capabilities.length - 1,
        });
        const { events, state, log } = await dump(knex);
        const ciEvents = events.filter(e => e.entity_ref === ci);
        expect(ciEvents.map(e => [e.type, e.new_value])).toEqual([
          ['first-seen', '{"decision":"sink"}'],
        ]);
        expect(state.find(s => s.entity_ref === ci)?.annotations).toBe(
          '{"decision":"sink"}',
        );
        expect(
          log
            .filter(r => r.entity_ref === kubernetes)
            .map(r => [r.day, r.category, Number(r.weight)]),
        ).toEqual([[threeDaysAgo, 'kept', 2]]);
        const observabilityLog = log.filter(
          r => r.entity_ref === observability,
        );
        expect(observabilityLog.map(r => r.day)).toEqual([
          ...thicknessLogOf(
            capabilities.find(c => c.entityRef === observability)!,
            now,
          ).map(r => r.day),
          today,
        ]);
        // Other capabilities got their seeded history.
        expect(
          events.filter(
            e => e.entity_ref === 'component:default/artifact-registry',
          ).length,
        ).toBeGreaterThan(1);
        expect(await seedDemoDecisions(knex, now)).toMatchObject({
          histories: 0,
          logs: 0,
        });
      } finally {
        await knex.destroy();
      }
    });
  });
});
