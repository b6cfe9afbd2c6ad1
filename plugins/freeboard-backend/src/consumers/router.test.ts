import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  LEAD,
  OUTSIDER,
  capabilityRow,
  catalogEntity,
  startReadsBackend,
} from '../__testUtils__/readsBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';

/*
 * The consumer view over HTTP, on SQLite and PostgreSQL: a team's own
 * balance with each capability it depends on or has a ledger with, its
 * last (non-reverted) charge and the capability's decision, lowest balance
 * first; a component stands for its owner team; hidden capabilities and
 * teams are not shown; a fixed number of queries and catalog calls however
 * many capabilities; 400 and 404 as for any entity route.
 */

jest.setTimeout(120_000);

const databases = createTestDatabases();
const API = '/api/freeboard/consumers';
const TRUST = '/api/freeboard/trust/entities/component/default';
const DAY_MS = 24 * 60 * 60 * 1000;
const ago = (days: number) =>
  new Date(Date.now() - days * DAY_MS).toISOString();

const team = (name: string) => `group:default/${name}`;
const cap = (name: string) => `component:default/${name}`;
const owned = (name: string, owner: string) =>
  catalogEntity('Component', name, { relations: [['ownedBy', owner]] });

/** Capabilities team-many depends on, to count queries and catalog calls. */
const MANY = Array.from({ length: 50 }, (_, i) => `many-${i}`);

const entities = [
  ...['team-a', 'team-b', 'secret-team', 'team-many'].map(name =>
    catalogEntity('Group', name),
  ),
  catalogEntity('User', 'someone'),
  owned('app-a', team('team-a')),
  owned('app-secret', team('secret-team')),
  owned('app-personal', 'user:default/someone'),
  catalogEntity('Component', 'app-orphan'),
  catalogEntity('Component', 'ci', { title: 'CI Pipelines' }),
  catalogEntity('Component', 'k8s'),
  catalogEntity('Component', 'logs', { title: 'Logging' }),
  catalogEntity('Component', 'ledger-only', { title: 'Quotas' }),
  catalogEntity('Component', 'hidden-cap'),
  catalogEntity('Component', 'other-teams', { title: 'Other' }),
  ...MANY.map(name => catalogEntity('Component', name)),
];
const hidden = {
  [OUTSIDER]: [cap('hidden-cap'), team('secret-team')],
};

describe.each(databases.eachSupportedId())(
  'consumer view route on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startReadsBackend>>;
    const record = async (
      capability: string,
      body: Record<string, unknown>,
    ) => {
      const res = await backend
        .as(LEAD)
        .post(`${TRUST}/${capability}/entries`)
        .send(body);
      if (res.status !== 201) {
        throw new Error(`record: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return res.body.entry;
    };
    const consumerBalance = async (capability: string, consumerRef: string) => {
      const res = await backend.as(LEAD).get(`${TRUST}/${capability}`);
      return res.body.consumers.find((c: any) => c.consumerRef === consumerRef)
        ?.balance;
    };

    beforeAll(async () => {
      backend = await startReadsBackend({
        knex: await databases.init(databaseId),
        entities,
        hidden,
      });
      const { knex } = backend;
      await knex('freeboard_capabilities').insert([
        capabilityRow(cap('ci'), { decision: 'float' }),
        capabilityRow(cap('k8s'), { decision: 'sink', baseCapability: 'EKS' }),
        capabilityRow(cap('logs'), { problems: ['bad'] }),
        capabilityRow(cap('hidden-cap'), { decision: 'sink' }),
        ...MANY.map(name => capabilityRow(cap(name), { decision: 'sink' })),
      ]);
      await knex('freeboard_capability_consumers').insert([
        ...['ci', 'k8s', 'logs', 'hidden-cap'].map(name => ({
          team_ref: team('team-a'),
          entity_ref: cap(name),
        })),
        { team_ref: team('secret-team'), entity_ref: cap('ci') },
        ...MANY.map(name => ({
          team_ref: team('team-many'),
          entity_ref: cap(name),
        })),
      ]);

      const A = team('team-a');
      await record('ci', {
        category: 'migration',
        amount: 20,
        title: 'Move to the new runners',
        consumerRef: A,
        occurredAt: ago(10),
      });
      const reverted = await record('ci', {
        category: 'breaking-change',
        amount: 15,
        title: 'Pipeline syntax v2',
        consumerRef: A,
        occurredAt: ago(2),
      });
      const revert = await backend
        .as(LEAD)
        .post(`${TRUST}/ci/entries/${reverted.id}/revert`)
        .send({ reason: 'Rolled back' });
      if (revert.status !== 201) throw new Error(`revert: ${revert.status}`);
      await record('ci', {
        category: 'docs-improved',
        amount: 5,
        title: 'Migration guide',
        consumerRef: A,
        occurredAt: ago(1),
      });
      // Charged to another team: not team-a's.
      await record('ci', {
        category: 'outage',
        amount: 12,
        title: 'Runner outage',
        consumerRef: team('team-b'),
      });
      await record('k8s', {
        category: 'self-service',
        amount: 30,
        title: 'Namespaces on demand',
        consumerRef: A,
      });
      await record('ledger-only', {
        category: 'mandate',
        amount: 10,
        title: 'Quotas mandatory',
        consumerRef: A,
        occurredAt: ago(3),
      });
      await record('hidden-cap', {
        category: 'outage',
        amount: 50,
        title: 'Secret outage',
        consumerRef: A,
      });
      await record('other-teams', {
        category: 'mandate',
        amount: 3,
        title: 'Not team-a',
        consumerRef: team('team-b'),
      });
      for (const [i, name] of MANY.entries()) {
        await record(name, {
          category: 'migration',
          amount: 1 + i,
          title: `Charge ${i}`,
          consumerRef: team('team-many'),
        });
      }
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it("lists the team's balance with each capability, lowest first", async () => {
      const res = await backend
        .as(LEAD)
        .get(`${API}/group/default/team-a/balances`);
      expect(res.status).toBe(200);
      expect(res.body.teamRef).toBe(team('team-a'));
      expect(res.body.componentRef).toBeUndefined();
      const A = team('team-a');
      const expected = {
        ci: await consumerBalance('ci', A),
        k8s: await consumerBalance('k8s', A),
        'ledger-only': await consumerBalance('ledger-only', A),
        'hidden-cap': await consumerBalance('hidden-cap', A),
      };
      // The ledger's own per-consumer sums, which the view must not recompute.
      expect(expected.k8s).toBeCloseTo(30, 3);
      expect(expected['hidden-cap']).toBeCloseTo(-50, 3);
      expect(expected['ledger-only']).toBeCloseTo(-10 * 2 ** (-3 / 180), 3);

      const items = res.body.items;
      expect(items.map((i: any) => i.entityRef)).toEqual([
        cap('hidden-cap'),
        cap('ci'),
        cap('ledger-only'),
        cap('logs'),
        cap('k8s'),
      ]);
      const byRef = new Map<string, any>(
        items.map((i: any) => [i.entityRef, i]),
      );
      expect(byRef.get(cap('ci'))).toEqual({
        entityRef: cap('ci'),
        title: 'CI Pipelines',
        balance: expect.any(Number),
        level: 'overdrawn',
        // The migration, the breaking change, its correction, the guide.
        entryCount: 4,
        lastCharge: {
          title: 'Move to the new runners',
          category: 'migration',
          amount: 20,
          occurredAt: expect.any(String),
        },
        decision: 'float',
      });
      expect(byRef.get(cap('ci')).balance).toBeCloseTo(expected.ci, 4);
      expect(
        Date.parse(byRef.get(cap('ci')).lastCharge.occurredAt),
      ).toBeLessThan(Date.now() - 9 * DAY_MS);
      expect(byRef.get(cap('k8s'))).toEqual({
        entityRef: cap('k8s'),
        title: 'k8s',
        balance: expect.any(Number),
        level: 'healthy',
        entryCount: 1,
        decision: 'sink',
      });
      expect(byRef.get(cap('k8s')).balance).toBeCloseTo(expected.k8s, 4);
      // Depended on, nothing in the ledger, no valid decision.
      expect(byRef.get(cap('logs'))).toEqual({
        entityRef: cap('logs'),
        title: 'Logging',
        balance: 0,
        level: 'thin',
        entryCount: 0,
      });
      // A ledger with the team, no dependency row.
      expect(byRef.get(cap('ledger-only'))).toMatchObject({
        title: 'Quotas',
        level: 'overdrawn',
        entryCount: 1,
        lastCharge: {
          title: 'Quotas mandatory',
          category: 'mandate',
          amount: 10,
        },
      });
      expect(byRef.get(cap('ledger-only')).balance).toBeCloseTo(
        expected['ledger-only'],
        4,
      );
      expect(JSON.stringify(res.body)).not.toContain('other-teams');
    });

    it('answers for the owner team of a component', async () => {
      const direct = await backend
        .as(LEAD)
        .get(`${API}/group/default/team-a/balances`);
      const res = await backend
        .as(LEAD)
        .get(`${API}/component/default/App-A/balances`);
      expect(res.status).toBe(200);
      expect(res.body.teamRef).toBe(team('team-a'));
      expect(res.body.componentRef).toBe(cap('app-a'));
      expect(res.body.items.map((i: any) => i.entityRef)).toEqual(
        direct.body.items.map((i: any) => i.entityRef),
      );
    });

    it('leaves out capabilities and teams the caller cannot see', async () => {
      const res = await backend
        .as(OUTSIDER)
        .get(`${API}/group/default/team-a/balances`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: any) => i.entityRef)).toEqual([
        cap('ci'),
        cap('ledger-only'),
        cap('logs'),
        cap('k8s'),
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/hidden-cap|Secret outage/);

      // The hidden team itself: 404; through its component: not named.
      expect(
        (
          await backend
            .as(OUTSIDER)
            .get(`${API}/group/default/secret-team/balances`)
        ).status,
      ).toBe(404);
      const viaComponent = await backend
        .as(OUTSIDER)
        .get(`${API}/component/default/app-secret/balances`);
      expect(viaComponent.status).toBe(200);
      expect(viaComponent.body).toEqual({
        teamRef: '',
        componentRef: cap('app-secret'),
        items: [],
      });
      const lead = await backend
        .as(LEAD)
        .get(`${API}/component/default/app-secret/balances`);
      expect(lead.body.teamRef).toBe(team('secret-team'));
      expect(lead.body.items.map((i: any) => i.entityRef)).toEqual([cap('ci')]);
    });

    it('answers no team for an entity no group answers for', async () => {
      for (const [path, componentRef] of [
        ['component/default/app-personal', cap('app-personal')],
        ['component/default/app-orphan', cap('app-orphan')],
      ]) {
        const res = await backend.as(LEAD).get(`${API}/${path}/balances`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ teamRef: '', componentRef, items: [] });
      }
      const user = await backend
        .as(LEAD)
        .get(`${API}/user/default/someone/balances`);
      // A person is not a team, and not a component either.
      expect(user.body).toEqual({ teamRef: '', items: [] });
      // A group with nothing: a team, no items.
      const idle = await backend
        .as(LEAD)
        .get(`${API}/group/default/team-b/balances`);
      expect(idle.body.teamRef).toBe(team('team-b'));
      expect(idle.body.items.map((i: any) => i.entityRef)).toEqual([
        cap('ci'),
        cap('other-teams'),
      ]);
    });

    it('reads 50 capabilities with a few queries and one catalog round trip', async () => {
      const queries: string[] = [];
      const onQuery = (q: { sql: string }) => queries.push(q.sql);
      backend.knex.on('query', onQuery);
      const byRefs = backend.catalog.getEntitiesByRefs as jest.Mock;
      const byRef = backend.catalog.getEntityByRef as jest.Mock;
      byRefs.mockClear();
      byRef.mockClear();
      try {
        const res = await backend
          .as(LEAD)
          .get(`${API}/group/default/team-many/balances`);
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(50);
        expect(res.body.items[0]).toMatchObject({
          entityRef: cap('many-49'),
          lastCharge: { title: 'Charge 49', amount: 50 },
          decision: 'sink',
        });
        expect(res.body.items[49].lastCharge.title).toBe('Charge 0');
        expect(res.body.items.map((i: any) => i.balance)).toEqual(
          [...res.body.items.map((i: any) => i.balance)].sort(
            (a: number, b: number) => a - b,
          ),
        );
      } finally {
        backend.knex.off('query', onQuery);
      }
      expect(byRef).toHaveBeenCalledTimes(1);
      expect(byRefs).toHaveBeenCalledTimes(1);
      expect(byRefs.mock.calls[0][0].entityRefs).toHaveLength(50);
      // Transaction statements aside, five reads.
      const reads = queries.filter(sql => /^\s*select/i.test(sql));
      expect(reads).toHaveLength(5);
    });

    it('answers 404 for what the caller cannot see or what does not exist', async () => {
      expect(
        (
          await backend
            .as(OUTSIDER)
            .get(`${API}/component/default/hidden-cap/balances`)
        ).status,
      ).toBe(404);
      expect(
        (await backend.as(LEAD).get(`${API}/group/default/nowhere/balances`))
          .status,
      ).toBe(404);
    });

    it('answers 400 naming the path for bad path parts, 401 without a token', async () => {
      for (const path of [
        'group/default/bad%00name/balances',
        'group/default/-bad-/balances',
        `group/default/${'x'.repeat(300)}/balances`,
        'gr%20oup/default/team-a/balances',
      ]) {
        const res = await backend.as(LEAD).get(`${API}/${path}`);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.body.error.message).toMatch(/^path: /);
      }
      const res = await request(backend.server)
        .get(`${API}/group/default/team-a/balances`)
        .set('authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });
  },
);
