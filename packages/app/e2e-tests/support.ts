import {
  APIRequestContext,
  Browser,
  Page,
  expect,
  request as playwrightRequest,
} from '@playwright/test';

/*
 * What the browser tests share: the demo's addresses, signing in, the API
 * as the signed-in user, and the backend supervisor (scripts/e2e-backend.mjs)
 * that restarts the backend signed in as another sample user, since the
 * guest provider signs everyone in as one configured user.
 */

export const BACKEND = 'http://localhost:7007';
export const CONTROL = `http://127.0.0.1:${
  process.env.E2E_BACKEND_CONTROL_PORT ?? 7099
}`;
export const SCREENSHOTS = 'e2e-screenshots';

/**
 * Waits for the demo backend: in development it restarts whenever a source
 * file changes, and is briefly away.
 */
export async function backendAnswers() {
  await expect
    .poll(
      async () => {
        try {
          return (await fetch(`${BACKEND}/api/freeboard/health`)).status;
        } catch {
          return 0;
        }
      },
      { timeout: 300_000, intervals: [1000, 2000, 5000] },
    )
    .toBe(200);
}

/** Restarts the demo backend signed in as `user` (the guest when undefined). */
export async function backendSignsInAs(user?: string) {
  const query = user ? `?userEntityRef=${encodeURIComponent(user)}` : '';
  let response: Response;
  try {
    response = await fetch(`${CONTROL}/restart${query}`, {
      method: 'POST',
      signal: AbortSignal.timeout(360_000),
    });
  } catch (error) {
    throw new Error(
      `The backend supervisor does not answer on ${CONTROL}: stop a demo ` +
        `already running on :7007 and let the test start it (${error})`,
    );
  }
  const body = await response.text();
  expect(response.status, body).toBe(200);
  if (user) expect(JSON.parse(body).userEntityRef).toBe(user);
}

/** A token of the user the backend signs in now. */
export async function signedInToken(): Promise<string> {
  await backendAnswers();
  const auth = await playwrightRequest.newContext();
  const refresh = await auth.get(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(refresh.ok()).toBe(true);
  const { token } = (await refresh.json()).backstageIdentity;
  await auth.dispose();
  return token;
}

/** The API as the user the backend signs in now. */
export async function api(): Promise<APIRequestContext> {
  const token = await signedInToken();
  return playwrightRequest.newContext({
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
}

/** Signs `page` in as whoever the backend signs in now. */
export async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/** A fresh browser context signed in as whoever the backend signs in now. */
export async function signedInPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  return page;
}
