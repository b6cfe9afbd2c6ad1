import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  emptySummary,
  ENTITY_REF,
  mockFreeboardApi,
  renderWithApis,
  responseError,
  summary,
} from '../../__testUtils__/fixtures';
import { TrustCreditsCard } from './TrustCreditsCard';

describe('TrustCreditsCard', () => {
  it('shows progress while loading', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockReturnValue(new Promise(() => {}));
    await renderWithApis(<TrustCreditsCard />, { api });
    expect(screen.getByText('Trust credits')).toBeInTheDocument();
    expect(screen.getAllByTestId('progress').length).toBeGreaterThan(0);
    expect(screen.queryByLabelText('Trust balance')).not.toBeInTheDocument();
  });

  it('explains trust credits when nothing is recorded yet', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    api.listTrustEntries.mockResolvedValue({ entries: [] });
    await renderWithApis(<TrustCreditsCard />, { api });
    expect(
      await screen.findByText('No credits recorded yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/goodwill a platform team earns/),
    ).toBeInTheDocument();
    // The first entry has to be recordable from the empty card.
    expect(screen.getByRole('button', { name: 'Record' })).toBeInTheDocument();
    expect(screen.queryByLabelText('Trust balance')).not.toBeInTheDocument();
  });

  it('shows the server’s error when the summary cannot be loaded', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockRejectedValue(
      await responseError(
        404,
        'NotFoundError',
        'No entity component:default/observability-stack',
      ),
    );
    await renderWithApis(<TrustCreditsCard />, { api });
    expect(
      await screen.findByText(/Could not load the trust credits/),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Trust balance')).not.toBeInTheDocument();
  });

  it('shows the balance, level, totals, lowest consumers and latest entries', async () => {
    const api = mockFreeboardApi();
    await renderWithApis(<TrustCreditsCard />, { api });

    const balance = await screen.findByLabelText('Trust balance');
    expect(balance).toHaveTextContent(/^12\.3$/);
    expect(
      within(balance.parentElement!).getByText('Healthy'),
    ).toBeInTheDocument();
    expect(screen.getByText('Earned 40.0 · Spent 27.7')).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'Balance over the last 90 days: from 3.0 to 12.3',
      }),
    ).toBeInTheDocument();

    const consumers = within(
      screen.getByRole('list', { name: 'Teams that paid the most' }),
    );
    expect(consumers.getAllByRole('listitem')).toHaveLength(3);
    expect(consumers.getByText('team-payments')).toBeInTheDocument();
    expect(consumers.getByText('Overdrawn')).toBeInTheDocument();
    expect(consumers.queryByText('team-data')).not.toBeInTheDocument();

    const latest = within(screen.getByRole('list', { name: 'Latest entries' }));
    expect(latest.getAllByRole('listitem')).toHaveLength(3);
    expect(
      latest.getByText('Move everyone to OpenTelemetry'),
    ).toBeInTheDocument();
    expect(latest.getByText('−20')).toBeInTheDocument();

    expect(screen.getByText('This week: 2 helped, 1 hurt')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /View history/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/observability-stack/trust-credits',
    );
    expect(api.getTrustTrend).toHaveBeenCalledWith(ENTITY_REF, 90);
    expect(api.listTrustEntries).toHaveBeenCalledWith(ENTITY_REF, { limit: 3 });
  });

  it('sends a pulse with one click and refreshes the card', async () => {
    const api = mockFreeboardApi();
    await renderWithApis(<TrustCreditsCard />, { api });
    await screen.findByLabelText('Trust balance');
    api.getTrustSummary.mockResolvedValue({
      ...summary,
      pulses: { ...summary.pulses, last7Days: { up: 3, down: 1 } },
    });

    await userEvent.click(screen.getByRole('button', { name: 'This helped' }));

    expect(api.sendPulse).toHaveBeenCalledWith(ENTITY_REF, {
      sentiment: 'up',
      comment: undefined,
    });
    expect(
      await screen.findByText('This week: 3 helped, 1 hurt'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/your pulse counts for this week/),
    ).toBeInTheDocument();
  });

  it('sends an optional comment as a replacing pulse', async () => {
    const api = mockFreeboardApi();
    await renderWithApis(<TrustCreditsCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'This hurt' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Add a comment' }),
    );
    await userEvent.type(
      screen.getByLabelText('Comment'),
      'The migration broke our CI',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(api.sendPulse).toHaveBeenLastCalledWith(ENTITY_REF, {
      sentiment: 'down',
      comment: 'The migration broke our CI',
    });
  });

  it('withdraws the pulse sent in this session and refreshes the counts', async () => {
    const api = mockFreeboardApi();
    await renderWithApis(<TrustCreditsCard />, { api });
    // Nothing to withdraw before a pulse is sent.
    await screen.findByLabelText('Trust balance');
    expect(
      screen.queryByRole('button', { name: 'Withdraw my pulse' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'This helped' }));
    const withdraw = await screen.findByRole('button', {
      name: 'Withdraw my pulse',
    });
    api.getTrustSummary.mockResolvedValue({
      ...summary,
      pulses: { ...summary.pulses, last7Days: { up: 1, down: 1 } },
    });
    api.getTrustSummary.mockClear();
    await userEvent.click(withdraw);

    expect(api.withdrawPulse).toHaveBeenCalledWith(ENTITY_REF);
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Your pulse is withdrawn; it no longer counts.',
    );
    expect(
      await screen.findByText('This week: 1 helped, 1 hurt'),
    ).toBeInTheDocument();
    expect(api.getTrustSummary).toHaveBeenCalledWith(ENTITY_REF);
    expect(
      screen.queryByRole('button', { name: 'Withdraw my pulse' }),
    ).not.toBeInTheDocument();
    // Keyboard users land back on the button they used.
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'This helped' })).toHaveFocus(),
    );
  });

  it('says so when there was no counted pulse to withdraw', async () => {
    const api = mockFreeboardApi();
    api.withdrawPulse.mockResolvedValue({ withdrawn: false, summary });
    await renderWithApis(<TrustCreditsCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'This hurt' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Withdraw my pulse' }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'You had no pulse counted this week, so nothing was withdrawn.',
    );
  });

  it('shows why a withdrawal failed and keeps offering it', async () => {
    const api = mockFreeboardApi();
    api.withdrawPulse.mockRejectedValue(
      await responseError(403, 'NotAllowedError', 'Not your pulse'),
    );
    await renderWithApis(<TrustCreditsCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'This helped' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Withdraw my pulse' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not withdraw your pulse: Not your pulse',
    );
    expect(
      screen.getByRole('button', { name: 'Withdraw my pulse' }),
    ).toBeEnabled();
  });

  it('shows why a pulse failed', async () => {
    const api = mockFreeboardApi();
    api.sendPulse.mockRejectedValue(
      await responseError(
        403,
        'NotAllowedError',
        'You are not allowed to do that',
      ),
    );
    await renderWithApis(<TrustCreditsCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'This hurt' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You are not allowed to do that',
    );
  });

  it('offers Record, Pre-flight and pulses only to those allowed', async () => {
    const api = mockFreeboardApi();
    await renderWithApis(<TrustCreditsCard />, { api, allowed: false });
    await screen.findByLabelText('Trust balance');
    expect(
      screen.queryByRole('button', { name: 'Record' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Pre-flight' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'This helped' }),
    ).not.toBeInTheDocument();
    // The counts stay visible to everyone.
    expect(screen.getByText('This week: 2 helped, 1 hurt')).toBeInTheDocument();
  });

  it('refreshes the card after recording an entry', async () => {
    const api = mockFreeboardApi();
    await renderWithApis(<TrustCreditsCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Record' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Record trust credits',
    });
    await userEvent.selectOptions(
      within(dialog).getByLabelText('Category'),
      'pain-point-removed',
    );
    api.getTrustSummary.mockResolvedValue({ ...summary, balance: 22.34 });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Record entry' }),
    );

    await waitFor(() =>
      expect(screen.getByLabelText('Trust balance')).toHaveTextContent('22.3'),
    );
    expect(
      screen.queryByRole('dialog', { name: 'Record trust credits' }),
    ).not.toBeInTheDocument();
  });
});
