import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  LEAD,
  OUTSIDER,
  entity,
  startPhasesBackend,
} from '../__testUtils__/phasesBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseDecisionHistoryStore } from './store';

/*
 * The decision history route over HTTP, on SQLite and PostgreSQL: 404 for an
 * entity the caller cannot see, paging newest first, and 400 for bad input.
 */

jest.setTimeout(120_000);

const databases = createTestDatabases();

const API = '/api/freeboard/decisions/entities/component/default';
const CI = 'component:default/ci';
const T0 = new Date(Date.UTC(2026, 10, 24, 9, 0, 0, 123));

describe.each(databases.eachSupportedId())(
  'decision history route on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startPhasesBackend>>;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      backend = await startPhasesBackend({
        knex,
        entities: [entity('Component', 'ci'), entity('Component', 'hidden')],
        hidden: { [OUTSIDER]: ['component:default/hidden'] },
      });
      // The backend has migrated the database; events as the recorder writes them.
      const store = new DatabaseDecisionHistoryStore(knex);
      await store.apply(
        [
          {
            entityRef: CI,
            events: [{ type: 'first-seen', newValue: '{"decision":"sink"}' }],
            state: { values: { decision: 'sink' } },
          },
          {
            entityRef: 'component:default/hidden',
            events: [{ type: 'first-seen', newValue: '{"decision":"sink"}' }],
            state: { values: { decision: 'sink' } },
          },
        ],
        T0,
      );
      for (let i = 1; i <= 4; i += 1) {
        await store.apply(
          [
            {
              entityRef: CI,
              events: [
                {
                  type: 'changed',
                  field: 'rationale',
                  ...(i > 1 ? { oldValue: `r${i - 1}` } : {}),
                  newValue: `r${i}`,
                },
                ...(i === 4
                  ? [
                      {
                        type: 'invalid' as const,
                        newValue: '{}',
                        problems: ['a problem'],
                      },
                    ]
                  : []),
              ],
              state: { values: { decision: 'sink', rationale: `r${i}` } },
            },
          ],
          new Date(T0.getTime() + i * 60_000),
        );
      }
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('pages the history newest first', async () => {
      const lead = backend.as(LEAD);
      const first = await lead.get(`${API}/ci/history?limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.items).toEqual([
        {
          id: expect.any(Number),
          type: 'invalid',
          newValue: '{}',
          problems: ['a problem'],
          observedAt: new Date(T0.getTime() + 4 * 60_000).toISOString(),
        },
        {
          id: expect.any(Number),
          type: 'changed',
          field: 'rationale',
          oldValue: 'r3',
          newValue: 'r4',
          observedAt: new Date(T0.getTime() + 4 * 60_000).toISOString(),
        },
      ]);
      expect(first.body.nextCursor).toEqual(expect.any(String));

      const rest = await lead.get(
        `${API}/ci/history?limit=100&cursor=${first.body.nextCursor}`,
      );
      expect(rest.status).toBe(200);
      expect(rest.body.items.map((e: any) => e.newValue)).toEqual([
        'r3',
        'r2',
        'r1',
        '{"decision":"sink"}',
      ]);
      expect(rest.body.items[3]).toEqual({
        id: expect.any(Number),
        type: 'first-seen',
        newValue: '{"decision":"sink"}',
        observedAt: T0.toISOString(),
      });
      expect(rest.body.nextCursor).toBeUndefined();

      // The default page holds them all.
      const all = await lead.get(`${API}/ci/history`);
      expect(all.body.items).toHaveLength(6);
    });

    it('answers 404 for an entity the caller cannot see, or that does not exist', async () => {
      expect((await backend.as(LEAD).get(`${API}/hidden/history`)).status).toBe(
        200,
      );
      const hidden = await backend.as(OUTSIDER).get(`${API}/hidden/history`);
      expect(hidden.status).toBe(404);
      expect(JSON.stringify(hidden.body)).not.toContain('sink');
      expect(
        (await backend.as(LEAD).get(`${API}/nowhere/history`)).status,
      ).toBe(404);
    });

    it('answers 400 for a bad cursor, a cursor of another history, or a bad limit', async () => {
      const lead = backend.as(LEAD);
      const other = await lead.get(`${API}/ci/history?limit=1`);
      for (const query of [
        'cursor=not-a-cursor',
        `cursor=${other.body.nextCursor.slice(0, -2)}AA`,
        'limit=0',
        'limit=101',
        'limit=abc',
        'limit=1&limit=2',
        'unknown=1',
      ]) {
        const res = await lead.get(`${API}/ci/history?${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
      }
      // A cursor of one entity's history does not page another's.
      const hidden = await lead.get(
        `${API}/hidden/history?cursor=${other.body.nextCursor}`,
      );
      expect(hidden.status).toBe(400);
      expect(hidden.body.error.message).toMatch(/cursor/);
    });

    it('answers 401 without a token', async () => {
      const res = await request(backend.server)
        .get(`${API}/ci/history`)
        .set('authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });
  },
);
