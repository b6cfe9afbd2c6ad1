import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

async function migrateUntil(knex: Knex, name: string) {
  await knex.migrate.up({ directory: migrationsDir, name });
}

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'go up and down with data on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);

      await migrateUntil(knex, '20261121000000_trust_ledger.js');
      const [ref] = await knex('freeboard_refs')
        .insert({ ref: 'component:default/ci-pipelines' })
        .returning('id');
      const entityId = typeof ref === 'object' ? ref.id : ref;
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
      const entryId = typeof inserted === 'object' ? inserted.id : inserted;

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
      let secondRevert: unknown;
      try {
        await knex('trust_entries').insert(revert);
      } catch (error) {
        secondRevert = error;
      }
      expect(String(secondRevert)).toMatch(/unique/i);
      const [{ n }] = await knex('trust_entries').count({ n: '*' });
      expect(Number(n)).toBe(2);

      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('trust_entries')).toBe(false);
      expect(await knex.schema.hasTable('freeboard_refs')).toBe(false);

      await knex.destroy();
    },
  );
});
