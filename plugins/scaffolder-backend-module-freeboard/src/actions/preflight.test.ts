import { InputError, NotAllowedError } from '@backstage/errors';
import { startFakeFreeboard } from '../__testUtils__/fakeFreeboard';
import { actionContext } from '../__testUtils__/context';
import { formatPreflightTable } from './preflight';

/*
 * The pre-flight action against a stand-in Freeboard plugin served by a
 * Backstage test backend: what it sends (as whom, which body), how it reads
 * the projection, when it fails the task, and how Freeboard's errors read.
 */

const PATH = '/trust/entities/component/default/ci-pipelines/preflight';
const CONFIG = {
  halfLifeDays: 180,
  maxAmount: 100,
  levels: { healthy: 10, strong: 50 },
  categories: [
    {
      id: 'migration',
      direction: 'spend',
      title: 'Migration',
      defaultAmount: 20,
    },
  ],
};

const projection = (payments: number, logistics: number) => ({
  balance: 60,
  projectedBalance: 20,
  verdict: payments < 0 || logistics < 0 ? 'risky' : 'affordable',
  consumers: [
    {
      consumerRef: 'group:default/payments',
      balance: payments + 20,
      projectedBalance: payments,
      verdict: payments < 0 ? 'overdrawn' : 'affordable',
    },
    {
      consumerRef: 'group:default/logistics',
      balance: logistics + 20,
      projectedBalance: logistics,
      verdict: logistics < 0 ? 'overdrawn' : 'affordable',
    },
  ].sort((a, b) => a.projectedBalance - b.projectedBalance),
});

describe('freeboard:trust:preflight', () => {
  let fake: Awaited<ReturnType<typeof startFakeFreeboard>>;

  beforeEach(async () => {
    fake = await startFakeFreeboard();
    fake.respond('GET /trust/config', () => CONFIG);
  });

  afterEach(async () => {
    await fake.backend.stop();
  });

  const run = (input: object, options: { isDryRun?: boolean } = {}) => {
    const c = actionContext(
      {
        entityRef: 'Component:default/CI-Pipelines',
        category: 'migration',
        amount: 20,
        ...input,
      },
      options,
    );
    return {
      ...c,
      done: fake.action('freeboard:trust:preflight').handler(c.ctx),
    };
  };

  it('runs the pre-flight as the initiator and passes when nobody is overdrawn', async () => {
    fake.respond(`POST ${PATH}`, () => projection(5, 30));
    const { done, outputs, logged } = run({});
    await expect(done).resolves.toBeUndefined();

    const [preflight, config] = fake.requests;
    expect(preflight).toMatchObject({
      method: 'POST',
      path: PATH,
      caller: 'user:default/ada',
      body: { category: 'migration', amount: 20 },
    });
    expect(preflight.headers.authorization).toMatch(/^Bearer .+/);
    expect(config).toMatchObject({ method: 'GET', path: '/trust/config' });

    expect(outputs()).toMatchObject({
      entityRef: 'component:default/ci-pipelines',
      verdict: 'affordable',
      overdrawnConsumers: [],
      consumers: [
        { consumerRef: 'group:default/payments', levelAfter: 'thin' },
        { consumerRef: 'group:default/logistics', levelAfter: 'healthy' },
      ],
    });
    expect(logged()).toContain(
      [
        'Consumer                 Balance now  After  Level after',
        '-----------------------  -----------  -----  -----------',
        'group:default/payments         25.00   5.00  thin',
        'group:default/logistics        50.00  30.00  healthy',
      ].join('\n'),
    );
  });

  it('sends the consumers the template names', async () => {
    fake.respond(`POST ${PATH}`, () => projection(5, 30));
    await run({ consumerRefs: ['group:default/payments'] }).done;
    expect(fake.requests[0].body).toEqual({
      category: 'migration',
      amount: 20,
      consumerRefs: ['group:default/payments'],
    });
  });

  it('fails the task, after logging the table, when a consumer would be overdrawn', async () => {
    fake.respond(`POST ${PATH}`, () => projection(-7.5, 30));
    const { done, outputs, logged } = run({});
    await expect(done).rejects.toThrow(
      'The spend would overdraw 1 consumer of component:default/ci-pipelines: ' +
        'group:default/payments (-7.50). Earn their trust first, spend less, ' +
        'or set allowOverdrawn: true to go ahead anyway.',
    );
    expect(logged()).toMatch(
      /group:default\/payments +12\.50 +-7\.50 +overdrawn/,
    );
    expect(outputs().overdrawnConsumers).toEqual(['group:default/payments']);
  });

  it('goes ahead when the template allows overdrawing, and says so', async () => {
    fake.respond(`POST ${PATH}`, () => projection(-7.5, -1));
    const { done, logged } = run({ allowOverdrawn: true });
    await expect(done).resolves.toBeUndefined();
    expect(logged()).toContain(
      'Going ahead although the spend overdraws group:default/payments (-7.50), ' +
        'group:default/logistics (-1.00): the template allows it',
    );
  });

  it('runs in a dry run too, sending only reads', async () => {
    fake.respond(`POST ${PATH}`, () => projection(-7.5, 30));
    const { done, logged } = run({}, { isDryRun: true });
    await expect(done).rejects.toThrow('would overdraw 1 consumer');
    expect(fake.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `POST ${PATH}`,
      'GET /trust/config',
    ]);
    expect(logged()).toContain('dry run; a pre-flight writes nothing');
  });

  it("turns Freeboard's errors into readable task errors", async () => {
    fake.respond(`POST ${PATH}`, () => {
      throw new InputError('amount: must be at least 0.01');
    });
    await expect(run({ amount: 0 }).done).rejects.toThrow(
      'Pre-flight of migration on component:default/ci-pipelines: ' +
        'Freeboard answered 400 Bad Request: amount: must be at least 0.01',
    );

    fake.respond(`POST ${PATH}`, () => {
      throw new NotAllowedError('You may not record trust credits here');
    });
    await expect(run({}).done).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'Freeboard answered 403 Forbidden: You may not record trust credits here',
      ),
    });
  });

  it('refuses a malformed entity ref before calling Freeboard', async () => {
    await expect(run({ entityRef: 'not a ref/x/y' }).done).rejects.toThrow(
      /^entityRef: "not a ref\/x\/y" is not an entity ref/,
    );
    expect(fake.requests).toEqual([]);
  });
});

describe('formatPreflightTable', () => {
  it('lines up the credits on the decimal point and ends with the entity', () => {
    expect(
      formatPreflightTable(
        [
          {
            consumerRef: 'group:default/a',
            balance: 1,
            projectedBalance: -19,
            levelAfter: 'overdrawn',
          },
        ],
        { balance: 100.5, projectedBalance: 80.5, levelAfter: 'strong' },
      ),
    ).toBe(
      [
        'Consumer          Balance now   After  Level after',
        '----------------  -----------  ------  -----------',
        'group:default/a          1.00  -19.00  overdrawn',
        '----------------  -----------  ------  -----------',
        '(entity overall)       100.50   80.50  strong',
      ].join('\n'),
    );
  });

  it('says when there are no consumers', () => {
    expect(
      formatPreflightTable([], {
        balance: 0,
        projectedBalance: -5,
        levelAfter: 'overdrawn',
      }),
    ).toContain('(no consumers)');
  });
});
