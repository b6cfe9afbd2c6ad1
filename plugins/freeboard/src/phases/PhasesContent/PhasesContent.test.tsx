import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  mockFreeboardApi,
  responseError,
} from '../../__testUtils__/fixtures';
import { renderPhasesTab } from '../../__testUtils__/phasesHarness';
import {
  historyEvents,
  notStartedState,
  readyState,
  startedState,
} from '../../__testUtils__/phasesFixtures';
import { PhaseConflictError } from '../../shared';

describe('PhasesContent', () => {
  it('shows the stepper with dates, the current phase’s criteria and sign-offs', async () => {
    const { api } = await renderPhasesTab();
    const stepper = screen.getByRole('list', { name: 'MVP phases' });
    const discovery = within(stepper).getByRole('button', {
      name: /Discovery/,
    });
    expect(discovery).toHaveTextContent(/Done.*Entered.*2024.*Exited.*2024/);
    expect(
      within(stepper).getByRole('button', { name: /Integration/ }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(
      screen.getByRole('list', { name: 'Exit criteria of Integration' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Sign-offs of Integration' }),
    ).toBeInTheDocument();
    expect(api.getInitiative).toHaveBeenCalledWith(ENTITY_REF, {});
  });

  it('shows another phase’s criteria and sign-offs when its step is clicked', async () => {
    await renderPhasesTab();
    await userEvent.click(screen.getByRole('button', { name: /Discovery/ }));
    const criteria = within(
      screen.getByRole('list', { name: 'Exit criteria of Discovery' }),
    );
    expect(criteria.getByText('Golden paths chosen')).toBeInTheDocument();
    const signoffs = within(
      screen.getByRole('list', { name: 'Sign-offs of Discovery' }),
    );
    expect(signoffs.getByText('Approved')).toBeInTheDocument();
    expect(signoffs.getByText(/Threat model reviewed/)).toBeInTheDocument();
  });

  it('disables Advance while blocked and lists the blockers', async () => {
    await renderPhasesTab();
    const advance = screen.getByRole('button', {
      name: 'Advance to Deployment',
    });
    expect(advance).toBeDisabled();
    const blockers = screen.getByRole('list', {
      name: 'What blocks the advance to Deployment',
    });
    expect(within(blockers).getAllByRole('listitem')).toHaveLength(3);
    expect(blockers).toHaveTextContent('Components connected is open');
    expect(advance).toHaveAttribute('aria-describedby', blockers.id);
  });

  it('advances with the version on screen', async () => {
    const api = mockFreeboardApi();
    api.getInitiative.mockResolvedValue(readyState);
    api.transitionInitiative.mockResolvedValue({
      state: { ...readyState, phase: 'deployment', version: 13 },
    });
    await renderPhasesTab({ api });
    await userEvent.click(
      screen.getByRole('button', { name: 'Advance to Deployment' }),
    );
    expect(api.transitionInitiative).toHaveBeenCalledWith(ENTITY_REF, {
      to: 'deployment',
      expectedVersion: 12,
      direction: 'advance',
    });
    expect(
      await screen.findByText('Deployment · iteration 1'),
    ).toBeInTheDocument();
  });

  it('shows the blockers when an advance is refused', async () => {
    const api = mockFreeboardApi();
    api.getInitiative.mockResolvedValue(readyState);
    api.transitionInitiative.mockRejectedValue(
      new PhaseConflictError('The initiative cannot advance', {
        blockers: startedState.blockers,
        state: startedState,
      }),
    );
    await renderPhasesTab({ api });
    await userEvent.click(
      screen.getByRole('button', { name: 'Advance to Deployment' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The initiative cannot advance yet');
    expect(alert).toHaveTextContent(
      'group:default/team-search has not signed off',
    );
    // The state that came with the 409 is on screen: Advance is blocked.
    expect(
      screen.getByRole('button', { name: 'Advance to Deployment' }),
    ).toBeDisabled();
  });

  it('steps back with a required reason', async () => {
    const { api } = await renderPhasesTab();
    await userEvent.click(screen.getByRole('button', { name: 'Step back' }));
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Step back' }),
    );
    expect(dialog.getByLabelText('Step back to')).toHaveValue('discovery');
    await userEvent.click(dialog.getByRole('button', { name: 'Step back' }));
    expect(dialog.getByRole('alert')).toHaveTextContent(/Give a reason/);
    expect(api.transitionInitiative).not.toHaveBeenCalled();

    await userEvent.type(
      dialog.getByLabelText(/Reason/),
      'The golden paths changed',
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Step back' }));
    expect(api.transitionInitiative).toHaveBeenCalledWith(ENTITY_REF, {
      to: 'discovery',
      expectedVersion: 12,
      reason: 'The golden paths changed',
      direction: 'back',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('shows the latest state when someone else changed the initiative', async () => {
    const api = mockFreeboardApi();
    api.setPhaseCriterion.mockRejectedValue(
      new PhaseConflictError('Stale', {
        currentVersion: 14,
        state: { ...startedState, version: 14, iteration: 2 },
      }),
    );
    await renderPhasesTab({ api });
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Components connected' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Someone changed this initiative; showing the latest.',
    );
    expect(
      await screen.findByText('Integration · iteration 2'),
    ).toBeInTheDocument();
  });

  it('shows everything read-only, without actions, to those who may not manage it', async () => {
    await renderPhasesTab({ canManage: false, canSignoff: false });
    expect(screen.getByText('Components connected')).toBeInTheDocument();
    expect(
      screen.getByText('What blocks the advance to Deployment'),
    ).toBeInTheDocument();
    for (const name of [
      /Advance/,
      'Step back',
      'Add criterion',
      /Waive/,
      /Reopen/,
      /Remove/,
      'Request sign-off',
      'Add cohort',
      /Edit/,
      /Approve/,
      'Save target',
      'Clear target',
    ]) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Pioneer team')).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/Target date of/)).not.toBeInTheDocument();
    // Reading stays possible: the past, the report.
    expect(screen.getByLabelText('As of')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Export Markdown' }),
    ).toBeInTheDocument();
  });

  it('shows the past read-only, with a banner, and goes back to now', async () => {
    const { api } = await renderPhasesTab();
    api.getInitiative.mockResolvedValue({
      ...startedState,
      asOf: '2024-04-05T21:59:59.999Z',
    });
    await userEvent.type(screen.getByLabelText('As of'), '2024-04-05');

    expect(await screen.findByRole('status')).toHaveTextContent(
      /Showing this initiative as of .*2024.*read-only/,
    );
    const [, options] = api.getInitiative.mock.calls.at(-1)!;
    expect(new Date(options!.asOf!).getDate()).toBe(5);
    expect(
      screen.queryByRole('button', { name: /Advance/ }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();

    await userEvent.click(
      within(screen.getByRole('status')).getByRole('button', {
        name: 'Back to now',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('status')).not.toBeInTheDocument(),
    );
    expect(api.getInitiative).toHaveBeenLastCalledWith(ENTITY_REF, {});
    expect(
      await screen.findByRole('button', { name: /Advance/ }),
    ).toBeInTheDocument();
  });

  it('explains MVP phases and offers Start before the initiative starts', async () => {
    const api = mockFreeboardApi();
    api.getInitiative.mockResolvedValue(notStartedState);
    await renderPhasesTab({ api, waitFor: 'Not started yet' });
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(api.startInitiative).toHaveBeenCalledWith(ENTITY_REF);
    expect(
      await screen.findByText('Integration · iteration 1'),
    ).toBeInTheDocument();
  });

  it('shows the server’s error when the initiative cannot be loaded', async () => {
    const api = mockFreeboardApi();
    api.getInitiative.mockRejectedValue(
      await responseError(404, 'NotFoundError', 'No such entity'),
    );
    await renderPhasesTab({ api, waitFor: /Could not load the MVP phases/ });
    expect(screen.getAllByText(/No such entity/).length).toBeGreaterThan(0);
    expect(
      screen.queryByRole('list', { name: 'MVP phases' }),
    ).not.toBeInTheDocument();
  });

  it('downloads the steering report', async () => {
    const createObjectURL = jest.fn(() => 'blob:report');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function checkLink(this: HTMLAnchorElement) {
        expect(this.download).toBe('observability-stack-mvp-phases.json');
        expect(this.href).toBe('blob:report');
      });
    try {
      const { api } = await renderPhasesTab();
      api.getPhasesReport.mockResolvedValue('{"phase":"integration"}');
      await userEvent.click(
        screen.getByRole('button', { name: 'Export JSON' }),
      );
      await waitFor(() => expect(click).toHaveBeenCalled());
      expect(api.getPhasesReport).toHaveBeenCalledWith(ENTITY_REF, 'json');
      expect(revokeObjectURL).toHaveBeenCalledWith('blob:report');
    } finally {
      click.mockRestore();
    }
  });

  it('lists the history newest first, filters it by kind and pages on', async () => {
    const api = mockFreeboardApi();
    api.listPhaseHistory
      .mockResolvedValueOnce({ items: historyEvents, nextCursor: 'next' })
      .mockResolvedValueOnce({
        items: [
          {
            version: 1,
            type: 'started',
            occurredAt: '2024-03-01T09:00:00.000Z',
            actorRef: 'user:default/guest',
            summary: 'Started at Discovery',
            data: {},
          },
        ],
      });
    await renderPhasesTab({ api });
    const history = await screen.findByRole('list', { name: 'History' });
    const items = within(history).getAllByRole('listitem');
    expect(items.map(i => i.querySelector('strong')?.textContent)).toEqual([
      'Waived “Load test passed” until 1 Jan 2099',
      'Advanced from Discovery to Integration',
      'group:default/security approved Discovery',
    ]);
    expect(items[0]).toHaveTextContent('Reason: Load tests run in Deployment');
    expect(api.listPhaseHistory).toHaveBeenCalledWith(ENTITY_REF, {
      limit: 25,
      cursor: undefined,
    });

    await userEvent.selectOptions(screen.getByLabelText('Show'), 'moves');
    expect(
      within(screen.getByRole('list', { name: 'History' })).getAllByRole(
        'listitem',
      ),
    ).toHaveLength(1);

    await userEvent.click(
      screen.getByRole('button', { name: 'Load older events' }),
    );
    expect(api.listPhaseHistory).toHaveBeenLastCalledWith(ENTITY_REF, {
      limit: 25,
      cursor: 'next',
    });
    expect(await screen.findByText('Started at Discovery')).toBeInTheDocument();
  });
});
