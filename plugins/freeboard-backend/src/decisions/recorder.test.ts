import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FLOAT_OR_SINK_ANNOTATIONS as A } from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  DECISION_HISTORY_TASK_ID,
  readDecisionHistorySchedule,
  recordDecisionHistory,
  scheduleDecisionHistory,
} from './recorder';
import { DatabaseDecisionHistoryStore, DecisionEvent } from './store';

jest.setTimeout(120_000);

/*
 * The decision history recorder against a catalog the test changes between
 * runs, on SQLite and PostgreSQL: what each change records, and that an
 * unchanged catalog records nothing.
 */

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

const T0 = new Date(Date.UTC(2026, 10, 24, 9, 0, 0, 123));
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function component(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {},
  };
}

const REF = 'component:default/ci-pipelines';
const SINK = {
  [A.decision]: 'sink',
  [A.baseCapability]: 'GitHub Actions',
  [A.rationale]: 'Our runners are cheaper',
  [A.reviewBy]: '2027-01-31',
};

/** A catalog whose content the test replaces between runs; calls counted. */
function changingCatalog() {
  let inner = catalogServiceMock();
  const queryEntities = jest.fn((request: any) => inner.queryEntities(request));
  const getEntitiesByRefs = jest.fn((request: any) =>
    inner.getEntitiesByRefs(request),
  );
  const catalog = catalogServiceMock.mock({
    queryEntities: queryEntities as any,
    getEntitiesByRefs: getEntitiesByRefs as any,
  });
  return {
    catalog,
    queryEntities,
    getEntitiesByRefs,
    set: (entities: Entity[]) => {
      inner = catalogServiceMock({ entities });
    },
  };
}

/** Events without their ids, oldest first, as the assertions read best. */
const plain = (events: DecisionEvent[]) =>
  events.map(({ id: _id, entityRef: _ref, ...rest }) => rest).reverse();

describe('recordDecisionHistory', () => {
  const databases = createTestDatabases();
  const knexes: Knex[] = [];
  afterAll(async () => {
    await Promise.all(knexes.map(k => k.destroy()));
  });

  async function setup(databaseId: any) {
    const knex = await databases.init(databaseId);
    knexes.push(knex);
    await knex.migrate.latest({ directory: migrationsDir });
    const store = new DatabaseDecisionHistoryStore(knex);
    const changing = changingCatalog();
    const auth = mockServices.auth();
    const logger = mockServices.logger.mock();
    const run = (minutes: number) =>
      recordDecisionHistory({
        catalog: changing.catalog,
        auth,
        store,
        logger,
        now: () => at(minutes),
      });
    const history = async (ref = REF) =>
      plain(await store.listEvents(ref, { limit: 100 }));
    return { knex, store, ...changing, run, history, logger };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('records first sight, each field change, removal and return', async () => {
      const { set, run, history } = await setup(databaseId);
      set([component('ci-pipelines', SINK), component('no-decision')]);
      expect(await run(0)).toEqual({ entities: 1, changed: 1, events: 1 });
      expect(await history()).toEqual([
        {
          type: 'first-seen',
          newValue: JSON.stringify({
            decision: 'sink',
            baseCapability: 'GitHub Actions',
            rationale: 'Our runners are cheaper',
            reviewBy: '2027-01-31',
          }),
          observedAt: at(0),
        },
      ]);

      // Sink to float: two fields change, one is added, one removed.
      const { [A.rationale]: _gone, ...rest } = SINK;
      set([
        component('ci-pipelines', {
          ...rest,
          [A.decision]: 'float',
          [A.reviewBy]: '2027-06-30',
          [A.replacedBy]: 'component:default/actions-runners',
        }),
      ]);
      expect(await run(10)).toEqual({ entities: 1, changed: 1, events: 4 });
      expect((await history()).slice(1)).toEqual([
        {
          type: 'changed',
          field: 'decision',
          oldValue: 'sink',
          newValue: 'float',
          observedAt: at(10),
        },
        {
          type: 'changed',
          field: 'rationale',
          oldValue: 'Our runners are cheaper',
          observedAt: at(10),
        },
        {
          type: 'changed',
          field: 'reviewBy',
          oldValue: '2027-01-31',
          newValue: '2027-06-30',
          observedAt: at(10),
        },
        {
          type: 'changed',
          field: 'replacedBy',
          newValue: 'component:default/actions-runners',
          observedAt: at(10),
        },
      ]);

      // Nothing changed: nothing recorded.
      expect(await run(20)).toEqual({ entities: 1, changed: 0, events: 0 });
      expect(await history()).toHaveLength(5);

      // The annotations go, the entity stays.
      set([
        component('ci-pipelines', { 'backstage.io/techdocs-ref': 'dir:.' }),
      ]);
      expect(await run(30)).toEqual({ entities: 0, changed: 1, events: 1 });
      const [removed] = (await history()).slice(5);
      expect(removed).toEqual({
        type: 'removed',
        oldValue: JSON.stringify({
          decision: 'float',
          baseCapability: 'GitHub Actions',
          reviewBy: '2027-06-30',
          replacedBy: 'component:default/actions-runners',
        }),
        observedAt: at(30),
      });
      expect(await run(40)).toEqual({ entities: 0, changed: 0, events: 0 });

      // Back again: seen for the first time since.
      set([component('ci-pipelines', SINK)]);
      await run(50);
      expect((await history()).slice(6).map(e => e.type)).toEqual([
        'first-seen',
      ]);
    });

    it('records an entity gone from the catalog once', async () => {
      const { set, run, history, getEntitiesByRefs } = await setup(databaseId);
      set([
        component('ci-pipelines', SINK),
        component('kept', { [A.decision]: 'float' }),
      ]);
      await run(0);
      set([component('kept', { [A.decision]: 'float' })]);
      getEntitiesByRefs.mockClear();
      expect(await run(10)).toEqual({ entities: 1, changed: 1, events: 1 });
      expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
      expect(getEntitiesByRefs.mock.calls[0][0].entityRefs).toEqual([REF]);
      expect((await history()).map(e => e.type)).toEqual([
        'first-seen',
        'entity-gone',
      ]);
      expect((await history()).slice(-1)[0]).toMatchObject({
        oldValue: expect.stringContaining('"decision":"sink"'),
        observedAt: at(10),
      });
      expect(await run(20)).toEqual({ entities: 1, changed: 0, events: 0 });
      expect(await history('component:default/kept')).toHaveLength(1);
    });

    it('holds back a run in which most known entities vanished at once', async () => {
      const { set, run, history, logger, getEntitiesByRefs } = await setup(
        databaseId,
      );
      const many = Array.from({ length: 12 }, (_, i) =>
        component(`capability-${i}`, { [A.decision]: 'sink' }),
      );
      set([component('ci-pipelines', SINK), ...many]);
      await run(0);
      // A location dropped by mistake: 12 of 13 entities gone at once.
      set([component('ci-pipelines', SINK)]);
      getEntitiesByRefs.mockClear();
      expect(await run(10)).toEqual({
        entities: 1,
        changed: 0,
        events: 0,
        heldBack: 12,
      });
      expect(getEntitiesByRefs).not.toHaveBeenCalled();
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('12 of 13 known entities'),
      );
      expect(
        (await history('component:default/capability-0')).map(e => e.type),
      ).toEqual(['first-seen']);
      // The location is back: nothing happened, so nothing is recorded.
      set([component('ci-pipelines', SINK), ...many]);
      expect(await run(20)).toEqual({ entities: 13, changed: 0, events: 0 });
    });

    it('records a bad value once per distinct set of problems, with its field changes', async () => {
      const { set, run, history } = await setup(databaseId);
      set([component('ci-pipelines', { ...SINK, [A.reviewBy]: 'soon' })]);
      await run(0);
      const problem =
        'freeboard.dev/review-by must be a date in the form YYYY-MM-DD, got "soon"';
      expect(await history()).toEqual([
        {
          type: 'first-seen',
          newValue: expect.stringContaining('"reviewBy":"soon"'),
          observedAt: at(0),
        },
        {
          type: 'invalid',
          newValue: expect.stringContaining('"reviewBy":"soon"'),
          problems: [problem],
          observedAt: at(0),
        },
      ]);

      // Still bad, and the rationale changes: the change, not the problem again.
      set([
        component('ci-pipelines', {
          ...SINK,
          [A.reviewBy]: 'soon',
          [A.rationale]: 'Cheaper still',
        }),
      ]);
      expect(await run(10)).toEqual({ entities: 1, changed: 1, events: 1 });
      expect(await run(20)).toEqual({ entities: 1, changed: 0, events: 0 });

      // A different problem set is recorded, with the field change.
      set([
        component('ci-pipelines', {
          ...SINK,
          [A.decision]: 'maybe',
          [A.reviewBy]: 'soon',
          [A.rationale]: 'Cheaper still',
        }),
      ]);
      await run(30);
      const latest = (await history()).slice(3);
      expect(latest).toEqual([
        {
          type: 'changed',
          field: 'decision',
          oldValue: 'sink',
          newValue: 'maybe',
          observedAt: at(30),
        },
        {
          type: 'invalid',
          newValue: expect.any(String),
          problems: [
            'freeboard.dev/float-or-sink must be "float" or "sink", got "maybe"',
            problem,
          ].sort(),
          observedAt: at(30),
        },
      ]);

      // Fixed, then broken the same way again: recorded again.
      set([component('ci-pipelines', SINK)]);
      await run(40);
      set([component('ci-pipelines', { ...SINK, [A.reviewBy]: 'soon' })]);
      await run(50);
      expect((await history()).slice(5).map(e => e.type)).toEqual([
        'changed',
        'changed',
        'changed',
        'changed',
        'invalid',
      ]);

      // Annotations without the decision are recorded too, as invalid.
      set([
        component('ci-pipelines', SINK),
        component('stray', { [A.rationale]: 'forgot the decision' }),
      ]);
      await run(60);
      expect(
        (await history('component:default/stray')).map(e => e.type),
      ).toEqual(['first-seen', 'invalid']);
    });

    it('records a bad edit the processor reported while the catalog keeps the last valid version', async () => {
      const { set, run, history } = await setup(databaseId);
      set([component('ci-pipelines', SINK)]);
      await run(0);
      // As the catalog answers after a processor's input error: the old,
      // valid annotations, and the report in the status.
      const problem =
        'freeboard.dev/review-by must be a date in the form YYYY-MM-DD, got "next quarter"';
      const reported: AlphaEntity = {
        ...component('ci-pipelines', SINK),
        status: {
          items: [
            {
              type: 'backstage.io/catalog-processing',
              level: 'error',
              message: `InputError: ${problem}`,
              error: { name: 'InputError', message: problem },
            },
            {
              type: 'backstage.io/catalog-processing',
              level: 'error',
              message: 'NotFoundError: an unrelated processor failed',
              error: { name: 'NotFoundError', message: 'unrelated' },
            },
          ],
        },
      };
      set([reported]);
      expect(await run(10)).toEqual({ entities: 1, changed: 1, events: 1 });
      expect((await history()).slice(1)).toEqual([
        {
          type: 'invalid',
          newValue: expect.stringContaining('"decision":"sink"'),
          problems: [problem],
          observedAt: at(10),
        },
      ]);
      // Reported again on the next run: not recorded twice.
      expect(await run(20)).toEqual({ entities: 1, changed: 0, events: 0 });
      // Fixed: the state forgets the problem without a new event.
      set([component('ci-pipelines', SINK)]);
      expect(await run(30)).toEqual({ entities: 1, changed: 1, events: 0 });
      expect(await history()).toHaveLength(2);
    });

    it('pages through more than one catalog page, never one request per entity', async () => {
      const { set, run, queryEntities, getEntitiesByRefs, knex } = await setup(
        databaseId,
      );
      const names = Array.from(
        { length: 1200 },
        (_, i) => `cap-${String(i).padStart(4, '0')}`,
      );
      const annotated = (decision: (i: number) => string) =>
        names.map((name, i) =>
          component(name, { [A.decision]: decision(i), [A.rationale]: name }),
        );
      set([...annotated(() => 'sink'), component('plain')]);
      expect(await run(0)).toEqual({
        entities: 1200,
        changed: 1200,
        events: 1200,
      });
      expect(queryEntities).toHaveBeenCalledTimes(3);
      for (const [request] of queryEntities.mock.calls) {
        expect(request.limit).toBe(500);
        expect(request.fields).toEqual([
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
          'status.items',
        ]);
      }
      expect(queryEntities.mock.calls[0][0].filter).toHaveLength(5);
      expect(getEntitiesByRefs).not.toHaveBeenCalled();

      // 1 % floats, and 600 entities leave the catalog.
      queryEntities.mockClear();
      set(annotated(i => (i % 100 === 0 ? 'float' : 'sink')).slice(0, 600));
      expect(await run(10)).toEqual({
        entities: 600,
        changed: 606,
        events: 606,
      });
      expect(queryEntities).toHaveBeenCalledTimes(2);
      // The 600 leftovers are checked in two batches.
      expect(getEntitiesByRefs).toHaveBeenCalledTimes(2);
      const counts = await knex('freeboard_decision_events')
        .select('type')
        .count({ n: '*' })
        .groupBy('type')
        .orderBy('type');
      expect(
        Object.fromEntries(counts.map((r: any) => [r.type, Number(r.n)])),
      ).toEqual({ changed: 6, 'entity-gone': 600, 'first-seen': 1200 });
      const [{ n }] = await knex('freeboard_decision_state').count({ n: '*' });
      expect(Number(n)).toBe(600);

      expect(await run(20)).toEqual({ entities: 600, changed: 0, events: 0 });
    });

    it('keys histories by the lower-case ref the routes look up', async () => {
      const { set, run, history } = await setup(databaseId);
      set([component('CI-Pipelines', SINK)]);
      await run(0);
      expect(await run(10)).toEqual({ entities: 1, changed: 0, events: 0 });
      expect((await history(REF)).map(e => e.type)).toEqual(['first-seen']);
    });

    it('records values PostgreSQL text cannot hold', async () => {
      const { set, run, history } = await setup(databaseId);
      set([component('ci-pipelines', SINK)]);
      await run(0);
      set([component('ci-pipelines', { ...SINK, [A.rationale]: 'a\u0000b' })]);
      expect(await run(10)).toEqual({ entities: 1, changed: 1, events: 1 });
      expect((await history())[1]).toMatchObject({
        field: 'rationale',
        newValue: 'a\uFFFDb',
      });
      expect(await run(20)).toEqual({ entities: 1, changed: 0, events: 0 });
    });

    it('lists events newest first, paged by id', async () => {
      const { set, run, store } = await setup(databaseId);
      for (let i = 0; i < 5; i += 1) {
        set([component('ci-pipelines', { ...SINK, [A.rationale]: `r${i}` })]);
        await run(i);
      }
      const first = await store.listEvents(REF, { limit: 2 });
      expect(first.map(e => e.newValue)).toEqual(['r4', 'r3']);
      const next = await store.listEvents(REF, {
        limit: 10,
        beforeId: first[1].id,
      });
      expect(next.map(e => e.type)).toEqual([
        'changed',
        'changed',
        'first-seen',
      ]);
      expect(
        await store.listEvents('component:default/other', { limit: 10 }),
      ).toEqual([]);
    });
  });
});

describe('scheduleDecisionHistory', () => {
  it('runs once across replicas, every 10 minutes unless configured', async () => {
    const scheduler = mockServices.scheduler.mock();
    const deps = {
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      store: {} as any,
      logger: mockServices.logger.mock(),
    };
    await scheduleDecisionHistory({
      ...deps,
      db: {} as Knex,
      scheduler,
      config: mockServices.rootConfig(),
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: DECISION_HISTORY_TASK_ID,
        scope: 'global',
        frequency: { minutes: 10 },
        timeout: { minutes: 10 },
      }),
    );
    expect(
      readDecisionHistorySchedule(
        mockServices.rootConfig({
          data: {
            freeboard: {
              decisions: { history: { frequency: { cron: '0 * * * *' } } },
            },
          },
        }),
      ),
    ).toMatchObject({ frequency: { cron: '0 * * * *' }, scope: 'global' });
  });
});
