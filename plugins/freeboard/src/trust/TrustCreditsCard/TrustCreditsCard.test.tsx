import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  consumerComponent,
  consumerView,
  CONSUMER_TEAM_REF,
  emptySummary,
  ENTITY_REF,
  entity,
  groupEntity,
  mockFreeboardApi,
  ownerRollup,
  PLATFORM_TEAM_REF,
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

/** Waits until the card has loaded: its progress bar is gone. */
async function loaded() {
  await waitFor(() =>
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument(),
  );
}

describe('TrustCreditsCard from both sides', () => {
  it('shows an owner group what it owns, weakest first, not an empty ledger', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    api.getOwnerRollup.mockResolvedValue(ownerRollup);
    await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: groupEntity('platform-team'),
    });

    const list = within(
      await screen.findByRole('list', {
        name: 'Owned capabilities, weakest first',
      }),
    );
    const items = list.getAllByRole('listitem');
    expect(
      items.map(item => within(item).getAllByRole('link')[0].textContent),
    ).toEqual(['Kubernetes runtime', 'CI pipelines', 'Golden path templates']);
    expect(within(items[0]).getByText('-6.5')).toBeInTheDocument();
    expect(within(items[0]).getByText('Overdrawn')).toBeInTheDocument();
    expect(within(items[0]).getByText('Floating')).toBeInTheDocument();
    expect(
      within(items[0]).getByText('Review overdue by 4 days'),
    ).toBeInTheDocument();
    // A child group's capability says whose it is.
    expect(items[1]).toHaveTextContent('Owned by build-team');
    expect(within(items[1]).getByText('Thin')).toBeInTheDocument();
    expect(items[0]).not.toHaveTextContent('Owned by');
    expect(
      screen.getByText(
        '3 capabilities · total balance 41.5 · 1 review overdue · 1 floating',
      ),
    ).toBeInTheDocument();

    expect(
      screen.queryByText('No credits recorded yet'),
    ).not.toBeInTheDocument();
    // A team is not a capability: no Record on its page, no own ledger.
    expect(
      screen.queryByRole('button', { name: 'Record' }),
    ).not.toBeInTheDocument();
    expect(api.getOwnerRollup).toHaveBeenCalledWith(PLATFORM_TEAM_REF);
    expect(api.getTrustTrend).not.toHaveBeenCalled();
  });

  it('lists every owned capability on request', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    const items = Array.from({ length: 7 }, (_, i) => ({
      ...ownerRollup.items[2],
      entityRef: `component:default/capability-${i}`,
      title: `Capability ${i}`,
    }));
    api.getOwnerRollup.mockResolvedValue({
      ...ownerRollup,
      capabilities: 7,
      items,
    });
    await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: groupEntity('platform-team'),
    });
    const list = await screen.findByRole('list', {
      name: 'Owned capabilities, weakest first',
    });
    expect(within(list).getAllByRole('listitem')).toHaveLength(5);
    const more = screen.getByRole('button', { name: 'Show all 7' });
    expect(more).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(more);
    expect(within(list).getAllByRole('listitem')).toHaveLength(7);
    expect(screen.getByRole('button', { name: 'Show fewer' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
  });

  it('shows a consumer team its balance with each capability and what it was last charged', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    api.getConsumerView.mockResolvedValue(consumerView());
    await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: groupEntity('team-payments'),
    });

    expect(
      await screen.findByText('Your balance with the platform'),
    ).toBeInTheDocument();
    const list = within(
      screen.getByRole('list', {
        name: 'Your team’s balance per capability, lowest first',
      }),
    );
    const [kubernetes, ci] = list.getAllByRole('listitem');
    expect(
      within(kubernetes).getByRole('link', { name: /Kubernetes runtime/ }),
    ).toBeInTheDocument();
    expect(within(kubernetes).getByText('-8.2')).toBeInTheDocument();
    expect(within(kubernetes).getByText('Overdrawn')).toBeInTheDocument();
    expect(kubernetes).toHaveTextContent(
      'Last charged: Migration to v2 · \u22128 · 3 weeks ago',
    );
    expect(kubernetes).toHaveTextContent(
      'Floating: the platform plans to retire it',
    );
    expect(ci).toHaveTextContent('Never charged to your team');
    expect(within(ci).getByText('Healthy')).toBeInTheDocument();
    expect(api.getConsumerView).toHaveBeenCalledWith(CONSUMER_TEAM_REF);
    // The group owns nothing: no owner section, and no empty ledger.
    expect(
      screen.queryByText('Capabilities this team owns'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByText('No credits recorded yet'),
    ).not.toBeInTheDocument();
  });

  it('sends a pulse about one capability and refreshes the balances', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    api.getConsumerView.mockResolvedValue(consumerView());
    await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: groupEntity('team-payments'),
    });
    const helped = await screen.findByRole('button', {
      name: 'This helped: Kubernetes runtime',
    });
    expect(
      screen.getByRole('button', { name: 'This hurt: CI pipelines' }),
    ).toBeInTheDocument();
    api.getConsumerView.mockClear();
    await userEvent.click(helped);

    expect(api.sendPulse).toHaveBeenCalledTimes(1);
    expect(api.sendPulse).toHaveBeenCalledWith(
      'component:default/kubernetes-runtime',
      { sentiment: 'up', comment: undefined },
    );
    await waitFor(() =>
      expect(api.getConsumerView).toHaveBeenCalledWith(CONSUMER_TEAM_REF),
    );
    expect(
      await screen.findByText(/your pulse counts for this week/),
    ).toBeInTheDocument();
  });

  it('offers no pulse to those not allowed to send one', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    api.getConsumerView.mockResolvedValue(consumerView());
    await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: groupEntity('team-payments'),
      allowed: false,
    });
    expect(
      await screen.findByText('Your balance with the platform'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /This helped/ }),
    ).not.toBeInTheDocument();
  });

  it('shows both sides on a group that owns capabilities and consumes others', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    api.getOwnerRollup.mockResolvedValue(ownerRollup);
    api.getConsumerView.mockResolvedValue(
      consumerView({ teamRef: PLATFORM_TEAM_REF }),
    );
    await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: groupEntity('platform-team'),
    });
    expect(
      await screen.findByRole('region', {
        name: 'Capabilities this team owns',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Your balance with the platform' }),
    ).toBeInTheDocument();
  });

  it('shows a group its own ledger when it has one', async () => {
    const api = mockFreeboardApi();
    await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: groupEntity('platform-team'),
    });
    expect(await screen.findByLabelText('Trust balance')).toHaveTextContent(
      '12.3',
    );
    expect(
      screen.getByText('Credits recorded on this team'),
    ).toBeInTheDocument();
    expect(api.getTrustTrend).toHaveBeenCalledWith(PLATFORM_TEAM_REF, 90);
  });

  it('shows a consumer team’s component its team’s balances instead of an empty ledger', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    api.getInitiative.mockResolvedValue({
      entityRef: 'component:default/payments-api',
      started: false,
    } as Awaited<ReturnType<typeof api.getInitiative>>);
    api.getConsumerView.mockResolvedValue(
      consumerView({ componentRef: 'component:default/payments-api' }),
    );
    // Even someone who may record sees the team's view, not "No credits".
    await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: consumerComponent,
    });
    expect(
      await screen.findByText('Your balance with the platform'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/the team that owns this component/),
    ).toHaveTextContent('As team-payments, the team that owns this component');
    expect(
      screen.queryByText('No credits recorded yet'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Record' }),
    ).not.toBeInTheDocument();
    expect(api.getConsumerView).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
    expect(api.getInitiative).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });

  it('keeps a capability’s own card without its team’s balances', async () => {
    const api = mockFreeboardApi();
    api.getConsumerView.mockResolvedValue(consumerView());
    await renderWithApis(<TrustCreditsCard />, { api, entity });
    await screen.findByLabelText('Trust balance');
    expect(
      screen.queryByText('Your balance with the platform'),
    ).not.toBeInTheDocument();
  });

  it('renders nothing for an entity with nothing to show', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    api.getInitiative.mockResolvedValue({
      entityRef: 'component:default/payments-api',
      started: false,
    } as Awaited<ReturnType<typeof api.getInitiative>>);
    const { container } = await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: consumerComponent,
      allowed: false,
    });
    await loaded();
    await waitFor(() => expect(api.getConsumerView).toHaveBeenCalled());
    expect(screen.queryByText('Trust credits')).not.toBeInTheDocument();
    expect(container).toBeEmptyDOMElement();
  });

  it('renders nothing for a team that owns and consumes nothing, even for someone who may record', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    const { container } = await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: groupEntity('team-search'),
    });
    await loaded();
    expect(api.getOwnerRollup).toHaveBeenCalledWith(
      'group:default/team-search',
    );
    expect(container).toBeEmptyDOMElement();
  });

  it('renders nothing when the consumer view does not know the component', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    api.getInitiative.mockResolvedValue({
      entityRef: 'component:default/payments-api',
      started: false,
    } as Awaited<ReturnType<typeof api.getInitiative>>);
    api.getConsumerView.mockRejectedValue(
      await responseError(404, 'NotFoundError', 'No owner group'),
    );
    const { container } = await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: consumerComponent,
      allowed: false,
    });
    await loaded();
    expect(container).toBeEmptyDOMElement();
  });

  it('shows why the team’s balances could not be loaded', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    api.getConsumerView.mockRejectedValue(
      await responseError(
        400,
        'InputError',
        'kind: must be group or component',
      ),
    );
    await renderWithApis(<TrustCreditsCard />, {
      api,
      entity: groupEntity('team-payments'),
    });
    expect(
      await screen.findByText(/Could not load your team’s balances/),
    ).toBeInTheDocument();
  });

  it('keeps the card of a capability that has no entries yet', async () => {
    // A decision annotation makes it a capability: the card shows to anyone,
    // Record only to those allowed.
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    await renderWithApis(<TrustCreditsCard />, {
      api,
      allowed: false,
      entity: {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: { 'freeboard.dev/float-or-sink': 'sink' },
        },
      },
    });
    expect(
      await screen.findByText('No credits recorded yet'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Record' }),
    ).not.toBeInTheDocument();
    // Neither the initiative nor the team's balances decide anything here.
    expect(api.getInitiative).not.toHaveBeenCalled();
    expect(api.getConsumerView).not.toHaveBeenCalled();
  });

  it('keeps the card of an entity running an MVP initiative', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    await renderWithApis(<TrustCreditsCard />, { api, allowed: false });
    expect(
      await screen.findByText('No credits recorded yet'),
    ).toBeInTheDocument();
    expect(api.getInitiative).toHaveBeenCalledWith(ENTITY_REF);
  });

  it('offers the first entry to someone who may record on a new capability', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockResolvedValue(emptySummary);
    api.getInitiative.mockRejectedValue(new Error('phases unavailable'));
    await renderWithApis(<TrustCreditsCard />, { api });
    expect(
      await screen.findByText('No credits recorded yet'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Record' }),
    ).toBeInTheDocument();
  });
});
