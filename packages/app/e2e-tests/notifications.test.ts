import { expect, test } from '@playwright/test';
import {
  BACKEND,
  SCREENSHOTS,
  api,
  backendSignsInAs,
  signedInPage,
} from './support';

/*
 * Freeboard's notifications in the real demo, through the real
 * notifications and signals backends: a platform lead requests a sign-off,
 * and a member of the stakeholder group sees it under the bell and on the
 * notifications page, linked to the initiative's Phases tab.
 *
 * The guest provider signs in as one configured user, so the test asks the
 * backend supervisor (scripts/e2e-backend.mjs) to restart the backend signed
 * in as ada.platform (platform-leads), then as dana.data (data-governance,
 * examples/org.yaml), and as the guest again at the end.
 */

const ENTITY_PATH = 'component/default/observability-stack';
const PHASES_TAB = '/catalog/default/component/observability-stack/phases';
const API = `${BACKEND}/api/freeboard/phases/entities/${ENTITY_PATH}`;
const ADA = 'user:default/ada.platform';
const DANA = 'user:default/dana.data';
const DATA_GOVERNANCE = 'group:default/data-governance';
const PHASE_TITLES: Record<string, string> = {
  discovery: 'Discovery',
  integration: 'Integration',
  deployment: 'Deployment',
  adoption: 'Adoption',
};

type State = {
  started: boolean;
  phase: string;
  version: number;
  phases: Array<{ id: string; signoffs: Array<{ groupRef: string }> }>;
};

test.describe.configure({ mode: 'serial' });

test.afterAll(async () => {
  // Leave the demo signed in as the guest for the tests that follow.
  await backendSignsInAs(undefined);
});

test('a stakeholder sees the sign-off a lead requested under the bell, linked to the initiative', async ({
  browser,
}) => {
  test.setTimeout(900_000);

  // The lead asks data governance to sign off the current phase, or another
  // it was not asked for yet (the demo database persists between runs).
  await backendSignsInAs(ADA);
  const lead = await api();
  await expect
    .poll(
      async () => {
        const response = await lead.get(API);
        return response.ok() && ((await response.json()) as State).started;
      },
      { timeout: 180_000 },
    )
    .toBe(true);
  const state: State = await (await lead.get(API)).json();
  const phase = [...state.phases]
    .sort((a, b) => Number(b.id === state.phase) - Number(a.id === state.phase))
    .find(p => !p.signoffs.some(s => s.groupRef === DATA_GOVERNANCE))?.id;
  expect(
    phase,
    'every phase already asks data governance (delete .freeboard-data to reseed)',
  ).toBeDefined();
  const requested = await lead.post(`${API}/signoffs`, {
    data: {
      phase,
      groupRef: DATA_GOVERNANCE,
      expectedVersion: state.version,
    },
  });
  expect(requested.status(), await requested.text()).toBe(201);
  await lead.dispose();
  const title = `Sign-off requested: observability-stack, ${
    PHASE_TITLES[phase!]
  }`;

  // A member of data governance: the bell shows an unread notification.
  await backendSignsInAs(DANA);
  const dana = await signedInPage(browser);
  const nav = dana.getByRole('navigation', { name: 'sidebar nav' });
  const bell = nav.getByRole('link', { name: /Notifications/ });
  await expect(
    bell.getByRole('grid', { name: 'Unread notifications' }),
  ).toHaveText(/^[1-9]\d*\+?$/);
  await dana.screenshot({ path: `${SCREENSHOTS}/notifications-bell.png` });

  // The notifications page lists it, linked to the Phases tab.
  await bell.click();
  await expect(dana).toHaveURL(/\/notifications$/);
  const link = dana.getByRole('link', { name: title });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute('href', PHASES_TAB);
  await expect(
    dana.getByText(
      `ada.platform asks data-governance to sign off the ${
        PHASE_TITLES[phase!]
      } phase of observability-stack.`,
    ),
  ).toBeVisible();
  await dana.screenshot({
    path: `${SCREENSHOTS}/notifications-page.png`,
    fullPage: true,
  });

  // The link opens the page that explains it.
  await link.click();
  await expect(dana).toHaveURL(new RegExp(`${PHASES_TAB}$`));
  await expect(
    dana.getByRole('heading', { name: /· iteration \d+$/ }),
  ).toBeVisible();
  await dana.context().close();
});
