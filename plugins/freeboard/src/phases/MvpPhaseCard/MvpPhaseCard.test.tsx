import { phasesManagePermission } from '@freeboard/backstage-plugin-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  mockFreeboardApi,
  renderWithApis,
  responseError,
} from '../../__testUtils__/fixtures';
import {
  notStartedState,
  startedState,
} from '../../__testUtils__/phasesFixtures';
import { MvpPhaseCard } from './MvpPhaseCard';

describe('MvpPhaseCard', () => {
  it('shows progress while loading', async () => {
    const api = mockFreeboardApi();
    api.getInitiative.mockReturnValue(new Promise(() => {}));
    await renderWithApis(<MvpPhaseCard />, { api });
    expect(screen.getByText('MVP phase')).toBeInTheDocument();
    expect(screen.getAllByTestId('progress').length).toBeGreaterThan(0);
  });

  it('shows the server’s error when the initiative cannot be loaded', async () => {
    const api = mockFreeboardApi();
    api.getInitiative.mockRejectedValue(
      await responseError(404, 'NotFoundError', 'No entity here'),
    );
    await renderWithApis(<MvpPhaseCard />, { api });
    expect(
      await screen.findByText(/Could not load the MVP phase/),
    ).toBeInTheDocument();
  });

  it('shows phase, iteration, criteria, sign-offs, pioneer, adoption and target', async () => {
    const api = mockFreeboardApi();
    await renderWithApis(<MvpPhaseCard />, { api });

    expect(
      await screen.findByText('Integration · iteration 1'),
    ).toBeInTheDocument();
    expect(api.getInitiative).toHaveBeenCalledWith(ENTITY_REF, {});
    const stepper = screen.getByRole('list', { name: 'MVP phases' });
    const steps = within(stepper).getAllByRole('listitem');
    expect(steps.map(s => s.textContent)).toEqual([
      'DiscoveryDone',
      'IntegrationCurrent',
      'DeploymentUpcoming',
      'AdoptionUpcoming',
    ]);
    expect(steps[1]).toHaveAttribute('aria-current', 'step');

    // Waivers are counted apart from the done criteria.
    expect(
      screen.getByText('2 of 5 done · 1 waived · 1 waiver expired'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/3 things block the advance to Deployment/),
    ).toBeInTheDocument();
    const pending = within(
      screen.getByRole('list', { name: 'Pending sign-offs' }),
    );
    expect(pending.getAllByRole('listitem')).toHaveLength(1);
    expect(pending.getByText('team-search')).toBeInTheDocument();
    expect(screen.getByText('team-payments')).toBeInTheDocument();
    expect(
      screen.getByText('1 of 3 teams; Wave 1: 1 of 2, Wave 2: 0 of 1'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Jul.* · \d+ days left/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Open phases/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/observability-stack/phases',
    );
  });

  it('says when the target date has passed', async () => {
    const api = mockFreeboardApi();
    api.getInitiative.mockResolvedValue({
      ...startedState,
      phases: startedState.phases.map(p =>
        p.id === 'integration' ? { ...p, targetDate: '2020-01-01' } : p,
      ),
    });
    await renderWithApis(<MvpPhaseCard />, { api });
    expect(await screen.findByText(/days overdue/)).toBeInTheDocument();
  });

  it('explains MVP phases and starts the initiative for those allowed', async () => {
    const api = mockFreeboardApi();
    api.getInitiative.mockResolvedValue(notStartedState);
    await renderWithApis(<MvpPhaseCard />, { api });
    expect(await screen.findByText('Not started yet')).toBeInTheDocument();
    expect(screen.getByText(/Adoption is measured/)).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /Open phases/ }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(api.startInitiative).toHaveBeenCalledWith(ENTITY_REF);
    expect(
      await screen.findByText('Integration · iteration 1'),
    ).toBeInTheDocument();
  });

  it('shows why starting failed', async () => {
    const api = mockFreeboardApi();
    api.getInitiative.mockResolvedValue(notStartedState);
    api.startInitiative.mockRejectedValue(
      await responseError(403, 'NotAllowedError', 'Not a platform lead'),
    );
    await renderWithApis(<MvpPhaseCard />, { api });
    await userEvent.click(await screen.findByRole('button', { name: 'Start' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not start: Not a platform lead',
    );
  });

  it('offers Start only to those who may manage the initiative', async () => {
    const api = mockFreeboardApi();
    api.getInitiative.mockResolvedValue(notStartedState);
    await renderWithApis(<MvpPhaseCard />, {
      api,
      authorize: request =>
        request.permission.name === phasesManagePermission.name
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    expect(
      await screen.findByText(/A platform lead or an owner/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Start' }),
    ).not.toBeInTheDocument();
  });
});
