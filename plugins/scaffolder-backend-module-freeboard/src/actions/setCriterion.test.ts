import { ConflictError } from '@backstage/errors';
import { startFakeFreeboard } from '../__testUtils__/fakeFreeboard';
import { actionContext } from '../__testUtils__/context';

/*
 * The set-criterion action against a stand-in Freeboard plugin: it checks the
 * criterion against the initiative it reads, writes with the version it read,
 * and a dry run only reads.
 */

const PATH = '/phases/entities/component/default/kubernetes-runtime';

const criterion = (id: string, state: string, kind = 'manual') => ({
  id,
  title: id,
  kind,
  source: 'template',
  state,
});

const initiative = (overrides: object = {}) => ({
  entityRef: 'component:default/kubernetes-runtime',
  started: true,
  iteration: 1,
  phase: 'deployment',
  version: 7,
  phases: [
    {
      id: 'integration',
      status: 'done',
      criteria: [criterion('integration.infrastructure-built', 'done')],
      signoffs: [],
    },
    {
      id: 'deployment',
      status: 'current',
      criteria: [
        criterion('deployment.representative-apps', 'open'),
        criterion('deployment.pioneer-adopted', 'open', 'measured'),
        criterion('own-3', 'done'),
      ],
      signoffs: [],
    },
  ],
  blockers: [{ kind: 'criterion', id: 'x', title: 'Pioneer team adopted' }],
  cohorts: [],
  adoption: {},
  ...overrides,
});

describe('freeboard:phases:set-criterion', () => {
  let fake: Awaited<ReturnType<typeof startFakeFreeboard>>;

  beforeEach(async () => {
    fake = await startFakeFreeboard();
    fake.respond(`GET ${PATH}`, () => initiative());
    fake.respond(`PUT ${PATH}/criteria/deployment.representative-apps`, () => ({
      state: initiative({ version: 8 }),
    }));
  });

  afterEach(async () => {
    await fake.backend.stop();
  });

  const run = (input: object, options: { isDryRun?: boolean } = {}) => {
    const c = actionContext(
      {
        entityRef: 'component:default/kubernetes-runtime',
        criterionId: 'deployment.representative-apps',
        ...input,
      },
      options,
    );
    return {
      ...c,
      done: fake.action('freeboard:phases:set-criterion').handler(c.ctx),
    };
  };

  it('ticks the criterion as the initiator, with the version it read', async () => {
    const { done, outputs } = run({
      phase: 'deployment',
      reason: 'Shop deployed',
    });
    await expect(done).resolves.toBeUndefined();
    expect(fake.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `GET ${PATH}`,
      `PUT ${PATH}/criteria/deployment.representative-apps`,
    ]);
    expect(fake.requests[1]).toMatchObject({
      caller: 'user:default/ada',
      body: { state: 'done', expectedVersion: 7, reason: 'Shop deployed' },
    });
    expect(outputs()).toEqual({
      entityRef: 'component:default/kubernetes-runtime',
      phase: 'deployment',
      version: 8,
      changed: true,
      blockers: ['Pioneer team adopted'],
    });
  });

  it('only reads in a dry run', async () => {
    const { done, outputs, logged } = run({}, { isDryRun: true });
    await expect(done).resolves.toBeUndefined();
    expect(fake.requests.map(r => r.method)).toEqual(['GET']);
    expect(outputs()).toMatchObject({ changed: false, version: 7 });
    expect(logged()).toContain(
      'Dry run: would tick "deployment.representative-apps" (deployment.representative-apps, now open) ' +
        'in the deployment phase of component:default/kubernetes-runtime; nothing was written',
    );
  });

  it('leaves a criterion already in the wanted state alone', async () => {
    const { done, outputs } = run({ criterionId: 'own-3' });
    await expect(done).resolves.toBeUndefined();
    expect(fake.requests.map(r => r.method)).toEqual(['GET']);
    expect(outputs()).toMatchObject({ changed: false });
  });

  it('unticks with state open', async () => {
    fake.respond(`PUT ${PATH}/criteria/own-3`, () => ({ state: initiative() }));
    await run({ criterionId: 'own-3', state: 'open' }).done;
    expect(fake.requests[1].body).toEqual({
      state: 'open',
      expectedVersion: 7,
    });
  });

  it.each([
    [
      { phase: 'adoption' },
      'phase: the initiative of component:default/kubernetes-runtime is in deployment, not adoption',
    ],
    [
      { criterionId: 'integration.infrastructure-built' },
      'criterionId: "integration.infrastructure-built" belongs to integration, and the initiative of component:default/kubernetes-runtime is in deployment',
    ],
    [
      { criterionId: 'deployment.pioneer-adopted' },
      'is measured from the catalog and cannot be ticked by hand',
    ],
    [
      { criterionId: 'deployment.nothing' },
      'criterionId: the deployment phase of component:default/kubernetes-runtime has no criterion "deployment.nothing" (it has deployment.representative-apps, deployment.pioneer-adopted, own-3)',
    ],
    [
      { criterionId: 'Not An Id' },
      'criterionId: "Not An Id" is not a criterion id',
    ],
  ])(
    'refuses %j without writing, even in a dry run',
    async (input, message) => {
      await expect(run(input).done).rejects.toThrow(message);
      await expect(run(input, { isDryRun: true }).done).rejects.toThrow(
        message,
      );
      expect(fake.requests.filter(r => r.method !== 'GET')).toEqual([]);
    },
  );

  it('refuses an initiative that has not started', async () => {
    fake.respond(`GET ${PATH}`, () =>
      initiative({ started: false, version: 0 }),
    );
    await expect(run({}).done).rejects.toThrow(
      'component:default/kubernetes-runtime has not started an MVP initiative',
    );
  });

  it("turns Freeboard's conflict into a readable task error", async () => {
    fake.respond(`PUT ${PATH}/criteria/deployment.representative-apps`, () => {
      throw new ConflictError(
        'expectedVersion: the initiative is at version 9, not 7',
      );
    });
    await expect(run({}).done).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Setting deployment.representative-apps of component:default/kubernetes-runtime to done: ' +
        'Freeboard answered 409 Conflict: expectedVersion: the initiative is at version 9, not 7',
    });
  });
});
