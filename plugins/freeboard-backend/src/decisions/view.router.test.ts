import { mockCredentials } from '@backstage/backend-test-utils';
import { FLOAT_OR_SINK_ANNOTATIONS as A } from '@freeboard/backstage-plugin-common';
import request from 'supertest';
import {
  LEAD,
  OUTSIDER,
  catalogEntity,
  startReadsBackend,
} from '../__testUtils__/readsBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';

/*
 * The decision view over HTTP, on SQLite and PostgreSQL: the decision and
 * its overdue days from the annotations, consumer teams as the caller sees
 * them, retirement progress towards an entity replacement and towards a
 * vendor name, 404 for what the caller cannot see, 400 for bad path parts.
 */

jest.setTimeout(120_000);

const databases = createTestDatabases();
const API = '/api/freeboard/decisions/entities/component/default';
const DAY_MS = 24 * 60 * 60 * 1000;
const daysFromToday = (days: number) =>
  new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

const team = (name: string) => `group:default/${name}`;
const app = (name: string, owner: string) =>
  catalogEntity('Component', name, {
    relations: [['ownedBy', team(owner)]],
  });
const dependents = (...names: string[]): Array<[string, string]> =>
  names.map(name => ['dependencyOf', `component:default/${name}`]);

/** Computed when the backend starts; the view reads the real clock. */
const OVERDUE_BY = 3;
const REVIEW_BY = daysFromToday(-OVERDUE_BY);
const REVIEW_TODAY = daysFromToday(0);

const entities = [
  // Floating towards another entity; team-a is on both (not moved yet),
  // team-c and hidden-movers moved, secret-team and team-b remain.
  catalogEntity('Component', 'ci', {
    annotations: {
      [A.decision]: 'float',
      [A.baseCapability]: 'GitHub Actions',
      [A.reviewBy]: REVIEW_BY,
      [A.replacedBy]: 'component:default/runners',
    },
    relations: dependents('app-a', 'app-b', 'secret-app'),
  }),
  catalogEntity('Component', 'runners', {
    relations: dependents('app-a', 'app-c', 'mover-app'),
  }),
  // Floating towards a vendor: nobody can have moved in the catalog.
  catalogEntity('Component', 'clusters', {
    annotations: {
      [A.decision]: 'float',
      [A.baseCapability]: 'Kubernetes',
      [A.replacedBy]: 'Amazon EKS',
    },
    relations: dependents('app-b'),
  }),
  // A replacement only the lead can see, and one that does not exist.
  catalogEntity('Component', 'queues', {
    annotations: {
      [A.decision]: 'float',
      [A.replacedBy]: 'component:default/secret-queues',
    },
    relations: dependents('app-a'),
  }),
  catalogEntity('Component', 'secret-queues', {
    relations: dependents('app-c'),
  }),
  catalogEntity('Component', 'logs', {
    annotations: {
      [A.decision]: 'float',
      [A.replacedBy]: 'component:default/nowhere',
    },
  }),
  catalogEntity('Component', 'builds', {
    annotations: {
      [A.decision]: 'sink',
      [A.baseCapability]: 'None: unique to the company',
      [A.rationale]: 'Nothing else does this',
      [A.reviewBy]: REVIEW_TODAY,
    },
    relations: dependents('app-c'),
  }),
  catalogEntity('Component', 'broken', {
    annotations: { [A.decision]: 'maybe', [A.reviewBy]: 'soon' },
    relations: dependents('app-b'),
  }),
  catalogEntity('Component', 'plain'),
  catalogEntity('Component', 'hidden', {
    annotations: { [A.decision]: 'sink' },
  }),
  app('app-a', 'team-a'),
  app('app-b', 'team-b'),
  app('app-c', 'team-c'),
  app('secret-app', 'secret-team'),
  app('mover-app', 'hidden-movers'),
  ...['team-a', 'team-b', 'team-c', 'secret-team', 'hidden-movers'].map(name =>
    catalogEntity('Group', name),
  ),
];

const hidden = {
  [OUTSIDER]: [
    'component:default/hidden',
    'component:default/secret-queues',
    team('secret-team'),
    team('hidden-movers'),
  ],
};

describe.each(databases.eachSupportedId())(
  'decision view route on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startReadsBackend>>;

    beforeAll(async () => {
      backend = await startReadsBackend({
        knex: await databases.init(databaseId),
        entities,
        hidden,
      });
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('shows the decision, its overdue days, consumers and retirement towards an entity', async () => {
      const res = await backend.as(LEAD).get(`${API}/ci`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entityRef: 'component:default/ci',
        decision: {
          decision: 'float',
          baseCapability: 'GitHub Actions',
          reviewBy: REVIEW_BY,
          replacedBy: 'component:default/runners',
          review: {
            reviewBy: REVIEW_BY,
            dueInDays: -OVERDUE_BY,
            overdueDays: OVERDUE_BY,
          },
        },
        problems: [],
        consumerTeams: [team('secret-team'), team('team-a'), team('team-b')],
        retirement: {
          remainingTeams: [team('secret-team'), team('team-a'), team('team-b')],
          movedTeams: [team('hidden-movers'), team('team-c')],
          replacementRef: 'component:default/runners',
          progress: 0.4,
        },
      });
    });

    it('neither lists nor counts teams the caller cannot see', async () => {
      const res = await backend.as(OUTSIDER).get(`${API}/ci`);
      expect(res.status).toBe(200);
      expect(res.body.consumerTeams).toEqual([team('team-a'), team('team-b')]);
      expect(res.body.retirement).toEqual({
        remainingTeams: [team('team-a'), team('team-b')],
        movedTeams: [team('team-c')],
        replacementRef: 'component:default/runners',
        progress: Math.round((1 / 3) * 1e6) / 1e6,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/secret-team|hidden-movers/);
    });

    it('measures no move towards a vendor name, a missing or a hidden replacement', async () => {
      const clusters = await backend.as(LEAD).get(`${API}/clusters`);
      expect(clusters.body.decision.replacedBy).toBe('Amazon EKS');
      expect(clusters.body.retirement).toEqual({
        remainingTeams: [team('team-b')],
        movedTeams: [],
        progress: 0,
      });

      const logs = await backend.as(LEAD).get(`${API}/logs`);
      expect(logs.body.consumerTeams).toEqual([]);
      expect(logs.body.retirement).toEqual({
        remainingTeams: [],
        movedTeams: [],
        progress: 0,
      });

      const seen = await backend.as(LEAD).get(`${API}/queues`);
      expect(seen.body.retirement).toEqual({
        remainingTeams: [team('team-a')],
        movedTeams: [team('team-c')],
        replacementRef: 'component:default/secret-queues',
        progress: 0.5,
      });
      const unseen = await backend.as(OUTSIDER).get(`${API}/queues`);
      expect(unseen.body.retirement).toEqual({
        remainingTeams: [team('team-a')],
        movedTeams: [],
        progress: 0,
      });
      // The annotation is the entity's own, so it is shown as written.
      expect(unseen.body.decision.replacedBy).toBe(
        'component:default/secret-queues',
      );
    });

    it('shows a sink due today without retirement, invalid annotations as problems', async () => {
      const builds = await backend.as(LEAD).get(`${API}/builds`);
      expect(builds.body).toEqual({
        entityRef: 'component:default/builds',
        decision: {
          decision: 'sink',
          baseCapability: 'None: unique to the company',
          rationale: 'Nothing else does this',
          reviewBy: REVIEW_TODAY,
          review: { reviewBy: REVIEW_TODAY, dueInDays: 0 },
        },
        problems: [],
        consumerTeams: [team('team-c')],
      });

      const broken = await backend.as(LEAD).get(`${API}/broken`);
      expect(broken.status).toBe(200);
      expect(broken.body.decision).toBeUndefined();
      expect(broken.body.retirement).toBeUndefined();
      expect(broken.body.problems).toEqual([
        'freeboard.dev/float-or-sink must be "float" or "sink", got "maybe"',
        'freeboard.dev/review-by must be a date in the form YYYY-MM-DD, got "soon"',
      ]);
      expect(broken.body.consumerTeams).toEqual([team('team-b')]);

      const plain = await backend.as(LEAD).get(`${API}/Plain`);
      expect(plain.body).toEqual({
        entityRef: 'component:default/plain',
        problems: [],
        consumerTeams: [],
      });
    });

    it('answers 404 for an entity the caller cannot see, or that does not exist', async () => {
      expect((await backend.as(LEAD).get(`${API}/hidden`)).status).toBe(200);
      const res = await backend.as(OUTSIDER).get(`${API}/hidden`);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('sink');
      expect((await backend.as(LEAD).get(`${API}/nowhere`)).status).toBe(404);
    });

    it('answers 400 naming the path for bad path parts, 401 without a token', async () => {
      for (const path of [
        '/decisions/entities/component/default/bad%00name',
        '/decisions/entities/component/default/-bad-',
        `/decisions/entities/component/default/${'x'.repeat(300)}`,
        '/decisions/entities/com%20ponent/default/ci',
        '/decisions/entities/component/de%2Ffault/ci',
      ]) {
        const res = await backend.as(LEAD).get(`/api/freeboard${path}`);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.body.error.message).toMatch(/^path: /);
      }
      const res = await request(backend.server)
        .get(`${API}/ci`)
        .set('authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });
  },
);
