import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { withLease } from './locks';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);
const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

describe('withLease', () => {
  const databases = createTestDatabases();
  const knexes: Knex[] = [];
  afterAll(async () => {
    await Promise.all(knexes.map(k => k.destroy()));
  });

  async function migrated(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    knexes.push(knex);
    await knex.migrate.latest({ directory: migrationsDir });
    return knex;
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('lets one holder at a time run, and the others after it', async () => {
      const knex = await migrated(databaseId);
      let running = 0;
      let most = 0;
      const order: number[] = [];
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          withLease(
            knex,
            'job',
            { ttlMs: 30_000, waitMs: 20_000, pollMs: 20 },
            async () => {
              running += 1;
              most = Math.max(most, running);
              await sleep(50);
              order.push(i);
              running -= 1;
              return i;
            },
          ),
        ),
      );
      expect(results).toEqual([0, 1, 2, 3, 4]);
      expect(most).toBe(1);
      expect(order).toHaveLength(5);
      expect(await knex('freeboard_locks')).toEqual([]);
    });

    it('lets leases of other names run together', async () => {
      const knex = await migrated(databaseId);
      let running = 0;
      let most = 0;
      await Promise.all(
        ['a', 'b'].map(name =>
          withLease(
            knex,
            name,
            { ttlMs: 30_000, waitMs: 5_000, pollMs: 20 },
            async () => {
              running += 1;
              most = Math.max(most, running);
              await sleep(100);
              running -= 1;
            },
          ),
        ),
      );
      expect(most).toBe(2);
    });

    it('releases the lease when the work fails', async () => {
      const knex = await migrated(databaseId);
      await expect(
        withLease(knex, 'job', { ttlMs: 30_000, waitMs: 1_000 }, async () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await knex('freeboard_locks')).toEqual([]);
      await expect(
        withLease(
          knex,
          'job',
          { ttlMs: 30_000, waitMs: 0 },
          async () => 'next',
        ),
      ).resolves.toBe('next');
    });

    it('takes over a lease whose holder died, once it has expired', async () => {
      const knex = await migrated(databaseId);
      // A replica died holding the lease; it ran out a minute ago.
      await knex('freeboard_locks').insert({
        name: 'job',
        holder: 'dead-replica',
        expires_at: new Date(Date.now() - 60_000),
      });
      await expect(
        withLease(
          knex,
          'job',
          { ttlMs: 30_000, waitMs: 0 },
          async () => 'taken',
        ),
      ).resolves.toBe('taken');

      // A holder that outlives its lease loses it to the next, and its
      // release does not remove the new holder's lease.
      let releaseSlow!: () => void;
      const slowMayEnd = new Promise<void>(resolve => (releaseSlow = resolve));
      const slow = withLease(
        knex,
        'job',
        { ttlMs: 300, waitMs: 0 },
        () => slowMayEnd,
      );
      await sleep(50);
      const startedAt = Date.now();
      let fastHolder: string | undefined;
      const fast = withLease(
        knex,
        'job',
        { ttlMs: 30_000, waitMs: 5_000, pollMs: 25 },
        async () => {
          fastHolder = (
            await knex('freeboard_locks').where({ name: 'job' }).first()
          ).holder;
          releaseSlow();
          await slow;
          // Still held by the fast one after the slow one released.
          const row = await knex('freeboard_locks')
            .where({ name: 'job' })
            .first();
          return row?.holder;
        },
      );
      expect(await fast).toBe(fastHolder);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(200);
      expect(await knex('freeboard_locks')).toEqual([]);
    });

    it('gives up after waiting for a live holder for waitMs', async () => {
      const knex = await migrated(databaseId);
      await knex('freeboard_locks').insert({
        name: 'job',
        holder: 'live-replica',
        expires_at: new Date(Date.now() + 60_000),
      });
      const work = jest.fn(async () => 'never');
      const startedAt = Date.now();
      await expect(
        withLease(
          knex,
          'job',
          { ttlMs: 30_000, waitMs: 300, pollMs: 50 },
          work,
        ),
      ).rejects.toThrow('Gave up waiting 300 ms for the lock "job"');
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
      expect(work).not.toHaveBeenCalled();
      // The live holder's lease is untouched.
      expect((await knex('freeboard_locks')).map(r => r.holder)).toEqual([
        'live-replica',
      ]);
    });
  });
});
