import { InputError } from '@backstage/errors';
import { startFakeFreeboard } from '../__testUtils__/fakeFreeboard';
import { actionContext } from '../__testUtils__/context';

/*
 * The record action against a stand-in Freeboard plugin: it records as the
 * initiator with a retry-safe key, a dry run writes nothing, and Freeboard's
 * refusals read as task errors.
 */

const ENTITY = '/trust/entities/component/default/ci-pipelines';
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
    {
      id: 'self-service',
      direction: 'earn',
      title: 'Self-service',
      defaultAmount: 10,
    },
  ],
};
const SUMMARY = {
  entityRef: 'component:default/ci-pipelines',
  balance: 42,
  level: 'healthy',
};

describe('freeboard:trust:record', () => {
  let fake: Awaited<ReturnType<typeof startFakeFreeboard>>;

  beforeEach(async () => {
    fake = await startFakeFreeboard();
    fake.respond('GET /trust/config', () => CONFIG);
    fake.respond(`GET ${ENTITY}`, () => SUMMARY);
    fake.respond('GET /trust/entities/group/default/payments', () => ({
      ...SUMMARY,
      entityRef: 'group:default/payments',
    }));
    fake.respond(`POST ${ENTITY}/entries`, request => ({
      entry: { id: '314', ...(request.body as object) },
      summary: { ...SUMMARY, balance: 22 },
    }));
    fake.respond(`POST ${ENTITY}/preflight`, () => ({
      balance: 42,
      projectedBalance: 22,
      verdict: 'affordable',
      consumers: [],
    }));
  });

  afterEach(async () => {
    await fake.backend.stop();
  });

  const run = (
    input: object,
    options: { isDryRun?: boolean; taskId?: string } = {},
  ) => {
    const c = actionContext(
      {
        entityRef: 'component:ci-pipelines',
        category: 'migration',
        amount: 20,
        title: 'Pipelines move to the v3 runners',
        ...input,
      },
      options,
    );
    return { ...c, done: fake.action('freeboard:trust:record').handler(c.ctx) };
  };

  it('records the entry as the initiator and outputs its id', async () => {
    const { done, outputs, logged } = run({
      consumerRef: 'group:default/payments',
      description: undefined,
    });
    await expect(done).resolves.toBeUndefined();

    expect(fake.requests).toHaveLength(1);
    const [post] = fake.requests;
    expect(post).toMatchObject({
      method: 'POST',
      path: `${ENTITY}/entries`,
      caller: 'user:default/ada',
    });
    // Only the fields given: Freeboard refuses unknown and null fields.
    expect(post.body).toEqual({
      category: 'migration',
      amount: 20,
      title: 'Pipelines move to the v3 runners',
      consumerRef: 'group:default/payments',
    });
    expect(outputs()).toEqual({
      entryId: '314',
      entityRef: 'component:default/ci-pipelines',
      balance: 22,
      level: 'healthy',
    });
    expect(logged()).toContain(
      'Recorded entry 314: 20 credits of migration "Pipelines move to the v3 runners" ' +
        'on component:default/ci-pipelines for group:default/payments',
    );
  });

  it('sends the same idempotency key when the same step of the same task runs again', async () => {
    await run({}, { taskId: 'task-1' }).done;
    await run({}, { taskId: 'task-1' }).done;
    await run({}, { taskId: 'task-2' }).done;
    const keys = fake.requests.map(r => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^scaffolder-[0-9a-f]{40}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('checks a spend through the pre-flight in a dry run and writes nothing', async () => {
    const { done, outputs, logged } = run(
      { consumerRef: 'group:default/payments' },
      { isDryRun: true },
    );
    await expect(done).resolves.toBeUndefined();
    expect(fake.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /trust/config',
      `POST ${ENTITY}/preflight`,
      `GET ${ENTITY}`,
    ]);
    expect(fake.requests[1].body).toEqual({
      category: 'migration',
      amount: 20,
      consumerRefs: ['group:default/payments'],
    });
    expect(outputs()).toMatchObject({ entryId: 'dry-run', balance: 42 });
    expect(logged()).toContain(
      'Dry run: would record 20 credits of migration "Pipelines move to the v3 runners" ' +
        'on component:default/ci-pipelines for group:default/payments; nothing was written',
    );
  });

  it('checks an earning against the settings and what the initiator can see in a dry run', async () => {
    const { done } = run(
      {
        category: 'self-service',
        amount: 5,
        consumerRef: 'group:default/payments',
      },
      { isDryRun: true },
    );
    await expect(done).resolves.toBeUndefined();
    expect(fake.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /trust/config',
      `GET ${ENTITY}`,
      'GET /trust/entities/group/default/payments',
      `GET ${ENTITY}`,
    ]);

    await expect(
      run({ category: 'self-service', amount: 500 }, { isDryRun: true }).done,
    ).rejects.toThrow('amount: must be at least 0.01 and at most 100');
    await expect(
      run({ category: 'misc' }, { isDryRun: true }).done,
    ).rejects.toThrow(
      'category: "misc" is not a known category (migration, self-service)',
    );
    await expect(
      run(
        { category: 'self-service', consumerRef: 'group:default/hidden' },
        { isDryRun: true },
      ).done,
    ).rejects.toThrow(/consumerRef: Freeboard answered 404 Not Found/);
    expect(fake.requests.filter(r => r.path.endsWith('/entries'))).toEqual([]);
  });

  it("turns Freeboard's refusal into a readable task error", async () => {
    fake.respond(`POST ${ENTITY}/entries`, () => {
      throw new InputError('title: must not contain control characters');
    });
    await expect(run({ title: 'bad\u0007' }).done).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Recording migration on component:default/ci-pipelines: Freeboard answered ' +
        '400 Bad Request: title: must not contain control characters',
    });
  });
});
