import { test, expect, Page } from '@playwright/test';
import { axeViolations, cardTitled } from './axe';
import { signIn } from './support';

async function readBalance(page: Page): Promise<number> {
  const text = await page.getByLabel('Trust balance').first().innerText();
  return Number(text.replace('−', '-').replace(/[^0-9.-]/g, ''));
}

test('a platform member records trust credits, runs a pre-flight and sends a pulse', async ({
  page,
}) => {
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog', exact: true })
    .click();
  await page
    .getByRole('link', { name: 'Kubernetes Runtime', exact: true })
    .click();

  // The card shows the seeded history: a balance with its level in words.
  await expect(page.getByLabel('Trust balance').first()).toBeVisible();
  const before = await readBalance(page);
  expect(Number.isFinite(before)).toBe(true);
  await expect(
    page.getByRole('list', { name: 'Teams that paid the most' }),
  ).toContainText('Overdrawn');

  // Record an earn entry through the dialog: the balance rises by its amount.
  await page.getByRole('button', { name: 'Record' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record trust credits' });
  await dialog.getByLabel('Category').selectOption('pain-point-removed');
  await dialog.getByLabel('Amount').fill('12');
  await dialog
    .getByLabel('Title')
    .fill('Browser test: node pools scale on demand');
  await dialog.getByRole('button', { name: 'Record entry' }).click();
  await expect(dialog).toBeHidden();
  await expect
    .poll(() => readBalance(page), { timeout: 15_000 })
    .toBeCloseTo(before + 12, 0);
  await expect(
    page.getByText('Browser test: node pools scale on demand').first(),
  ).toBeVisible();

  // A pre-flight projects a migration on every consumer team; it writes nothing.
  await page.getByRole('button', { name: 'Pre-flight' }).click();
  const preflight = page.getByRole('dialog', { name: 'Pre-flight a spend' });
  await preflight.getByLabel('Amount').fill('20');
  await preflight.getByRole('button', { name: 'Run' }).click();
  const projection = preflight.getByRole('table', {
    name: 'Projected balance per consumer team',
  });
  await expect(projection).toContainText('Logistics');
  await expect(projection).toContainText('Overdrawn');
  await page.screenshot({
    path: 'e2e-screenshots/trust-preflight.png',
    fullPage: true,
  });
  await preflight.getByRole('button', { name: 'Close' }).click();
  expect(await readBalance(page)).toBeCloseTo(before + 12, 0);

  // One click says "this helped"; the week's count shows it.
  await page.getByRole('button', { name: 'This helped' }).click();
  await expect(page.getByText(/This week: 1 helped/)).toBeVisible();

  await page.screenshot({
    path: 'e2e-screenshots/trust-credits-card.png',
    fullPage: true,
  });
  // Freeboard's overview cards pass axe-core's WCAG 2 A/AA rules.
  const trustCard = cardTitled(page, 'Trust credits');
  await expect(trustCard).toBeVisible();
  expect.soft(await axeViolations(page, trustCard)).toEqual([]);
  const decisionCard = cardTitled(page, 'Float or sink');
  await expect(decisionCard).toBeVisible();
  expect.soft(await axeViolations(page, decisionCard)).toEqual([]);

  // The history tab lists the new entry in the ledger.
  await page.getByRole('link', { name: /View history/ }).click();
  await expect(page.getByRole('table', { name: 'Trust ledger' })).toContainText(
    'Browser test: node pools scale on demand',
  );
  await page.screenshot({
    path: 'e2e-screenshots/trust-history.png',
    fullPage: true,
  });
  expect.soft(await axeViolations(page, page.locator('main'))).toEqual([]);
});
