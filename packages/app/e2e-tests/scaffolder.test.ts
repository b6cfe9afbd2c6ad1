import { APIRequestContext, expect, test } from '@playwright/test';
import { BACKEND, SCREENSHOTS, api, backendAnswers } from './support';

/*
 * The "Announce a migration" template (examples/templates/announce-migration.yaml)
 * run end to end through the real scaffolder of the demo backend, with
 * Freeboard's scaffolder actions calling the real Freeboard backend as the
 * guest: a migration the consumer teams can afford is recorded on the ledger
 * once per team; one that would overdraw a team fails the task with the
 * pre-flight table in its log and records nothing.
 */

const SCAFFOLDER = `${BACKEND}/api/scaffolder/v2`;
const CAPABILITY = 'component:default/golden-path-templates';
const TRUST = `${BACKEND}/api/freeboard/trust/entities/component/default/golden-path-templates`;
const TEMPLATE = 'template:default/announce-migration';
/** Every consumer team gets at least this balance before the first run. */
const FLOOR = 20;
const AFFORDABLE = 5;

type Projection = {
  consumers: Array<{ consumerRef: string; balance: number }>;
};
type TaskEvent = { type: string; body: { message?: string; status?: string } };

async function ok<T>(response: {
  ok(): boolean;
  text(): Promise<string>;
  json(): Promise<T>;
}): Promise<T> {
  expect(response.ok(), await response.text()).toBe(true);
  return response.json();
}

/** Each consumer team's balance with the capability now (a pre-flight writes nothing). */
async function consumerBalances(client: APIRequestContext) {
  const projection = await ok<Projection>(
    await client.post(`${TRUST}/preflight`, {
      data: { category: 'migration', amount: 0.01 },
    }),
  );
  return projection.consumers;
}

/** Runs the template and waits for the task to end; answers its status and log. */
async function runTemplate(
  client: APIRequestContext,
  values: { title: string; amount: number },
) {
  const { id } = await ok<{ id: string }>(
    await client.post(`${SCAFFOLDER}/tasks`, {
      data: {
        templateRef: TEMPLATE,
        values: { capability: CAPABILITY, allowOverdrawn: false, ...values },
      },
    }),
  );
  let status = '';
  await expect
    .poll(
      async () => {
        const task = await ok<{ status: string }>(
          await client.get(`${SCAFFOLDER}/tasks/${id}`),
        );
        status = task.status;
        return ['completed', 'failed', 'cancelled'].includes(status);
      },
      { timeout: 90_000, intervals: [500, 1000, 2000] },
    )
    .toBe(true);
  const events = await ok<TaskEvent[]>(
    await client.get(`${SCAFFOLDER}/tasks/${id}/events`),
  );
  const log = events
    .map(e => e.body.message ?? '')
    .filter(Boolean)
    .join('\n');
  return { status, log };
}

async function migrationEntries(client: APIRequestContext, title: string) {
  const page = await ok<{
    entries: Array<{
      title: string;
      amount: number;
      direction: string;
      consumerRef?: string;
      recordedBy: string;
    }>;
  }>(await client.get(`${TRUST}/entries?category=migration&limit=100`));
  return page.entries.filter(e => e.title === title);
}

test('the "Announce a migration" template runs the pre-flight and records the spend', async () => {
  test.setTimeout(600_000);
  const client = await api();

  // On a fresh database the catalog ingests the template and the seeded
  // ledger after start-up. The Template kind needs the catalog module
  // @backstage/plugin-catalog-backend-module-scaffolder-entity-model.
  await expect
    .poll(
      async () =>
        (
          await client.get(
            `${BACKEND}/api/catalog/entities/by-name/template/default/announce-migration`,
          )
        ).status(),
      {
        timeout: 180_000,
        message: `the catalog has no ${TEMPLATE}: is the scaffolder entity model module installed?`,
      },
    )
    .toBe(200);
  await expect
    .poll(async () => (await consumerBalances(client)).length, {
      timeout: 180_000,
    })
    .toBeGreaterThan(0);

  // Earn enough with every consumer team that the first migration is
  // affordable, whatever earlier runs left on the ledger.
  for (const consumer of await consumerBalances(client)) {
    if (consumer.balance < FLOOR) {
      await ok(
        await client.post(`${TRUST}/entries`, {
          data: {
            category: 'self-service',
            amount: Math.min(100, Math.ceil(FLOOR - consumer.balance)),
            title: 'Browser test: self-service before the migration',
            consumerRef: consumer.consumerRef,
          },
        }),
      );
    }
  }
  const before = await consumerBalances(client);
  expect(Math.min(...before.map(c => c.balance))).toBeGreaterThanOrEqual(
    AFFORDABLE,
  );

  // 1. An affordable migration: the task completes and the ledger holds one
  //    spend per consumer team, recorded by the guest who ran the template.
  const affordable = `Browser test: templates move to v2 (${Date.now()})`;
  const first = await runTemplate(client, {
    title: affordable,
    amount: AFFORDABLE,
  });
  expect(first.status, first.log).toBe('completed');
  expect(first.log).toContain('Level after');
  const recorded = await migrationEntries(client, affordable);
  expect(recorded.map(e => e.consumerRef).sort()).toEqual(
    before.map(c => c.consumerRef).sort(),
  );
  for (const entry of recorded) {
    expect(entry).toMatchObject({
      direction: 'spend',
      amount: AFFORDABLE,
      recordedBy: 'user:default/guest',
    });
  }

  // 2. A migration that overdraws a team: the task fails with the table in
  //    its log and nothing is recorded.
  const after = await consumerBalances(client);
  const lowest = after[0];
  expect(lowest.balance, 'a spend of 100 must overdraw someone').toBeLessThan(
    100,
  );
  const tooMuch = `Browser test: templates move to v3 (${Date.now()})`;
  const second = await runTemplate(client, { title: tooMuch, amount: 100 });
  expect(second.status, second.log).toBe('failed');
  expect(second.log).toMatch(
    /Consumer +Balance now +After +Level after\n[- ]+\n/,
  );
  expect(second.log).toMatch(
    new RegExp(
      `${lowest.consumerRef.replace(
        /[/]/g,
        '\\/',
      )} +-?[0-9.]+ +-[0-9.]+ +overdrawn`,
    ),
  );
  expect(second.log).toContain('or set allowOverdrawn: true');
  expect(await migrationEntries(client, tooMuch)).toEqual([]);
  await client.dispose();
});

test('the template is listed on the create page', async ({ page }) => {
  await backendAnswers();
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Navigate only once signed in, or the guest session is not kept.
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  await page.goto('/create');
  const templates = page.getByRole('article').filter({
    has: page.getByRole('heading', { name: 'Templates', level: 2 }),
  });
  await expect(
    templates.getByRole('heading', { name: 'Announce a migration', level: 4 }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    templates.getByText('Check with Freeboard that the consumers'),
  ).toBeVisible();
  await expect(templates.getByRole('button', { name: 'Choose' })).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/scaffolder-create.png`,
    fullPage: true,
  });
});
