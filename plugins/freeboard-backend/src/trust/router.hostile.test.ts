import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  LEAD,
  OUTSIDER,
  entity,
  startTrustBackend,
} from '../__testUtils__/trustBackend';

/*
 * What a hostile review found: input that PostgreSQL refuses, cursors a
 * client edited, and hidden entities leaking through filters, cursors and
 * projections. Every case runs on SQLite and PostgreSQL.
 */

jest.setTimeout(120_000);

const databases = createTestDatabases();
const API = '/api/freeboard/trust';
const CAP = `${API}/entities/component/default/ci`;

const entities = [
  entity('Component', 'ci', [
    ['ownedBy', 'group:default/platform'],
    ['dependencyOf', 'component:default/app'],
    ['dependencyOf', 'component:default/secret-app'],
  ]),
  entity('Component', 'app', [['ownedBy', 'group:default/team-a']]),
  entity('Component', 'secret-app', [['ownedBy', 'group:default/secret-team']]),
  entity('Group', 'platform'),
  entity('Group', 'team-a'),
  entity('Group', 'secret-team'),
  ...Array.from({ length: 24 }, (_, i) => entity('Component', `cap-${i}`)),
];
// The outsider sees neither the secret team nor every other capability.
const hidden = [
  'group:default/secret-team',
  ...Array.from({ length: 24 }, (_, i) => i)
    .filter(i => i % 2)
    .map(i => `component:default/cap-${i}`),
];

/** Whether a cursor is readable data, as the old base64 JSON cursors were. */
function isReadableJson(cursor: string): boolean {
  try {
    JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

async function count(knex: Knex, table: string): Promise<number> {
  const [{ n }] = await knex(table).count({ n: '*' });
  return Number(n);
}

describe.each(databases.eachSupportedId())(
  'hostile input on %s',
  databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startTrustBackend>>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startTrustBackend({
        knex,
        entities,
        hiddenFromOutsider: hidden,
      });
    });

    const entry = {
      category: 'pain-point-removed',
      amount: 10,
      title: 'Cached builds',
    };

    it('refuses control characters in every text field and query, writing nothing', async () => {
      const lead = backend.as(LEAD);
      const before = await count(knex, 'trust_entries');
      const cases: Array<[() => any, string]> = [
        [
          () =>
            lead.post(`${CAP}/entries`).send({ ...entry, title: 'a\u0000b' }),
          'title: must not contain control characters',
        ],
        [
          () => lead.post(`${CAP}/entries`).send({ ...entry, title: 'a\nb' }),
          'title: must not contain control characters',
        ],
        [
          () =>
            lead
              .post(`${CAP}/entries`)
              .send({ ...entry, description: 'x\u0000' }),
          'description: must not contain control characters',
        ],
        [
          () =>
            lead
              .post(`${CAP}/entries`)
              .send({ ...entry, category: 'migr\u0000' }),
          'category:',
        ],
        [
          () =>
            lead
              .post(`${CAP}/entries`)
              .send({ ...entry, consumerRef: 'group:default/x\u0000' }),
          'consumerRef:',
        ],
        [
          () =>
            lead
              .post(`${CAP}/entries`)
              .send({ ...entry, evidenceUrl: 'https://e.com/\u0000' }),
          'evidenceUrl:',
        ],
        [
          () =>
            lead
              .post(`${CAP}/entries`)
              .send({ ...entry, occurredAt: '2026-01-01T00:00:00\u0000Z' }),
          'occurredAt:',
        ],
        [
          () =>
            lead
              .put(`${CAP}/pulse`)
              .send({ sentiment: 'up', comment: '\u0000' }),
          'comment: must not contain control characters',
        ],
        [
          () => lead.post(`${CAP}/entries/1/revert`).send({ reason: '\u0000' }),
          'reason: must not contain control characters',
        ],
        [
          () =>
            lead
              .post(`${API}/scores`)
              .send({ entityRefs: ['component:default/a\u0000'] }),
          'entityRefs.0:',
        ],
        [
          () =>
            lead.post(`${CAP}/preflight`).send({
              category: 'migration',
              amount: 5,
              consumerRefs: ['group:x\u0000'],
            }),
          'consumerRefs.0:',
        ],
        [() => lead.get(`${CAP}/entries?category=%00`), 'category:'],
        [
          () => lead.get(`${CAP}/entries?consumerRef=group:default/x%00`),
          'consumerRef:',
        ],
        [() => lead.get(`${API}/entities/component/default/c%00i`), 'path:'],
        [
          () => lead.get(`${API}/entities/comp%00onent/default/ci/entries`),
          'path:',
        ],
      ];
      for (const [call, message] of cases) {
        const res = await call();
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: 400,
          message: expect.stringContaining(message),
        });
      }
      // Multi-line fields keep their line breaks.
      const ok = await lead
        .post(`${CAP}/entries`)
        .send({ ...entry, description: 'line one\nline two\ttabbed' });
      expect(ok.status).toBe(201);
      expect(ok.body.entry.description).toBe('line one\nline two\ttabbed');
      expect(await count(knex, 'trust_entries')).toBe(before + 1);
    });

    it('answers an edited, foreign or forged cursor with a 400', async () => {
      const lead = backend.as(LEAD);
      for (let i = 0; i < 3; i++) {
        await lead.post(`${CAP}/entries`).send({ ...entry, amount: i + 1 });
      }
      const page = await lead.get(`${CAP}/entries?limit=1`);
      const cursor: string = page.body.nextCursor;
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      // Opaque: nothing of the position reads through.
      expect(isReadableJson(cursor)).toBe(false);
      expect(
        (await lead.get(`${CAP}/entries?limit=1&cursor=${cursor}`)).status,
      ).toBe(200);

      const flipped =
        cursor.slice(0, 20) +
        (cursor[20] === 'A' ? 'B' : 'A') +
        cursor.slice(21);
      const forged = [
        flipped,
        Buffer.from(JSON.stringify([1e300, '1'])).toString('base64url'),
        Buffer.from(JSON.stringify([0, '9999999999999999999999999'])).toString(
          'base64url',
        ),
        Buffer.from(JSON.stringify([0, 1.5, 1e10])).toString('base64url'),
        'zzz',
        'a'.repeat(999),
      ];
      for (const bad of forged) {
        const res = await lead.get(`${CAP}/entries?cursor=${bad}`);
        expect({
          bad,
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          bad,
          status: 400,
          message: 'cursor: is not a cursor this API returned',
        });
      }
      // A cursor of one ledger does not page another, nor the leaderboard.
      const other = await lead.get(
        `${API}/entities/component/default/app/entries?cursor=${cursor}`,
      );
      expect(other.status).toBe(400);
      const board = await lead.get(`${API}/leaderboard?cursor=${cursor}`);
      expect(board.status).toBe(400);
      for (const bad of forged) {
        expect(
          (await lead.get(`${API}/leaderboard?cursor=${bad}`)).status,
        ).toBe(400);
      }
    });

    it('answers an empty page for a consumer filter the caller cannot see, and names no hidden consumer', async () => {
      const lead = backend.as(LEAD);
      const outsider = backend.as(OUTSIDER);
      const recorded = await lead
        .post(`${CAP}/entries`)
        .send({ ...entry, consumerRef: 'group:default/secret-team' });
      expect(recorded.status).toBe(201);
      const seen = await lead.get(
        `${CAP}/entries?consumerRef=group:default/secret-team`,
      );
      expect(seen.body.entries.length).toBeGreaterThan(0);

      const filtered = await outsider.get(
        `${CAP}/entries?consumerRef=group:default/secret-team`,
      );
      expect(filtered.status).toBe(200);
      expect(filtered.body).toEqual({ entries: [] });
      const all = await outsider.get(`${CAP}/entries?limit=100`);
      expect(JSON.stringify(all.body)).not.toContain('secret-team');
      const summary = await outsider.get(CAP);
      expect(JSON.stringify(summary.body)).not.toContain('secret-team');
      const preflight = await outsider
        .post(`${CAP}/preflight`)
        .send({ category: 'migration', amount: 5 });
      expect(preflight.status).toBe(200);
      expect(JSON.stringify(preflight.body)).not.toContain('secret-team');
      expect(preflight.body.consumers.map((c: any) => c.consumerRef)).toEqual([
        'group:default/team-a',
      ]);
      const leadPreflight = await lead
        .post(`${CAP}/preflight`)
        .send({ category: 'migration', amount: 5 });
      expect(
        leadPreflight.body.consumers.map((c: any) => c.consumerRef).sort(),
      ).toEqual(['group:default/secret-team', 'group:default/team-a']);
    });

    it('pages the leaderboard over visible entities only, each once, with opaque cursors', async () => {
      const lead = backend.as(LEAD);
      for (let i = 0; i < 24; i++) {
        const res = await lead
          .post(`${API}/entities/component/default/cap-${i}/entries`)
          .send({ ...entry, amount: 1 + i });
        expect(res.status).toBe(201);
      }
      const walk = async (user: string, order: string) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 50; pages++) {
          const res = await backend
            .as(user)
            .get(
              `${API}/leaderboard?order=${order}&limit=3${
                cursor ? `&cursor=${cursor}` : ''
              }`,
            );
          expect(res.status).toBe(200);
          seen.push(...res.body.items.map((i: any) => i.entityRef));
          cursor = res.body.nextCursor;
          if (!cursor) break;
          expect(isReadableJson(cursor)).toBe(false);
        }
        return seen.filter(ref => ref.includes('/cap-'));
      };
      for (const order of ['asc', 'desc']) {
        const outsiderSees = await walk(OUTSIDER, order);
        const expected = Array.from({ length: 24 }, (_, i) => i)
          .filter(i => i % 2 === 0)
          .map(i => `component:default/cap-${i}`);
        if (order === 'desc') expected.reverse();
        expect(outsiderSees).toEqual(expected);
        const leadSees = await walk(LEAD, order);
        expect(new Set(leadSees).size).toBe(24);
        expect(leadSees).toHaveLength(24);
      }
    });

    it('refuses to revert a pulse; the sender withdraws it and can pulse again', async () => {
      const lead = backend.as(LEAD);
      const outsider = backend.as(OUTSIDER);
      const pulse = await outsider
        .put(`${CAP}/pulse`)
        .send({ sentiment: 'down' });
      expect(pulse.status).toBe(200);
      const revert = await lead
        .post(`${CAP}/entries/${pulse.body.entry.id}/revert`)
        .send({ reason: 'Unfair' });
      expect(revert.status).toBe(409);
      expect(revert.body.error.message).toContain(
        'only its sender can withdraw it',
      );
      // The old behaviour: the user's next pulse hit the unique index (500).
      const again = await outsider
        .put(`${CAP}/pulse`)
        .send({ sentiment: 'up' });
      expect(again.status).toBe(200);
      expect(again.body.replaced).toBe(true);
      const withdrawn = await outsider.delete(`${CAP}/pulse`);
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body.withdrawn).toBe(true);
      expect(withdrawn.body.summary.pulses.last7Days).toEqual({
        up: 0,
        down: 0,
      });
      expect((await outsider.delete(`${CAP}/pulse`)).body.withdrawn).toBe(
        false,
      );
      expect(
        (await outsider.put(`${CAP}/pulse`).send({ sentiment: 'up' })).body
          .replaced,
      ).toBe(false);
    });
  },
);
