import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { readPhasesConfig } from '../phases/config';
import { decideStart } from '../phases/domain/commands';
import { createDatabasePhaseStores } from '../phases/store/DatabasePhaseStore';
import { PortfolioService } from './service';
import { DatabasePortfolioStore } from './store';

jest.setTimeout(120_000);

/*
 * The portfolio service over its store, on SQLite and PostgreSQL: parsed
 * initiative records are kept per version (a page does not re-read them
 * until they change), and a group hierarchy with a cycle still answers.
 */

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);
const NOW = new Date(Date.UTC(2026, 10, 24, 12));
const LEVELS = { healthy: 10, strong: 50 };

describe('PortfolioService', () => {
  const databases = createTestDatabases();
  const knexes: Knex[] = [];
  afterAll(async () => {
    await Promise.all(knexes.map(k => k.destroy()));
  });

  async function setup(
    databaseId: any,
    options: { readScope?: unknown; measuresMaxAgeMs?: number } = {},
  ) {
    const knex = await databases.init(databaseId);
    knexes.push(knex);
    await knex.migrate.latest({ directory: migrationsDir });
    const store = new DatabasePortfolioStore(knex);
    const records = jest.spyOn(store, 'records');
    const service = new PortfolioService({
      store,
      readScope: (options.readScope ?? {
        visible: async () => 'all',
        decide: async () => 'all',
      }) as any,
      visibility: { entity: async () => ({}) } as any,
      levels: LEVELS,
      now: () => NOW,
      // Most tests change the tables between reads and expect to see it.
      measuresMaxAgeMs: options.measuresMaxAgeMs ?? 0,
    });
    const capability = (name: string, owner: string) => ({
      entity_ref: `component:default/${name}`,
      kind: 'component',
      title: name,
      owner_ref: owner,
      consumer_teams: 0,
      refreshed_at: NOW,
    });
    await knex('freeboard_capabilities').insert([
      capability('one', 'group:default/a'),
      capability('two', 'group:default/b'),
    ]);
    const { phases } = createDatabasePhaseStores({ client: knex });
    const start = decideStart(readPhasesConfig(new ConfigReader({})));
    if (start.type !== 'started') throw new Error('Unexpected start');
    for (const ref of ['component:default/one', 'component:default/two']) {
      await phases.start(ref, {
        occurredAt: NOW.toISOString(),
        actorRef: 'user:default/lead',
        data: start,
      });
    }
    return { knex, service, records, phases, store };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('parses each initiative record once per version', async () => {
      const { service, records, phases } = await setup(databaseId);
      const credentials = mockCredentials.user();
      const first = await service.page({}, credentials);
      expect(first.items.map(i => i.phase)).toEqual([
        { phase: 'discovery', criteriaDone: 0, criteriaTotal: 6 },
        { phase: 'discovery', criteriaDone: 0, criteriaTotal: 6 },
      ]);
      expect(records).toHaveBeenCalledTimes(1);
      await service.page({}, credentials);
      await service.csv({}, credentials);
      expect(records).toHaveBeenCalledTimes(1);

      // A new version of one record: only that one is read again.
      await phases.append('component:default/two', undefined, () => [
        {
          occurredAt: NOW.toISOString(),
          actorRef: 'user:default/lead',
          data: {
            type: 'criterion-set',
            id: 'discovery.golden-paths',
            state: 'done',
          },
        },
      ]);
      const next = await service.page({}, credentials);
      expect(records).toHaveBeenCalledTimes(2);
      expect(records.mock.calls[1][0]).toEqual(['component:default/two']);
      expect(next.items.map(i => i.phase?.criteriaDone)).toEqual([0, 1]);
    });

    it('keeps the catalog copy until a refresh writes the capabilities', async () => {
      const { knex, service, store } = await setup(databaseId);
      const list = jest.spyOn(store, 'listCapabilities');
      const credentials = mockCredentials.user();
      const titles = async () =>
        (await service.page({ sort: 'title' }, credentials)).items.map(
          i => i.title,
        );
      expect(await titles()).toEqual(['one', 'two']);
      expect(await titles()).toEqual(['one', 'two']);
      expect(list).toHaveBeenCalledTimes(1);

      // A refresh stamps what it writes.
      await knex('freeboard_capabilities')
        .where({ entity_ref: 'component:default/two' })
        .update({
          title: 'a second',
          refreshed_at: new Date(NOW.getTime() + 1),
        });
      expect(await titles()).toEqual(['a second', 'one']);
      // A refresh that only deletes changes the count.
      await knex('freeboard_capabilities')
        .where({ entity_ref: 'component:default/one' })
        .delete();
      expect(await titles()).toEqual(['a second']);
      expect(list).toHaveBeenCalledTimes(3);
    });

    it("shares figures for a while, and each principal's catalog answer with them", async () => {
      let decision: 'all' | 'conditional' | Set<string> = 'conditional';
      const readScope = {
        decide: jest.fn(async () => decision),
        checkEach: jest.fn(
          async (_refs: readonly string[], _credentials: unknown) =>
            new Set(['component:default/one', 'group:default/a']),
        ),
      };
      const { service, store } = await setup(databaseId, {
        readScope,
        measuresMaxAgeMs: 60_000,
      });
      const measures = jest.spyOn(store, 'loadMeasures');
      const alice = mockCredentials.user('user:default/alice');
      const bob = mockCredentials.user('user:default/bob');
      const refsOf = async (credentials: typeof alice) =>
        (await service.page({}, credentials)).items.map(i => i.entityRef);

      expect(await refsOf(alice)).toEqual(['component:default/one']);
      expect(await refsOf(alice)).toEqual(['component:default/one']);
      expect(readScope.checkEach).toHaveBeenCalledTimes(1);
      // Another principal is checked on their own.
      expect(await refsOf(bob)).toEqual(['component:default/one']);
      expect(readScope.checkEach).toHaveBeenCalledTimes(2);
      expect(readScope.checkEach.mock.calls[1][1]).toBe(bob);
      // The permission is asked on every request: a policy that now denies
      // applies at once, whatever was shared.
      expect(readScope.decide).toHaveBeenCalledTimes(3);
      decision = new Set();
      expect(await refsOf(alice)).toEqual([]);
      decision = 'all';
      expect(await refsOf(alice)).toEqual([
        'component:default/one',
        'component:default/two',
      ]);
      // One load of the balances served every request.
      expect(measures).toHaveBeenCalledTimes(1);
    });

    it('answers over a group hierarchy with a cycle', async () => {
      const { knex, service } = await setup(databaseId);
      await knex('freeboard_groups').insert([
        { group_ref: 'group:default/a', parent_ref: 'group:default/b' },
        { group_ref: 'group:default/b', parent_ref: 'group:default/a' },
      ]);
      const credentials = mockCredentials.user();
      const page = await service.page(
        { owner: 'group:default/a' },
        credentials,
      );
      expect(page.total).toBe(2);
      const rollup = await service.ownerRollup('group:default/b', credentials);
      expect(rollup).toMatchObject({
        capabilities: 2,
        parentRef: 'group:default/a',
      });
      const summary = await service.summary(credentials);
      expect(
        summary.groups.map(g => [g.groupRef, g.capabilities, g.parentRef]),
      ).toEqual([
        ['group:default/a', 2, 'group:default/b'],
        ['group:default/b', 2, 'group:default/a'],
      ]);
    });
  });
});
