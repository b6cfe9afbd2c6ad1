import { DatabaseService } from '@backstage/backend-plugin-api';
import { createDatabaseTrustStores } from './DatabaseTrustStore';
import { DAY_MS, dayOf } from './decay';
import {
  NOW,
  basisOf,
  daysBefore,
  entry,
  trustTestSetup,
} from './__testUtils__/trustStores';

jest.setTimeout(120_000);

/*
 * The parts of the store are tested beside their code (ledgerWrites,
 * ledgerReads, maintenance, maintenanceRetention); this is their assembly.
 */
describe('createDatabaseTrustStores', () => {
  const { databases, migrated, storesOn } = trustTestSetup();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('migrates a database it is given and starts the landmark today', async () => {
      const knex = await databases.init(databaseId);
      try {
        const database = {
          getClient: async () => knex,
        } as unknown as DatabaseService;
        const stores = await createDatabaseTrustStores({
          database,
          halfLifeDays: 90,
          now: () => NOW,
        });
        expect(await basisOf(knex)).toEqual({
          landmarkMs: dayOf(NOW.getTime()) * DAY_MS,
          halfLifeMs: 90 * DAY_MS,
          halfLifeDays: 90,
        });
        const { entry: written } = await stores.ledger.appendEntry(entry());
        expect(
          await stores.reads.getEntry(written.entityRef, written.id),
        ).toEqual(written);
      } finally {
        await knex.destroy();
      }
    });

    it('does no work at start-up on any replica, whatever the half-life', async () => {
      const knex = await migrated(databaseId);
      const first = await storesOn(knex, { now: () => daysBefore(NOW, 30) });
      await first.ledger.appendEntry(entry({ amount: 40 }));
      const totals = await knex('trust_totals');
      // Five replicas start together, one of them with another half-life: the
      // landmark and sums stay as they are until maintenance applies it.
      const replicas = await Promise.all(
        [180, 180, 90, 180, 180].map(halfLifeDays =>
          storesOn(knex, { halfLifeDays }),
        ),
      );
      expect(await knex('trust_landmark')).toHaveLength(1);
      expect(await basisOf(knex)).toMatchObject({
        landmarkMs: dayOf(daysBefore(NOW, 30).getTime()) * DAY_MS,
        halfLifeDays: 180,
      });
      expect(await knex('trust_totals')).toEqual(totals);
      expect(await replicas[2].maintenance.applyHalfLife(90)).toBe(true);
      expect(await replicas[0].maintenance.applyHalfLife(90)).toBe(false);
    });
  });
});
