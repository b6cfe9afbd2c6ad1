import { ConflictError, InputError } from '@backstage/errors';
import { actionContext } from '../__testUtils__/context';
import {
  createTestDatabases,
  entity,
  startRealFreeboard,
} from '../__testUtils__/realFreeboard';

/*
 * The three actions against the REAL Freeboard backend plugin (its routes,
 * validation, permissions and ledger on SQLite), reached over HTTP with a
 * token issued on behalf of the task's initiator, as in a running Backstage.
 * Only the catalog and the scaffolder around them are stand-ins.
 */

jest.setTimeout(60_000);

const databases = createTestDatabases();

const ADA = 'user:default/ada';
const LEAD = 'user:default/lead';
const CI = 'component:default/ci';
const TRUST = '/trust/entities/component/default/ci';
const PHASES = '/phases/entities/component/default/ci';

const entities = [
  entity('Component', 'ci', [
    ['ownedBy', 'group:default/platform'],
    ['dependencyOf', 'component:default/app-a'],
    ['dependencyOf', 'component:default/app-b'],
  ]),
  entity('Component', 'app-a', [['ownedBy', 'group:default/team-a']]),
  entity('Component', 'app-b', [['ownedBy', 'group:default/team-b']]),
  entity('Group', 'platform'),
  entity('Group', 'team-a'),
  entity('Group', 'team-b'),
];

describe('the actions against the real Freeboard backend', () => {
  let freeboard: Awaited<ReturnType<typeof startRealFreeboard>>;

  beforeEach(async () => {
    freeboard = await startRealFreeboard({ databases, entities });
  });

  afterEach(async () => {
    await freeboard.stop();
  });

  const run = async (
    actionId: string,
    input: Parameters<typeof actionContext>[0],
    options: { isDryRun?: boolean; taskId?: string; user?: string } = {},
  ) => {
    const c = actionContext(input, options);
    await freeboard.action(actionId).handler(c.ctx as any);
    return c;
  };

  const entries = async () => {
    const res = await freeboard.api(LEAD, 'GET', `${TRUST}/entries?limit=100`);
    expect(res.status).toBe(200);
    return res.body.entries as Array<{
      id: string;
      title: string;
      direction: string;
      amount: number;
      consumerRef?: string;
      recordedBy: string;
    }>;
  };

  /** Each consumer team earns `amount` with ci, recorded by the lead. */
  const earn = async (amount: number) => {
    for (const team of ['group:default/team-a', 'group:default/team-b']) {
      const res = await freeboard.api(LEAD, 'POST', `${TRUST}/entries`, {
        category: 'self-service',
        amount,
        title: `Self-service for ${team}`,
        consumerRef: team,
      });
      expect(res.status).toBe(201);
    }
  };

  const recordInput = {
    entityRef: 'component:ci',
    category: 'migration',
    amount: 4,
    title: 'Pipelines move to the v3 runners',
    consumerRef: 'group:default/team-a',
  };

  it('records an entry as the initiator, once for a retried step', async () => {
    const first = await run('freeboard:trust:record', recordInput, {
      user: ADA,
      taskId: 'task-1',
    });
    const entryId = first.outputs().entryId;
    expect(first.outputs()).toMatchObject({ entityRef: CI, balance: -4 });
    expect(await entries()).toEqual([
      expect.objectContaining({
        id: entryId,
        direction: 'spend',
        amount: 4,
        title: 'Pipelines move to the v3 runners',
        consumerRef: 'group:default/team-a',
        recordedBy: ADA,
      }),
    ]);

    // The scaffolder runs the same step of the same task again.
    const retried = await run('freeboard:trust:record', recordInput, {
      user: ADA,
      taskId: 'task-1',
    });
    expect(retried.outputs().entryId).toBe(entryId);
    expect(await entries()).toHaveLength(1);

    // Another iteration of the same `each` step (another consumer) and
    // another task are other entries.
    await run(
      'freeboard:trust:record',
      { ...recordInput, consumerRef: 'group:default/team-b' },
      { user: ADA, taskId: 'task-1' },
    );
    await run('freeboard:trust:record', recordInput, {
      user: ADA,
      taskId: 'task-2',
    });
    expect((await entries()).map(e => e.consumerRef).sort()).toEqual([
      'group:default/team-a',
      'group:default/team-a',
      'group:default/team-b',
    ]);
  });

  it("reads Freeboard's 400 readably, naming the field", async () => {
    const failing = run(
      'freeboard:trust:record',
      { ...recordInput, evidenceUrl: 'ftp://tickets.example.com/PLAT-42' },
      { user: ADA },
    );
    await expect(failing).rejects.toThrow(InputError);
    await expect(failing).rejects.toThrow(
      /^Recording migration on component:default\/ci: Freeboard answered 400 Bad Request: .*evidenceUrl/,
    );
    expect(await entries()).toEqual([]);
  });

  it('fails the pre-flight on an overdraw with a table, and passes when allowed', async () => {
    await earn(10);

    const affordable = await run(
      'freeboard:trust:preflight',
      { entityRef: CI, category: 'migration', amount: 5 },
      { user: ADA },
    );
    expect(affordable.outputs()).toMatchObject({
      entityRef: CI,
      overdrawnConsumers: [],
    });
    expect(
      (affordable.outputs().consumers as any[]).map(c => [
        c.consumerRef,
        c.balance,
        c.projectedBalance,
      ]),
    ).toEqual([
      ['group:default/team-a', 10, 5],
      ['group:default/team-b', 10, 5],
    ]);

    const overdraw = {
      entityRef: CI,
      category: 'migration',
      amount: 30,
    };
    const refused = actionContext(overdraw, { user: ADA });
    await expect(
      freeboard.action('freeboard:trust:preflight').handler(refused.ctx as any),
    ).rejects.toThrow(/overdraw.*group:default\/team-a \(-20\.00\)/s);
    expect(refused.logged()).toMatch(
      /Consumer +Balance now +After +Level after\n[- ]+\ngroup:default\/team-a +10\.00 +-20\.00 +overdrawn/,
    );

    const allowed = await run(
      'freeboard:trust:preflight',
      { ...overdraw, allowOverdrawn: true },
      { user: ADA },
    );
    expect(allowed.outputs().overdrawnConsumers).toEqual([
      'group:default/team-a',
      'group:default/team-b',
    ]);
    expect(allowed.logged()).toContain('the template allows it');

    // A pre-flight writes nothing: only the two earnings are on the ledger.
    expect((await entries()).map(e => e.direction)).toEqual(['earn', 'earn']);
  });

  it('ticks a criterion as the initiator and refuses a measured one', async () => {
    expect((await freeboard.api(LEAD, 'POST', `${PHASES}/start`)).status).toBe(
      201,
    );
    const ticked = await run(
      'freeboard:phases:set-criterion',
      {
        entityRef: CI,
        criterionId: 'discovery.golden-paths',
        phase: 'discovery',
        reason: 'The template deployed one',
      },
      { user: ADA },
    );
    expect(ticked.outputs()).toMatchObject({
      entityRef: CI,
      phase: 'discovery',
      version: 2,
      changed: true,
    });
    const state = (await freeboard.api(LEAD, 'GET', PHASES)).body;
    expect(
      state.phases[0].criteria.find(
        (c: { id: string }) => c.id === 'discovery.golden-paths',
      ),
    ).toMatchObject({
      state: 'done',
      changedBy: ADA,
      reason: 'The template deployed one',
    });

    // Already done: nothing to write.
    const again = await run(
      'freeboard:phases:set-criterion',
      { entityRef: CI, criterionId: 'discovery.golden-paths' },
      { user: ADA },
    );
    expect(again.outputs()).toMatchObject({ version: 2, changed: false });

    const measured = run(
      'freeboard:phases:set-criterion',
      { entityRef: CI, criterionId: 'discovery.pioneer-selected' },
      { user: ADA },
    );
    await expect(measured).rejects.toThrow(ConflictError);
    await expect(measured).rejects.toThrow(/measured from the catalog/);
    expect((await freeboard.api(LEAD, 'GET', PHASES)).body.version).toBe(2);
  });

  it('writes nothing in dry runs', async () => {
    expect((await freeboard.api(LEAD, 'POST', `${PHASES}/start`)).status).toBe(
      201,
    );
    const record = await run('freeboard:trust:record', recordInput, {
      user: ADA,
      isDryRun: true,
    });
    expect(record.outputs()).toMatchObject({ entityRef: CI, balance: 0 });
    expect(record.logged()).toContain('nothing was written');
    expect(await entries()).toEqual([]);

    // A dry run still meets Freeboard's validation.
    await expect(
      run(
        'freeboard:trust:record',
        { ...recordInput, consumerRef: 'group:default/nobody' },
        { user: ADA, isDryRun: true },
      ),
    ).rejects.toThrow(/400 Bad Request: .*group:default\/nobody/);

    const tick = await run(
      'freeboard:phases:set-criterion',
      { entityRef: CI, criterionId: 'discovery.technical-outcomes' },
      { user: ADA, isDryRun: true },
    );
    expect(tick.outputs()).toMatchObject({ version: 1, changed: false });
    const state = (await freeboard.api(LEAD, 'GET', PHASES)).body;
    expect(state.version).toBe(1);
    expect(
      state.phases[0].criteria.find(
        (c: { id: string }) => c.id === 'discovery.technical-outcomes',
      ).state,
    ).toBe('open');

    const preflight = await run(
      'freeboard:trust:preflight',
      { entityRef: CI, category: 'migration', amount: 5, allowOverdrawn: true },
      { user: ADA, isDryRun: true },
    );
    expect(preflight.logged()).toContain('a pre-flight writes nothing');
    expect(await entries()).toEqual([]);
  });
});
