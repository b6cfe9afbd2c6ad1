import { Entity } from '@backstage/catalog-model';
import { decisionReviewOf } from '@freeboard/backstage-plugin-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  decisionHistory,
  ENTITY_REF,
  entity,
  floatingDecisionView,
  floatingEntity,
  mockFreeboardApi,
  renderWithApis,
  responseError,
  trustConfig,
} from '../../__testUtils__/fixtures';
import { formatDate } from '../../shared';
import { describeReview } from '../format';
import { FloatOrSinkCard } from './FloatOrSinkCard';
import { migrationPreflight, PREFLIGHT_MAX_CONSUMERS } from './MigrationPlan';

function entityWith(annotations: Record<string, string>): Entity {
  return { ...entity, metadata: { ...entity.metadata, annotations } };
}

const TEAMS = [
  'group:default/team-payments',
  'group:default/team-search',
  'group:default/team-mobile',
];

describe('FloatOrSinkCard', () => {
  it('shows a floating decision, its replacement and the backend’s overdue review as a warning', async () => {
    const api = mockFreeboardApi();
    api.getDecision.mockResolvedValue(floatingDecisionView);
    await renderWithApis(<FloatOrSinkCard />, { api, entity: floatingEntity });

    expect(screen.getByText('Float')).toBeInTheDocument();
    expect(screen.getByText('Managed observability')).toBeInTheDocument();
    expect(screen.getByText('2026-09-30')).toBeInTheDocument();
    // The warning is a status with words and an icon, not only a colour.
    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent('Review overdue by 12 days');
    expect(status.querySelector('svg')).not.toBeNull();
    expect(api.getDecision).toHaveBeenCalledWith(ENTITY_REF);
  });

  it('computes the review from the annotation while the backend answers', async () => {
    const api = mockFreeboardApi();
    api.getDecision.mockReturnValue(new Promise(() => {}));
    await renderWithApis(<FloatOrSinkCard />, {
      api,
      entity: entityWith({
        'freeboard.dev/float-or-sink': 'float',
        'freeboard.dev/review-by': '2020-01-31',
        'freeboard.dev/replaced-by': 'Grafana Cloud',
      }),
    });
    const expected = describeReview(
      decisionReviewOf('2020-01-31', new Date())!,
    );
    expect(expected).toMatch(/^Review overdue by \d+ days$/);
    expect(screen.getByRole('status')).toHaveTextContent(expected);
    expect(
      screen.getByRole('progressbar', {
        name: 'Loading the retirement progress',
      }),
    ).toBeInTheDocument();
  });

  it('shows a review still ahead as plain text', async () => {
    const api = mockFreeboardApi();
    api.getDecision.mockResolvedValue({
      entityRef: ENTITY_REF,
      decision: {
        decision: 'sink',
        reviewBy: '2027-03-31',
        review: { reviewBy: '2027-03-31', dueInDays: 30 },
      },
      problems: [],
      consumerTeams: [],
    });
    await renderWithApis(<FloatOrSinkCard />, {
      api,
      entity: entityWith({
        'freeboard.dev/float-or-sink': 'sink',
        'freeboard.dev/review-by': '2027-03-31',
      }),
    });
    expect(
      await screen.findByText('Review due in 30 days'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    // A sink is not being retired.
    expect(screen.queryByText('Retirement')).not.toBeInTheDocument();
  });

  it('ignores a backend review of another date than the annotation on screen', async () => {
    const api = mockFreeboardApi();
    api.getDecision.mockResolvedValue(floatingDecisionView);
    await renderWithApis(<FloatOrSinkCard />, {
      api,
      entity: entityWith({
        'freeboard.dev/float-or-sink': 'sink',
        'freeboard.dev/review-by': '2999-01-01',
      }),
    });
    await waitFor(() => expect(api.getDecision).toHaveBeenCalled());
    expect(await screen.findByText(/^Review due in \d+ days$/)).toBeVisible();
    expect(screen.queryByText(/overdue/)).not.toBeInTheDocument();
  });

  it('shows how far the retirement has come, with the teams still on it', async () => {
    const api = mockFreeboardApi();
    api.getDecision.mockResolvedValue(floatingDecisionView);
    await renderWithApis(<FloatOrSinkCard />, { api, entity: floatingEntity });

    const progress = await screen.findByRole('progressbar', {
      name: 'Retirement progress',
    });
    expect(progress).toHaveAttribute('aria-valuenow', '50');
    expect(progress).toHaveAttribute(
      'aria-valuetext',
      '3 of 6 teams moved (50%)',
    );
    const moved = screen.getByText(/3 of 6 teams moved to/);
    expect(within(moved).getByRole('link')).toHaveTextContent('grafana-cloud');
    const remaining = within(
      screen.getByRole('list', { name: 'Teams still depending on it' }),
    );
    expect(
      remaining.getAllByRole('link').map(link => link.textContent),
    ).toEqual(['team-payments', 'team-search', 'team-mobile']);
  });

  it('counts the teams still depending on a vendor replacement', async () => {
    const api = mockFreeboardApi();
    const remainingTeams = [
      ...TEAMS,
      'group:default/team-data',
      'group:default/team-growth',
      'group:default/team-identity',
    ];
    api.getDecision.mockResolvedValue({
      ...floatingDecisionView,
      retirement: {
        remainingTeams,
        movedTeams: [],
        progress: 0,
      },
    });
    await renderWithApis(<FloatOrSinkCard />, {
      api,
      entity: entityWith({
        'freeboard.dev/float-or-sink': 'float',
        'freeboard.dev/replaced-by': 'Grafana Cloud',
      }),
    });
    expect(
      await screen.findByText('6 teams still depend on it'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('progressbar', { name: 'Retirement progress' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Teams still depending on it' }),
    ).toBeInTheDocument();
  });

  it('says so when the retirement progress cannot be loaded', async () => {
    const api = mockFreeboardApi();
    api.getDecision.mockRejectedValue(
      await responseError(400, 'InputError', 'kind: must be a word'),
    );
    await renderWithApis(<FloatOrSinkCard />, { api, entity: floatingEntity });
    expect(
      await screen.findByText(
        'Could not load the retirement progress: kind: must be a word',
      ),
    ).toBeInTheDocument();
  });

  it('opens the pre-flight with a migration on the remaining teams prefilled', async () => {
    const api = mockFreeboardApi();
    api.getDecision.mockResolvedValue(floatingDecisionView);
    api.runPreflight.mockResolvedValue({
      balance: 12,
      projectedBalance: -48,
      verdict: 'overdrawn',
      consumers: TEAMS.map(consumerRef => ({
        consumerRef,
        balance: 5,
        projectedBalance: -15,
        verdict: 'overdrawn' as const,
      })),
    });
    await renderWithApis(<FloatOrSinkCard />, { api, entity: floatingEntity });

    const plan = await screen.findByRole('button', {
      name: 'Plan the migration',
    });
    await waitFor(() => expect(plan).toBeEnabled());
    await userEvent.click(plan);

    const dialog = within(
      await screen.findByRole('dialog', { name: 'Pre-flight a spend' }),
    );
    expect(dialog.getByLabelText('Spend category')).toHaveValue('migration');
    // The migration category's default, per team.
    expect(dialog.getByLabelText('Amount')).toHaveValue(20);
    expect(
      dialog.getByText('Projects the spend on each of the 3 teams below.', {
        exact: false,
      }),
    ).toBeInTheDocument();
    const teams = within(
      dialog.getByRole('list', { name: 'Teams the spend is projected on' }),
    );
    expect(teams.getAllByRole('link').map(link => link.textContent)).toEqual([
      'team-payments',
      'team-search',
      'team-mobile',
    ]);

    await userEvent.click(dialog.getByRole('button', { name: 'Run' }));
    expect(api.runPreflight).toHaveBeenCalledWith(ENTITY_REF, {
      category: 'migration',
      amount: 20,
      consumerRefs: TEAMS,
    });
    expect(
      await dialog.findByRole('table', {
        name: 'Projected balance per consumer team',
      }),
    ).toBeInTheDocument();
  });

  it('offers the migration plan only to those allowed to run pre-flights', async () => {
    const api = mockFreeboardApi();
    api.getDecision.mockResolvedValue(floatingDecisionView);
    await renderWithApis(<FloatOrSinkCard />, {
      api,
      entity: floatingEntity,
      allowed: false,
    });
    expect(
      await screen.findByRole('progressbar', { name: 'Retirement progress' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Plan the migration' }),
    ).not.toBeInTheDocument();
    expect(api.getTrustConfig).not.toHaveBeenCalled();
  });

  it('has no migration to plan once no team depends on it', async () => {
    const api = mockFreeboardApi();
    api.getDecision.mockResolvedValue({
      ...floatingDecisionView,
      retirement: {
        remainingTeams: [],
        movedTeams: TEAMS,
        replacementRef: 'component:default/grafana-cloud',
        progress: 1,
      },
    });
    await renderWithApis(<FloatOrSinkCard />, { api, entity: floatingEntity });
    const progress = await screen.findByRole('progressbar', {
      name: 'Retirement progress',
    });
    expect(progress).toHaveAttribute('aria-valuenow', '100');
    expect(screen.getByText(/3 of 3 teams moved to/)).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Plan the migration' }),
    ).not.toBeInTheDocument();
  });

  it('pages through the decision history, newest first', async () => {
    const api = mockFreeboardApi();
    api.listDecisionHistory
      .mockResolvedValueOnce({
        items: decisionHistory.slice(0, 5),
        nextCursor: 'page-2',
      })
      .mockResolvedValueOnce({ items: decisionHistory.slice(5) });
    await renderWithApis(<FloatOrSinkCard />, { api, entity: floatingEntity });

    // Loaded only when opened.
    expect(api.listDecisionHistory).not.toHaveBeenCalled();
    const toggle = screen.getByRole('button', { name: 'Show history' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(
      screen.getByRole('button', { name: 'Hide history' }),
    ).toHaveAttribute('aria-expanded', 'true');
    expect(api.listDecisionHistory).toHaveBeenCalledWith(ENTITY_REF, {
      limit: 5,
      cursor: undefined,
    });

    const list = await screen.findByRole('list', { name: 'Decision history' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map(item => item.firstChild?.textContent)).toEqual([
      'Decision changed from sink to float',
      'Review-by moved from 2026-09-30 to 2027-03-31',
      'Replaced by set to “Grafana Cloud”',
      'Annotations invalid: freeboard.dev/float-or-sink must be "float" or "sink", got "swim"',
      'Removed',
    ]);
    const firstDate = within(items[0]).getByText(
      formatDate('2026-06-01T09:00:00.000Z'),
    );
    expect(firstDate.tagName).toBe('TIME');
    expect(firstDate).toHaveAttribute('datetime', '2026-06-01T09:00:00.000Z');

    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));
    expect(api.listDecisionHistory).toHaveBeenLastCalledWith(ENTITY_REF, {
      limit: 5,
      cursor: 'page-2',
    });
    await waitFor(() =>
      expect(within(list).getAllByRole('listitem')).toHaveLength(7),
    );
    const all = within(list).getAllByRole('listitem');
    expect(all[5]).toHaveTextContent('First seen');
    expect(all[5]).toHaveTextContent('Decision: sink · Review-by: 2026-09-30');
    expect(all[6]).toHaveTextContent('Entity left the catalog');
    // Keyboard users continue at the first event of the new page.
    await waitFor(() => expect(all[5]).toHaveFocus());
    expect(
      screen.queryByRole('button', { name: 'Show more' }),
    ).not.toBeInTheDocument();
  });

  it('says when there is no history yet, and why the history failed', async () => {
    const api = mockFreeboardApi();
    api.listDecisionHistory
      .mockResolvedValueOnce({ items: [] })
      .mockRejectedValueOnce(
        await responseError(400, 'InputError', 'cursor: is not valid'),
      );
    await renderWithApis(<FloatOrSinkCard />, { api, entity: floatingEntity });
    await userEvent.click(screen.getByRole('button', { name: 'Show history' }));
    expect(await screen.findByText(/No changes recorded yet/)).toBeVisible();

    await userEvent.click(screen.getByRole('button', { name: 'Hide history' }));
    await userEvent.click(screen.getByRole('button', { name: 'Show history' }));
    expect(
      await screen.findByText(/Could not load the decision history/),
    ).toBeInTheDocument();
  });

  it('explains bad annotations instead of hiding them', async () => {
    const api = mockFreeboardApi();
    await renderWithApis(<FloatOrSinkCard />, {
      api,
      entity: entityWith({ 'freeboard.dev/float-or-sink': 'swim' }),
    });
    expect(screen.getByText(/annotations have problems/)).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Show history' }),
    ).toBeInTheDocument();
  });
});

describe('migrationPreflight', () => {
  it('prefills the migration category’s default per remaining team', () => {
    expect(migrationPreflight(trustConfig, TEAMS)).toEqual({
      category: 'migration',
      amount: 20,
      consumerRefs: TEAMS,
    });
  });

  it('keeps the amount within the configured maximum', () => {
    expect(
      migrationPreflight({ ...trustConfig, maxAmount: 15 }, TEAMS).amount,
    ).toBe(15);
  });

  it('leaves the category to the dialog when none is called migration', () => {
    const config = {
      ...trustConfig,
      categories: trustConfig.categories.filter(c => c.id !== 'migration'),
    };
    expect(migrationPreflight(config, TEAMS)).toEqual({ consumerRefs: TEAMS });
  });

  it('lets the backend find the teams when there are more than a request may name', () => {
    const many = Array.from(
      { length: PREFLIGHT_MAX_CONSUMERS + 1 },
      (_, i) => `group:default/team-${i}`,
    );
    expect(migrationPreflight(trustConfig, many)).toEqual({
      category: 'migration',
      amount: 20,
    });
  });
});
