import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { appendThicknessLog, snapshotThickness } from './log';
import { DatabaseThicknessStore } from './store';
import {
  THICKNESS_SNAPSHOT_TASK_ID,
  readThicknessSnapshotSchedule,
  scheduleThicknessSnapshot,
} from './tasks';

/*
 * The capability log on SQLite and PostgreSQL: a row only when a
 * capability's category or weight changes, `none` once it leaves, reruns on
 * the same day correcting that day's row; the daily snapshot from
 * `freeboard_capabilities`, and what the store reads back for a trend.
 */

jest.setTimeout(120_000);

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

const A = 'component:default/a';
const B = 'component:default/b';
const C = 'component:default/c';

async function logRows(knex: Knex) {
  const rows = await knex('freeboard_capability_log')
    .select('entity_ref', 'day', 'category', 'weight')
    .orderBy(['day', 'entity_ref']);
  return rows.map(r => [r.entity_ref, r.day, r.category, Number(r.weight)]);
}

describe('the capability log', () => {
  const databases = createTestDatabases();
  const knexes: Knex[] = [];
  afterAll(async () => {
    await Promise.all(knexes.map(k => k.destroy()));
  });

  async function setup(databaseId: any) {
    const knex = await databases.init(databaseId);
    knexes.push(knex);
    await knex.migrate.latest({ directory: migrationsDir });
    return knex;
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('appends a row only for changes, none once a capability leaves', async () => {
      const knex = await setup(databaseId);
      expect(
        await appendThicknessLog(
          knex,
          [
            { entityRef: A, category: 'kept', weight: 3 },
            { entityRef: B, category: 'unique', weight: 0 },
            // Never counted: nothing to log.
            { entityRef: C, category: 'none', weight: 7 },
          ],
          '2026-11-01',
        ),
      ).toBe(2);
      expect(await logRows(knex)).toEqual([
        [A, '2026-11-01', 'kept', 3],
        [B, '2026-11-01', 'unique', 1],
      ]);

      // Nothing changed, on the same day or later: nothing written.
      const same = [
        { entityRef: A, category: 'kept' as const, weight: 3 },
        { entityRef: B, category: 'unique' as const, weight: 1 },
      ];
      expect(await appendThicknessLog(knex, same, '2026-11-01')).toBe(0);
      expect(await appendThicknessLog(knex, same, '2026-11-02')).toBe(0);

      // A gains consumers, B leaves the set, C gets a decision.
      expect(
        await appendThicknessLog(
          knex,
          [
            { entityRef: A, category: 'kept', weight: 5 },
            { entityRef: C, category: 'floating', weight: 2 },
          ],
          '2026-11-03',
        ),
      ).toBe(3);
      expect((await logRows(knex)).slice(2)).toEqual([
        [A, '2026-11-03', 'kept', 5],
        [B, '2026-11-03', 'none', 0],
        [C, '2026-11-03', 'floating', 2],
      ]);
      // Once none, a missing capability is not logged again.
      expect(
        await appendThicknessLog(
          knex,
          [
            { entityRef: A, category: 'kept', weight: 5 },
            { entityRef: C, category: 'floating', weight: 2 },
          ],
          '2026-11-04',
        ),
      ).toBe(0);
    });

    it('corrects the day on a rerun, and removes a row the day no longer needs', async () => {
      const knex = await setup(databaseId);
      await appendThicknessLog(
        knex,
        [{ entityRef: A, category: 'kept', weight: 3 }],
        '2026-11-01',
      );
      await appendThicknessLog(
        knex,
        [{ entityRef: A, category: 'floating', weight: 3 }],
        '2026-11-02',
      );
      // The refresher saw more consumers later that day.
      expect(
        await appendThicknessLog(
          knex,
          [{ entityRef: A, category: 'floating', weight: 4 }],
          '2026-11-02',
        ),
      ).toBe(1);
      expect(await logRows(knex)).toEqual([
        [A, '2026-11-01', 'kept', 3],
        [A, '2026-11-02', 'floating', 4],
      ]);
      // The float was reverted the same day: back to the day before.
      expect(
        await appendThicknessLog(
          knex,
          [{ entityRef: A, category: 'kept', weight: 3 }],
          '2026-11-02',
        ),
      ).toBe(1);
      expect(await logRows(knex)).toEqual([[A, '2026-11-01', 'kept', 3]]);
    });

    it('logs more capabilities than one insert holds', async () => {
      const knex = await setup(databaseId);
      const rows = Array.from({ length: 1500 }, (_, i) => ({
        entityRef: `component:default/cap-${i}`,
        category: 'unique' as const,
        weight: i,
      }));
      expect(await appendThicknessLog(knex, rows, '2026-11-01')).toBe(1500);
      expect(await appendThicknessLog(knex, [], '2026-11-02')).toBe(1500);
      const [{ n }] = await knex('freeboard_capability_log')
        .where({ day: '2026-11-02', category: 'none' })
        .count({ n: '*' });
      expect(Number(n)).toBe(1500);
    });

    it('snapshots freeboard_capabilities, and the store reads a trend window back', async () => {
      const knex = await setup(databaseId);
      const capability = (
        entityRef: string,
        values: Record<string, unknown>,
      ) => ({
        entity_ref: entityRef,
        kind: 'component',
        title: entityRef,
        refreshed_at: new Date(),
        consumer_teams: 0,
        ...values,
      });
      await knex('freeboard_capabilities').insert([
        capability(A, {
          decision: 'sink',
          base_capability: 'GitHub Actions',
          consumer_teams: 4,
          system_ref: 'system:default/ci',
        }),
        capability(B, {
          decision: 'sink',
          base_capability: 'None: unique to the company',
        }),
        capability(C, { problems: '["bad"]' }),
      ]);
      expect(
        await snapshotThickness(knex, new Date('2026-11-01T23:00:00Z')),
      ).toEqual({ capabilities: 3, written: 2 });
      await knex('freeboard_capabilities')
        .where({ entity_ref: A })
        .update({ decision: 'float' });
      expect(
        await snapshotThickness(knex, new Date('2026-11-05T01:00:00Z')),
      ).toEqual({ capabilities: 3, written: 1 });
      expect(await logRows(knex)).toEqual([
        [A, '2026-11-01', 'kept', 4],
        [B, '2026-11-01', 'unique', 1],
        [A, '2026-11-05', 'floating', 4],
      ]);

      const store = new DatabaseThicknessStore(knex);
      const sorted = (entries: Array<{ entityRef: string; day: string }>) =>
        entries.map(e => `${e.entityRef} ${e.day}`).sort();
      // The state at the window's first day, and the changes after it.
      expect(
        sorted(
          await store.readLog({
            firstDay: '2026-11-03',
            lastDay: '2026-11-05',
          }),
        ),
      ).toEqual([`${A} 2026-11-01`, `${A} 2026-11-05`, `${B} 2026-11-01`]);
      expect(
        sorted(
          await store.readLog({
            firstDay: '2026-11-05',
            lastDay: '2026-11-05',
          }),
        ),
      ).toEqual([`${A} 2026-11-05`, `${B} 2026-11-01`]);
      expect(
        sorted(
          await store.readLog({
            firstDay: '2026-10-01',
            lastDay: '2026-11-04',
          }),
        ),
      ).toEqual([`${A} 2026-11-01`, `${B} 2026-11-01`]);
      expect(
        sorted(
          await store.readLog({
            firstDay: '2026-11-03',
            lastDay: '2026-11-05',
            systemRef: 'system:default/ci',
          }),
        ),
      ).toEqual([`${A} 2026-11-01`, `${A} 2026-11-05`]);
      expect(await store.listCounted('system:default/ci')).toEqual([
        {
          entityRef: A,
          systemRef: 'system:default/ci',
          category: 'floating',
          weight: 4,
        },
      ]);
      expect(await store.listCounted()).toHaveLength(2);
    });
  });
});

describe('scheduleThicknessSnapshot', () => {
  it('runs once across replicas, daily unless configured', async () => {
    const scheduler = mockServices.scheduler.mock();
    await scheduleThicknessSnapshot({
      scheduler,
      config: mockServices.rootConfig(),
      db: {} as any,
      logger: mockServices.logger.mock(),
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: THICKNESS_SNAPSHOT_TASK_ID,
        scope: 'global',
        frequency: { hours: 24 },
        initialDelay: { minutes: 1 },
      }),
    );
    expect(
      readThicknessSnapshotSchedule(
        mockServices.rootConfig({
          data: {
            freeboard: {
              thickness: { snapshot: { frequency: { hours: 6 } } },
            },
          },
        }),
      ),
    ).toMatchObject({ frequency: { hours: 6 }, scope: 'global' });
  });
});
