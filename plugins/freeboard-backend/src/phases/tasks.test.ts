import { TestDatabaseId } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migratedClient } from '../shared/database';
import { TASK_RUNS_TABLE } from '../shared/taskRuns';
import { AdoptionReader } from './adoption';
import { CONFIG, DAY_MS, LEAD, T0 } from './store/__testUtils__/initiatives';
import { createDatabasePhaseStores } from './store/DatabasePhaseStore';
import { AdoptionStore, PhaseStore } from './store/PhaseStore';
import { decideStart } from './domain/commands';
import { PhaseEventData } from './domain/events';
import {
  ADOPTION_SNAPSHOT_TASK_ID,
  schedulePhaseTasks,
  snapshotAdoption,
} from './tasks';

jest.setTimeout(60_000);

const PLATFORM = 'component:default/platform';
const GONE = 'component:default/gone';
const PAYMENTS = 'group:default/payments';
const SEARCH = 'group:default/search';

function component(name: string, relations: Array<[string, string]>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: {},
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

function group(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: {},
  };
}

/** The catalog of a day: which teams' components depend on the platform. */
function catalogWith(dependents: Array<[string, string]>): Entity[] {
  return [
    component('platform', [
      ...dependents.map(([name]): [string, string] => [
        'dependencyOf',
        `component:default/${name}`,
      ]),
    ]),
    ...dependents.map(([name, team]) =>
      component(name, [
        ['dependsOn', PLATFORM],
        ['ownedBy', team],
      ]),
    ),
    group('payments'),
    group('search'),
  ];
}

/** A catalog whose content the test replaces from one day to the next. */
function changingCatalog() {
  let inner = catalogServiceMock();
  const catalog = catalogServiceMock.mock({
    getEntitiesByRefs: jest.fn((request: any) =>
      inner.getEntitiesByRefs(request),
    ) as any,
  });
  return {
    catalog,
    set: (entities: Entity[]) => {
      inner = catalogServiceMock({ entities });
    },
  };
}

function deps(
  stores: { phases: PhaseStore; adoption: AdoptionStore },
  reader: AdoptionReader,
  now: Date,
) {
  return {
    ...stores,
    reader,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    now: () => now,
  };
}

describe('snapshotAdoption on the real store', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'records adopted since, lost and adopted again across three days on %p',
    async (id: TestDatabaseId) => {
      const knex = await migratedClient(
        mockServices.database({ knex: await databases.init(id) }),
      );
      const stores = createDatabasePhaseStores({ client: knex });
      for (const ref of [PLATFORM, GONE]) {
        await stores.phases.start(ref, {
          occurredAt: T0.toISOString(),
          actorRef: LEAD,
          data: decideStart(CONFIG) as Extract<
            PhaseEventData,
            { type: 'started' }
          >,
        });
      }
      // GONE was adopted before it left the catalog.
      await stores.adoption.recordSnapshot(GONE, [PAYMENTS], T0);
      const { catalog, set } = changingCatalog();
      const reader = new AdoptionReader(catalog);
      const day = (n: number) => new Date(T0.getTime() + n * DAY_MS);

      set(
        catalogWith([
          ['checkout', PAYMENTS],
          ['indexer', SEARCH],
        ]),
      );
      expect(await snapshotAdoption(deps(stores, reader, day(1)))).toEqual({
        initiatives: 1,
        adoptedTeams: 2,
      });

      // The indexer's dependency disappears.
      set(catalogWith([['checkout', PAYMENTS]]));
      await snapshotAdoption(deps(stores, reader, day(2)));
      expect(await stores.adoption.getAdoption(PLATFORM)).toEqual([
        { teamRef: PAYMENTS, adoptedSince: day(1) },
        { teamRef: SEARCH, adoptedSince: day(1), lostAt: day(2) },
      ]);

      // And comes back: a new run of adoption starts.
      set(
        catalogWith([
          ['checkout', PAYMENTS],
          ['indexer-v2', SEARCH],
        ]),
      );
      const logger = mockServices.logger.mock();
      expect(
        await snapshotAdoption({
          ...deps(stores, reader, day(3)),
          logger,
        }),
      ).toEqual({ initiatives: 1, adoptedTeams: 2 });
      expect(await stores.adoption.getAdoption(PLATFORM)).toEqual([
        { teamRef: PAYMENTS, adoptedSince: day(1) },
        { teamRef: SEARCH, adoptedSince: day(3) },
      ]);
      expect(await stores.adoption.getCurve(PLATFORM)).toEqual([
        { day: day(1).toISOString().slice(0, 10), adopted: 2 },
        { day: day(2).toISOString().slice(0, 10), adopted: 1 },
        { day: day(3).toISOString().slice(0, 10), adopted: 2 },
      ]);
      // An initiative missing from the catalog keeps what was recorded,
      // rather than losing every team.
      expect(await stores.adoption.getAdoption(GONE)).toEqual([
        { teamRef: PAYMENTS, adoptedSince: T0 },
      ]);
      expect(logger.warn).toHaveBeenCalledWith(
        'Skipped the adoption snapshot of 1 initiatives the catalog did not return',
      );
      await knex.destroy();
    },
  );
});

/** Initiatives `initiative-0000`…, listed in pages as the store lists them. */
function fakePhases(count: number) {
  const refs = Array.from(
    { length: count },
    (_, i) => `component:default/initiative-${String(i).padStart(4, '0')}`,
  );
  const listInitiatives = jest.fn(
    async (o: { limit: number; afterEntityRef?: string }) =>
      refs
        .filter(r => o.afterEntityRef === undefined || r > o.afterEntityRef)
        .slice(0, o.limit),
  );
  return { refs, phases: { listInitiatives } as unknown as PhaseStore };
}

/** Adopters: every initiative adopted by `team-<i mod 3>` and payments. */
function fakeReader() {
  const adoptersOfMany = jest.fn(
    async (refs: string[], _credentials: BackstageCredentials) => {
      return new Map(
        refs.map(ref => {
          const i = Number(ref.slice(-4));
          return [
            ref,
            new Map([
              [PAYMENTS, ['component:default/checkout']],
              [`group:default/team-${i % 3}`, ['component:default/x']],
            ]),
          ] as const;
        }),
      );
    },
  );
  return {
    adoptersOfMany,
    reader: { adoptersOfMany } as unknown as AdoptionReader,
  };
}

describe('snapshotAdoption in pages', () => {
  it('reads every initiative once, 200 at a time, in one batch per page', async () => {
    const { refs, phases } = fakePhases(450);
    const { adoptersOfMany, reader } = fakeReader();
    const recorded = new Map<string, string[]>();
    const adoption = {
      recordSnapshot: jest.fn(async (ref: string, teams: string[]) => {
        recorded.set(ref, teams);
      }),
    } as unknown as AdoptionStore;
    const auth = mockServices.auth();
    const result = await snapshotAdoption({
      phases,
      adoption,
      reader,
      auth,
      logger: mockServices.logger.mock(),
      now: () => T0,
    });
    expect(result).toEqual({ initiatives: 450, adoptedTeams: 900 });
    expect(adoptersOfMany.mock.calls.map(([page]) => page.length)).toEqual([
      200, 200, 50,
    ]);
    // Read as the plugin itself, which sees every entity.
    const credentials = adoptersOfMany.mock.calls[0][1];
    expect(credentials.principal).toEqual({
      type: 'service',
      subject: 'plugin:test',
    });
    expect([...recorded.keys()]).toEqual(refs);
    expect(recorded.get(refs[4])).toEqual([PAYMENTS, 'group:default/team-1']);
    expect(adoption.recordSnapshot).toHaveBeenCalledWith(
      refs[0],
      expect.any(Array),
      T0,
    );
  });

  it('records the others when one initiative fails, then fails the run', async () => {
    const { refs, phases } = fakePhases(5);
    const { reader } = fakeReader();
    const failure = new Error('disk full');
    const recordSnapshot = jest.fn(async (ref: string) => {
      if (ref === refs[1]) throw failure;
    });
    const logger = mockServices.logger.mock();
    await expect(
      snapshotAdoption({
        phases,
        adoption: { recordSnapshot } as unknown as AdoptionStore,
        reader,
        auth: mockServices.auth(),
        logger,
        now: () => T0,
      }),
    ).rejects.toThrow(
      `The adoption snapshot failed for 1 initiatives, first ${refs[1]}`,
    );
    expect(recordSnapshot).toHaveBeenCalledTimes(5);
    expect(logger.error).toHaveBeenCalledWith(
      `Could not record the adoption of ${refs[1]}`,
      failure,
    );
  });
});

describe('schedulePhaseTasks', () => {
  const databases = createTestDatabases();
  const base = () => {
    const { phases } = fakePhases(0);
    return {
      phases,
      adoption: {} as AdoptionStore,
      reader: fakeReader().reader,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      db: {} as Knex,
    };
  };

  it('schedules the snapshot daily, once across replicas, and records its runs', async () => {
    const scheduler = mockServices.scheduler.mock();
    const db = await migratedClient(
      mockServices.database({ knex: await databases.init('SQLITE_3') }),
    );
    await schedulePhaseTasks({
      ...base(),
      db,
      scheduler,
      config: mockServices.rootConfig(),
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith({
      id: ADOPTION_SNAPSHOT_TASK_ID,
      frequency: { hours: 24 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 1 },
      scope: 'global',
      fn: expect.any(Function),
    });
    const { fn } = scheduler.scheduleTask.mock.calls[0][0];
    await (fn as () => Promise<void>)();
    expect(await db(TASK_RUNS_TABLE).select('task_id', 'outcome')).toEqual([
      { task_id: ADOPTION_SNAPSHOT_TASK_ID, outcome: 'succeeded' },
    ]);
    await db.destroy();
  });

  it('takes the schedule from config, but never a local scope', async () => {
    const scheduler = mockServices.scheduler.mock();
    await schedulePhaseTasks({
      ...base(),
      scheduler,
      config: mockServices.rootConfig({
        data: {
          freeboard: {
            phases: {
              adoptionSnapshot: {
                frequency: { cron: '0 3 * * *' },
                timeout: 'PT30M',
                scope: 'local',
              },
            },
          },
        },
      }),
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        frequency: { cron: '0 3 * * *' },
        timeout: { minutes: 30 },
        initialDelay: { minutes: 1 },
        scope: 'global',
      }),
    );
  });

  it('refuses a schedule it cannot read', async () => {
    await expect(
      schedulePhaseTasks({
        ...base(),
        scheduler: mockServices.scheduler.mock(),
        config: mockServices.rootConfig({
          data: {
            freeboard: {
              phases: { adoptionSnapshot: { frequency: 'daily' } },
            },
          },
        }),
      }),
    ).rejects.toThrow(/frequency/);
  });
});
