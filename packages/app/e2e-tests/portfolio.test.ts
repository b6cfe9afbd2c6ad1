import fs from 'node:fs';
import { test, expect, Page } from '@playwright/test';
import { axeViolations, cardTitled } from './axe';
import { signIn } from './support';

/**
 * The demo backend fills the portfolio from the catalog shortly after it
 * starts; until then the page says there is nothing yet. Reload until the
 * capabilities are there.
 */
async function openPortfolio(page: Page) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Freeboard', exact: true })
    .click();
  await expect(page).toHaveURL(/\/freeboard/);
  const table = page.getByRole('table', { name: 'Platform capabilities' });
  await expect
    .poll(
      async () => {
        if (await table.getByText('Kubernetes Runtime').count()) return true;
        await page.reload();
        await table
          .getByText('Kubernetes Runtime')
          .waitFor({ timeout: 5_000 })
          .catch(() => undefined);
        return (await table.getByText('Kubernetes Runtime').count()) > 0;
      },
      { timeout: 90_000, intervals: [1_000] },
    )
    .toBe(true);
  return table;
}

test('the portfolio filters to overdue reviews and exports them as CSV', async ({
  page,
}) => {
  await signIn(page);
  const table = await openPortfolio(page);

  // Attention first: the overdue review leads the default order.
  await expect(table.getByRole('row').nth(1)).toContainText(
    'Observability Stack',
  );
  await expect(table).toContainText('overdue');

  // The panels answer "how is our platform doing?".
  await expect(cardTitled(page, 'Thinnest viable platform')).toContainText('%');
  await expect(
    page.getByRole('list', { name: 'Overdue reviews' }),
  ).toContainText('Observability Stack');
  await expect(
    page.getByRole('table', { name: 'MVP initiatives per phase' }),
  ).toContainText('Adoption');
  await page.screenshot({
    path: 'e2e-screenshots/portfolio.png',
    fullPage: true,
  });
  for (const title of [
    'Capabilities',
    'Thinnest viable platform',
    'Overdue reviews',
    'Overdrawn teams',
    'Phases at a glance',
    'Teams',
  ]) {
    expect({
      title,
      violations: await axeViolations(page, cardTitled(page, title).first()),
    }).toEqual({
      title,
      violations: [],
    });
  }

  // Overdue reviews only: the table narrows, and the URL keeps the filter.
  await page.getByRole('checkbox', { name: 'Overdue reviews only' }).check();
  await expect(page).toHaveURL(/overdue=true/);
  await expect(table).not.toContainText('Kubernetes Runtime');
  await expect(table).toContainText('Observability Stack');

  // The CSV holds the filtered view: every row, not just this page.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('freeboard-portfolio.csv');
  const csv = fs.readFileSync((await file.path())!, 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toContain('entity_ref');
  expect(csv).toContain('component:default/observability-stack');
  expect(csv).not.toContain('component:default/kubernetes-runtime');
  await page.screenshot({
    path: 'e2e-screenshots/portfolio-overdue.png',
    fullPage: true,
  });
});

test("a capability's decision history and a migration pre-flight from the float card", async ({
  page,
}) => {
  await signIn(page);

  // Kubernetes went from sink to float months ago: the card remembers.
  await page.goto('/catalog/default/component/kubernetes-runtime');
  const floatCard = cardTitled(page, 'Float or sink').first();
  await floatCard.getByRole('button', { name: 'Show history' }).click();
  const history = floatCard.getByRole('list', { name: 'Decision history' });
  await expect(history).toContainText('Decision changed from sink to float');

  // The artifact registry is half-way through its retirement; the lead
  // plans the migration of the teams still on it.
  await page.goto('/catalog/default/component/artifact-registry');
  const registryCard = cardTitled(page, 'Float or sink').first();
  await expect(
    registryCard.getByRole('progressbar', { name: 'Retirement progress' }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(registryCard).toContainText('3 of 6 teams moved');
  expect(await axeViolations(page, registryCard)).toEqual([]);
  await registryCard
    .getByRole('button', { name: 'Plan the migration' })
    .click();
  const preflight = page.getByRole('dialog', { name: 'Pre-flight a spend' });
  await expect(preflight.getByLabel('Category')).toHaveValue('migration');
  await preflight.getByRole('button', { name: 'Run' }).click();
  await expect(
    preflight.getByRole('table', {
      name: 'Projected balance per consumer team',
    }),
  ).toBeVisible();
  await page.screenshot({
    path: 'e2e-screenshots/float-migration-preflight.png',
    fullPage: true,
  });
  await preflight.getByRole('button', { name: 'Close' }).click();
  await page.screenshot({
    path: 'e2e-screenshots/float-card-retirement.png',
    fullPage: true,
  });
});

test('trust from both sides: an owner group and a consumer team', async ({
  page,
}) => {
  await signIn(page);

  // The platform runtime group sees what it owns, weakest first.
  await page.goto('/catalog/default/group/platform-runtime');
  const ownerCard = cardTitled(page, 'Trust credits').first();
  await expect(ownerCard).toContainText('Observability Stack', {
    timeout: 60_000,
  });
  expect(await axeViolations(page, ownerCard)).toEqual([]);
  await page.screenshot({
    path: 'e2e-screenshots/trust-owner-group.png',
    fullPage: true,
  });

  // Payments sees its balance with the platform.
  await page.goto('/catalog/default/group/payments');
  const consumerCard = cardTitled(page, 'Trust credits').first();
  await expect(consumerCard).toContainText('Your balance with the platform', {
    timeout: 60_000,
  });
  await expect(consumerCard).toContainText('Kubernetes Runtime');
  expect(await axeViolations(page, consumerCard)).toEqual([]);
  await page.screenshot({
    path: 'e2e-screenshots/trust-consumer-team.png',
    fullPage: true,
  });
});
