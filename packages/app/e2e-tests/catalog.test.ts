import { test, expect } from '@playwright/test';

test('a guest signs in, opens the catalog and a platform capability', async ({
  page,
}) => {
  await page.goto('/');

  const enterButton = page.getByRole('button', { name: 'Enter' });
  await expect(enterButton).toBeVisible();
  await enterButton.click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();

  // The sample catalog is loaded: the platform capabilities are listed.
  const capabilityLink = page.getByRole('link', {
    name: 'Kubernetes Runtime',
    exact: true,
  });
  await expect(capabilityLink).toBeVisible();
  await capabilityLink.click();

  await expect(
    page.getByRole('heading', { name: 'Kubernetes Runtime' }).first(),
  ).toBeVisible();
  // The Freeboard float-or-sink card reads the capability's annotations.
  await expect(page.getByText('Float or sink')).toBeVisible();
  await expect(page.getByText('Managed Kubernetes (EKS)')).toBeVisible();

  await page.screenshot({
    path: 'e2e-screenshots/capability-page.png',
    fullPage: true,
  });
});
