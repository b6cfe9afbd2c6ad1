import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

const LEDGER = '20261121000000_trust_ledger.js';
const SECRETS = '20261122000000_secrets_and_locks.js';

async function up(knex: Knex, name: string) {
  await knex.migrate.up({ directory: migrationsDir, name });
}

async function down(knex: Knex, name: string) {
  await knex.migrate.down({ directory: migrationsDir, name });
}

async function count(knex: Knex, table: string) {
  const [{ n }] = await knex(table).count({ n: '*' });
  return Number(n);
}

async function failure(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return String(error);
  }
  return 'no error';
}

const idOf = (row: unknown) =>
  typeof row === 'object' && row !== null ? (row as { id: number }).id : row;

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'go up one by one and down again with data on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      try {
        expect(await knex.migrate.list({ directory: migrationsDir })).toEqual([
          [],
          [
            expect.objectContaining({ file: LEDGER }),
            expect.objectContaining({ file: SECRETS }),
          ],
        ]);

        // The ledger.
        await up(knex, LEDGER);
        expect(await knex.schema.hasTable('freeboard_secrets')).toBe(false);
        const [ref] = await knex('freeboard_refs')
          .insert({ ref: 'component:default/ci-pipelines' })
          .returning('id');
        const entityId = idOf(ref);
        const now = new Date();
        const [inserted] = await knex('trust_entries')
          .insert({
            entity_id: entityId,
            direction: 'earn',
            category: 'pain-point-removed',
            amount: 5,
            title: 'Cached builds',
            occurred_at: now,
            recorded_at: now,
            recorded_by_id: entityId,
            source: 'manual',
          })
          .returning('id');
        const entryId = idOf(inserted);
        // An entry can be reverted only once.
        const revert = {
          entity_id: entityId,
          direction: 'spend',
          category: 'pain-point-removed',
          amount: 5,
          title: 'Revert',
          occurred_at: now,
          recorded_at: now,
          recorded_by_id: entityId,
          source: 'manual',
          reverts_entry_id: entryId,
        };
        await knex('trust_entries').insert(revert);
        expect(await failure(knex('trust_entries').insert(revert))).toMatch(
          /unique/i,
        );
        await knex('trust_landmark').insert({
          id: 1,
          landmark_ms: now.getTime(),
          half_life_days: 180,
        });
        expect(await count(knex, 'trust_entries')).toBe(2);

        // Secrets and locks, on top of the ledger with data.
        await up(knex, SECRETS);
        await knex('freeboard_secrets').insert({
          name: 'cursor-key',
          value: 'k'.repeat(44),
        });
        expect(
          await failure(
            knex('freeboard_secrets').insert({
              name: 'cursor-key',
              value: 'other',
            }),
          ),
        ).toMatch(/unique|duplicate/i);
        await knex('freeboard_locks').insert({
          name: 'trust-ledger-task:seed',
          holder: 'a',
          expires_at: now,
        });
        expect(
          await failure(
            knex('freeboard_locks').insert({
              name: 'trust-ledger-task:seed',
              holder: 'b',
              expires_at: now,
            }),
          ),
        ).toMatch(/unique|duplicate/i);
        expect(await count(knex, 'trust_entries')).toBe(2);
        expect(await knex.migrate.list({ directory: migrationsDir })).toEqual([
          [
            expect.objectContaining({ name: LEDGER }),
            expect.objectContaining({ name: SECRETS }),
          ],
          [],
        ]);

        // Down one step: the ledger keeps its data.
        await down(knex, SECRETS);
        expect(await knex.schema.hasTable('freeboard_secrets')).toBe(false);
        expect(await knex.schema.hasTable('freeboard_locks')).toBe(false);
        expect(await count(knex, 'trust_entries')).toBe(2);
        expect(await count(knex, 'trust_landmark')).toBe(1);

        // And up again, then all the way down.
        await up(knex, SECRETS);
        expect(await count(knex, 'freeboard_secrets')).toBe(0);
        await down(knex, SECRETS);
        await down(knex, LEDGER);
        for (const table of [
          'freeboard_refs',
          'trust_entries',
          'trust_landmark',
          'trust_totals',
          'trust_consumer_totals',
          'trust_daily',
          'trust_pulses',
          'trust_idempotency',
        ]) {
          expect(await knex.schema.hasTable(table)).toBe(false);
        }

        // From nothing to the latest in one go, as a new installation does.
        await knex.migrate.latest({ directory: migrationsDir });
        expect(await knex.schema.hasTable('freeboard_locks')).toBe(true);
        await knex.migrate.rollback({ directory: migrationsDir }, true);
        expect(await knex.schema.hasTable('freeboard_refs')).toBe(false);
      } finally {
        await knex.destroy();
      }
    },
  );
});
