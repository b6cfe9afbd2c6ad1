import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { CursorCodec } from './cursors';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

/** Parses the parts of a test position: [number, string]. */
const position = (parts: unknown[]) =>
  parts.length === 2 &&
  typeof parts[0] === 'number' &&
  typeof parts[1] === 'string'
    ? { at: parts[0], id: parts[1] }
    : undefined;

describe('CursorCodec', () => {
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

  function expectRefused(open: () => unknown) {
    let error: unknown;
    try {
      open();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).name).toBe('InputError');
    expect((error as InputError).message).toBe(
      'cursor: is not a cursor this API returned',
    );
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('opens what it sealed, and each seal differs', async () => {
      const codec = await CursorCodec.create(await migrated(databaseId));
      const cursor = codec.encode('entries', [1795262400000, '42']);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      // Opaque: the position does not show through.
      expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain(
        '42',
      );
      expect(codec.decode('entries', cursor, position)).toEqual({
        at: 1795262400000,
        id: '42',
      });
      expect(codec.encode('entries', [1795262400000, '42'])).not.toBe(cursor);
    });

    it('refuses any edit, another purpose, garbage, empty and huge cursors alike', async () => {
      const codec = await CursorCodec.create(await migrated(databaseId));
      const cursor = codec.encode('entries', [1795262400000, '42']);
      const raw = Buffer.from(cursor, 'base64url');
      for (let i = 0; i < raw.length; i++) {
        for (const flip of [0x01, 0x80, 0xff]) {
          const edited = Buffer.from(raw);
          edited[i] ^= flip;
          expectRefused(() =>
            codec.decode('entries', edited.toString('base64url'), position),
          );
        }
      }
      expectRefused(() =>
        codec.decode(
          'entries',
          raw.subarray(0, raw.length - 1).toString('base64url'),
          position,
        ),
      );
      expectRefused(() =>
        codec.decode(
          'entries',
          Buffer.concat([raw, Buffer.from([0])]).toString('base64url'),
          position,
        ),
      );
      expectRefused(() => codec.decode('leaderboard', cursor, position));
      expectRefused(() => codec.decode('entries:other', cursor, position));
      for (const garbage of [
        '',
        'x',
        'not a cursor',
        '!!!!',
        'AAAA',
        'A'.repeat(40),
        'A'.repeat(100_000),
        '{"a":1}',
      ]) {
        expectRefused(() => codec.decode('entries', garbage, position));
      }
      // Sealed by us but not a position of this listing.
      expectRefused(() =>
        codec.decode('entries', codec.encode('entries', [1, 2, 3]), position),
      );
      expectRefused(() =>
        codec.decode('entries', codec.encode('entries', ['1', '2']), position),
      );
      // The parser sees an array only.
      const parse = jest.fn(position);
      expectRefused(() =>
        codec.decode(
          'entries',
          codec.encode('entries', {} as unknown[]),
          parse,
        ),
      );
      expect(parse).not.toHaveBeenCalled();
    });

    it('shares one key among replicas, created once', async () => {
      const knex = await migrated(databaseId);
      const replicas = await Promise.all(
        [1, 2, 3, 4].map(() => CursorCodec.create(knex)),
      );
      expect(await knex('freeboard_secrets')).toHaveLength(1);
      const cursor = replicas[0].encode('entries', [5, '6']);
      for (const replica of replicas) {
        expect(replica.decode('entries', cursor, position)).toEqual({
          at: 5,
          id: '6',
        });
      }
      // A restart keeps the key: old cursors still open.
      const restarted = await CursorCodec.create(knex);
      expect(restarted.decode('entries', cursor, position)).toEqual({
        at: 5,
        id: '6',
      });
      // Another installation's key does not open them.
      const elsewhere = await CursorCodec.create(await migrated(databaseId));
      expectRefused(() => elsewhere.decode('entries', cursor, position));
    });
  });
});
