import { APIRequestContext, Page, expect, test } from '@playwright/test';
import { axeViolations } from './axe';
import {
  BACKEND,
  SCREENSHOTS,
  api,
  backendSignsInAs,
  signedInPage,
} from './support';

/*
 * A lead and a security stakeholder move an MVP initiative on, in the real
 * demo. The guest provider signs in as one configured user, so the test asks
 * the backend supervisor (scripts/e2e-backend.mjs) to restart the backend
 * signed in as sam.security for the approval, and as the guest again after.
 *
 * It works on the seeded Kubernetes runtime initiative, in Integration with a
 * security review requested. The demo database persists between runs, so
 * the test first puts the initiative back where the seed left it (through
 * the API, as the guest, who belongs to the owning platform team).
 */

const ENTITY_PATH = 'component/default/kubernetes-runtime';
const ENTITY_PAGE = '/catalog/default/component/kubernetes-runtime';
const API = `${BACKEND}/api/freeboard/phases/entities/${ENTITY_PATH}`;
const SAM = 'user:default/sam.security';
const SECURITY = 'group:default/security';
const TICKED = 'Platform infrastructure built';
const WAIVED = 'Components connected';
const PHASES = ['discovery', 'integration', 'deployment', 'adoption'];

type State = {
  started: boolean;
  iteration: number;
  phase: string;
  version: number;
  blockers: Array<{ id: string; title: string }>;
  phases: Array<{
    id: string;
    criteria: Array<{ id: string; title: string; kind: string; state: string }>;
    signoffs: Array<{ groupRef: string; state: string }>;
  }>;
};

async function readState(client: APIRequestContext): Promise<State> {
  const response = await client.get(API);
  expect(response.ok(), await response.text()).toBe(true);
  return response.json();
}

async function write(
  client: APIRequestContext,
  method: 'post' | 'put',
  path: string,
  data: object,
) {
  const response = await client[method](`${API}${path}`, { data });
  expect(response.ok(), await response.text()).toBe(true);
}

/**
 * Puts the initiative back in Integration with both test criteria open and
 * the security review pending, whatever an earlier run or a person did.
 */
async function resetInitiative(client: APIRequestContext) {
  // On a fresh database the seed imports the initiative after start-up.
  // (Before the catalog has ingested the entity, the state is a 404.)
  await expect
    .poll(
      async () => {
        const response = await client.get(API);
        return response.ok() && (await response.json()).started;
      },
      { timeout: 180_000 },
    )
    .toBe(true);
  let state = await readState(client);
  const integration = () => state.phases.find(p => p.id === 'integration')!;
  const security = () =>
    integration().signoffs.find(s => s.groupRef === SECURITY);

  if (state.phase === 'integration' && security()?.state === 'approved') {
    // An approval only resets by leaving and re-entering the phase.
    for (const c of integration().criteria) {
      if (c.kind === 'manual' && c.state !== 'done') {
        await write(client, 'put', `/criteria/${c.id}`, { state: 'done' });
      }
    }
    state = await readState(client);
    expect(state.blockers, 'to reset, advance first').toEqual([]);
    await write(client, 'post', '/transitions', {
      to: 'deployment',
      expectedVersion: state.version,
    });
    state = await readState(client);
  }
  if (PHASES.indexOf(state.phase) > 1) {
    await write(client, 'post', '/transitions', {
      to: 'integration',
      expectedVersion: state.version,
      reason: 'Browser test: back to Integration',
    });
    state = await readState(client);
  }
  expect(
    state.phase,
    'the test needs Kubernetes runtime in Integration (delete .freeboard-data to reseed)',
  ).toBe('integration');

  for (const c of integration().criteria) {
    const wanted = [TICKED, WAIVED].includes(c.title) ? 'open' : 'done';
    if (c.kind === 'manual' && c.state !== wanted) {
      await write(client, 'put', `/criteria/${c.id}`, { state: wanted });
    }
  }
  if (!security()) {
    await write(client, 'post', '/signoffs', {
      phase: 'integration',
      groupRef: SECURITY,
    });
  }
  state = await readState(client);
  expect(security()?.state).toBe('pending');
  expect(state.blockers.map(b => b.id)).toEqual([
    'integration.infrastructure-built',
    'integration.components-connected',
    SECURITY,
  ]);
}

async function openPhasesTab(page: Page) {
  await page.goto(`${ENTITY_PAGE}/phases`);
  await expect(
    page.getByRole('heading', { name: /· iteration \d+$/ }),
  ).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test.afterAll(async () => {
  // Leave the demo signed in as the guest for the tests that follow.
  await backendSignsInAs(undefined);
});

test('a lead and a security member move an MVP initiative to its next phase', async ({
  browser,
}) => {
  test.setTimeout(900_000);
  const runId = new Date().toISOString();
  const waiverReason = `Browser test ${runId}: the mesh is connected in the next iteration`;

  await backendSignsInAs(undefined);
  const client = await api();
  await resetInitiative(client);

  // The lead: the card on the overview, then the tab.
  const lead = await signedInPage(browser);
  await lead.goto(ENTITY_PAGE);
  // Card titles are not headings: find the card by its criteria progress.
  const card = lead.locator('.MuiCard-root').filter({
    has: lead.getByRole('progressbar', {
      name: 'Exit criteria done or waived',
    }),
  });
  await expect(card).toBeVisible();
  await expect(card).toContainText('Integration');
  await expect(card.getByLabel('Pending sign-offs')).toContainText('Security');
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: `${SCREENSHOTS}/mvp-phase-card.png` });
  expect.soft(await axeViolations(lead, card)).toEqual([]);

  // The card links to the tab.
  await card.getByRole('link', { name: 'Open phases' }).click();
  await expect(lead).toHaveURL(/\/kubernetes-runtime\/phases$/);
  await expect(
    lead.getByRole('heading', { name: 'Integration · iteration 1' }),
  ).toBeVisible();

  // Tick one criterion.
  const tick = lead.getByRole('checkbox', { name: TICKED });
  await expect(tick).not.toBeChecked();
  // Controlled by the server state: checked once the write lands.
  await tick.click();
  await expect(tick).toBeChecked();

  // Waive another, with a reason.
  await lead.getByRole('button', { name: `Waive “${WAIVED}”` }).click();
  const waive = lead.getByRole('dialog', { name: 'Waive criterion' });
  await waive.getByLabel('Reason').fill(waiverReason);
  await waive.getByRole('button', { name: 'Waive', exact: true }).click();
  await expect(waive).toBeHidden();
  await expect(lead.getByText(waiverReason).first()).toBeVisible();

  // Advance is blocked by the pending security sign-off, and says so.
  const advance = lead.getByRole('button', { name: 'Advance to Deployment' });
  await expect(advance).toBeDisabled();
  const blockers = lead.getByRole('list', {
    name: 'What blocks the advance to Deployment',
  });
  await expect(blockers.getByRole('listitem')).toHaveCount(1);
  await expect(blockers).toContainText(`${SECURITY} has not signed off`);
  await lead.screenshot({
    path: `${SCREENSHOTS}/mvp-phases-blocked.png`,
    fullPage: true,
  });
  expect.soft(await axeViolations(lead, lead.locator('main'))).toEqual([]);
  await lead.context().close();

  // A member of the security group approves.
  await backendSignsInAs(SAM);
  const sam = await signedInPage(browser);
  await openPhasesTab(sam);
  const signoffs = sam.getByRole('list', { name: 'Sign-offs of Integration' });
  // Stakeholders see the tab read-only: no Advance, no checkboxes.
  await expect(sam.getByRole('button', { name: /^Advance/ })).toHaveCount(0);
  await expect(sam.getByRole('checkbox')).toHaveCount(0);
  await signoffs.getByRole('button', { name: 'Approve for security' }).click();
  const approve = sam.getByRole('dialog', {
    name: 'Approve Integration for security',
  });
  await approve
    .getByLabel(/Comment/)
    .fill('Network policies and IAM roles reviewed');
  await approve.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(approve).toBeHidden();
  // sam.security's display name in examples/org.yaml.
  await expect(signoffs).toContainText('Approved by Sam Sentry');
  await sam.screenshot({
    path: `${SCREENSHOTS}/mvp-phases-approved.png`,
    fullPage: true,
  });
  await sam.context().close();

  // The lead advances, and the history shows all of it.
  await backendSignsInAs(undefined);
  const lead2 = await signedInPage(browser);
  await openPhasesTab(lead2);
  await expect(
    lead2.getByText('Nothing blocks the advance to Deployment.'),
  ).toBeVisible();
  await lead2.getByRole('button', { name: 'Advance to Deployment' }).click();
  await expect(
    lead2.getByRole('heading', { name: 'Deployment · iteration 1' }),
  ).toBeVisible();

  const history = lead2
    .getByRole('list', { name: 'History' })
    .getByRole('listitem');
  await expect(history.nth(0)).toContainText(
    'Advanced from Integration to Deployment',
  );
  await expect(history.nth(1)).toContainText(
    `${SECURITY} approved the Integration sign-off`,
  );
  await expect(history.nth(1)).toContainText('Sam Sentry');
  await expect(history.nth(2)).toContainText(`Waived “${WAIVED}”`);
  await expect(history.nth(2)).toContainText(waiverReason);
  await expect(history.nth(3)).toContainText(`Ticked “${TICKED}”`);
  await lead2
    .getByRole('heading', { name: 'History' })
    .scrollIntoViewIfNeeded();
  await lead2.screenshot({
    path: `${SCREENSHOTS}/mvp-phases-history.png`,
    fullPage: true,
  });
  expect.soft(await axeViolations(lead2, lead2.locator('main'))).toEqual([]);
  await lead2.context().close();
  await client.dispose();
});
