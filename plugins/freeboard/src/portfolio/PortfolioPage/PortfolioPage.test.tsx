import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { responseError } from '../../__testUtils__/fixtures';
import {
  currentParams,
  lastPortfolioQuery,
  mockPortfolioApi,
  renderPortfolio,
} from '../__testUtils__/portfolioHarness';
import {
  emptySummary,
  emptyThickness,
} from '../__testUtils__/portfolioFixtures';
import { PortfolioPage, PortfolioPageContent } from './PortfolioPage';

/** The InfoCard whose header reads `title`. */
async function card(title: string) {
  const heading = await screen.findByText(title, {
    selector: '.MuiCardHeader-title, .MuiCardHeader-title *',
  });
  return within(heading.closest('.MuiCard-root') as HTMLElement);
}

describe('PortfolioPage', () => {
  it('has the legacy header with the question it answers', async () => {
    await renderPortfolio({ element: <PortfolioPage /> });
    expect(
      screen.getByRole('heading', { level: 1, name: 'Freeboard' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('How is our platform doing as a product?'),
    ).toBeInTheDocument();
  });

  it('asks its question under the app’s header in the new frontend system', async () => {
    await renderPortfolio({ element: <PortfolioPageContent /> });
    expect(
      screen.getByRole('heading', {
        name: 'How is our platform doing as a product?',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Freeboard' })).toBeNull();
  });

  it('shows the thickness meter: now, per system, trend and projection', async () => {
    const { api } = await renderPortfolio();
    expect(api.getThickness).toHaveBeenCalledWith({ days: 90 });
    const meter = await card('Thinnest viable platform');

    expect(meter.getByText('23% thick')).toBeInTheDocument();
    expect(
      meter.getByRole('progressbar', { name: /Thickness/ }),
    ).toHaveAttribute('aria-valuenow', '23');
    expect(
      meter.getByText(/12 unique · 5 kept · 3 floating, of 20 capabilities/),
    ).toBeInTheDocument();
    expect(
      meter.getByText('Projected, once the floating capabilities are retired'),
    ).toBeInTheDocument();
    expect(meter.getByText('15%')).toBeInTheDocument();
    expect(
      meter.getByText(/after retiring 3 floating capabilities/),
    ).toBeInTheDocument();
    expect(
      meter.getByRole('img', {
        name: 'Thickness over the last 3 days: from 30% to 23%',
      }),
    ).toBeInTheDocument();

    const systems = within(
      meter.getByRole('table', { name: 'Thickness per system' }),
    );
    const rows = systems.getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      'observability50%211',
      'No system20%1042',
    ]);
  });

  it('lists overdue reviews, most overdue first, and filters the table to them', async () => {
    const { api } = await renderPortfolio();
    const panel = await card('Overdue reviews');
    const items = within(
      panel.getByRole('list', { name: 'Overdue reviews' }),
    ).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(
      within(items[0]).getByRole('link', { name: 'Observability stack' }),
    ).toHaveAttribute('href', '/catalog/default/component/observability-stack');
    expect(items[0]).toHaveTextContent('12 days overdue');
    expect(items[0]).toHaveTextContent(/Float · review by/);
    // The owner sits in the caption's text: underlined, the title is not.
    expect(
      within(items[0]).getByRole('link', { name: 'platform-team' }),
    ).toHaveClass('MuiLink-underlineAlways');
    expect(
      within(items[0]).getByRole('link', { name: 'Observability stack' }),
    ).not.toHaveClass('MuiLink-underlineAlways');
    expect(items[1]).toHaveTextContent('2 days overdue');
    // Three overdue in all, two listed.
    expect(panel.getByText(/1 more review overdue/)).toBeInTheDocument();

    await userEvent.click(
      panel.getByRole('button', { name: 'Show overdue in the table' }),
    );
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toMatchObject({ overdue: true }),
    );
    expect(currentParams().get('overdue')).toBe('true');
  });

  it('shows who is overdrawn and where', async () => {
    await renderPortfolio();
    const panel = await card('Overdrawn teams');
    const [team] = within(
      panel.getByRole('list', { name: 'Overdrawn teams' }),
    ).getAllByRole('listitem');
    expect(within(team).getByText('team-payments')).toBeInTheDocument();
    expect(team).toHaveTextContent('-12.3 overdrawn');
    expect(team).toHaveTextContent(
      'Paid most on Observability stack (-8.2), Kubernetes runtime (-4.1)',
    );
    const capability = within(team).getByRole('link', {
      name: 'Kubernetes runtime',
    });
    expect(capability).toHaveAttribute(
      'href',
      '/catalog/default/component/kubernetes-runtime',
    );
    // A link in a sentence is underlined, not told apart by colour alone.
    expect(capability).toHaveClass('MuiLink-underlineAlways');
  });

  it('shows the phases at a glance with their blockers', async () => {
    await renderPortfolio();
    const panel = await card('Phases at a glance');
    const rows = within(
      panel.getByRole('table', { name: 'MVP initiatives per phase' }),
    )
      .getAllByRole('row')
      .slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      'Discovery43Pioneer team chosen (3), Security sign-off (1)',
      'Integration30Nothing',
      'Deployment21Nothing',
      'Adoption10Nothing',
    ]);
    // Scrolls sideways from the keyboard when the card is narrow.
    expect(
      panel.getByRole('region', {
        name: 'MVP initiatives per phase, scrollable',
      }),
    ).toHaveAttribute('tabindex', '0');
  });

  it('rolls teams up under their parents, and filters the table by the chosen one', async () => {
    const { api } = await renderPortfolio();
    const panel = await card('Teams');
    const table = within(
      panel.getByRole('table', { name: 'Teams and what they own' }),
    );
    const teamButtons = table.getAllByRole('button');
    expect(teamButtons.map(b => b.textContent)).toEqual([
      'platform-team',
      'platform-infra',
      'team-data',
    ]);
    // The child group says whose part it is, for screen readers.
    expect(teamButtons[1].closest('th')).toHaveTextContent(
      'platform-infra, part of platform-team',
    );
    expect(teamButtons[0].closest('tr')).toHaveTextContent(
      'platform-team925.8Overdrawn32',
    );

    await userEvent.click(teamButtons[1]);
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toMatchObject({
        owner: 'group:default/platform-infra',
        offset: 0,
      }),
    );
    await waitFor(() =>
      expect(
        table.getByRole('button', { name: 'platform-infra' }),
      ).toHaveAttribute('aria-pressed', 'true'),
    );
    expect(screen.getByLabelText('Owner')).toHaveValue('platform-infra');

    // Choosing it again shows everything.
    await userEvent.click(
      table.getByRole('button', { name: 'platform-infra' }),
    );
    await waitFor(() => expect(currentParams().has('owner')).toBe(false));
  });

  it('suggests the known teams and systems in the filters', async () => {
    await renderPortfolio();
    await card('Teams');
    await userEvent.click(screen.getByLabelText('Owner'));
    const owners = await screen.findByRole('listbox');
    expect(
      within(owners)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['team-data', 'platform-infra', 'platform-team']);
    await userEvent.click(screen.getByLabelText('System'));
    expect(
      within(await screen.findByRole('listbox'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['observability']);
  });

  it('explains empty panels', async () => {
    const api = mockPortfolioApi();
    api.getPortfolioSummary.mockResolvedValue(emptySummary);
    api.getThickness.mockResolvedValue(emptyThickness);
    await renderPortfolio({ api });
    expect(
      await screen.findByText(/No float-or-sink decision is overdue/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No consumer team is overdrawn/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No MVP initiative has started yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No team owns a platform capability yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/thickness cannot be measured/),
    ).toBeInTheDocument();
  });

  it('shows what failed in each panel, and the table still works', async () => {
    const api = mockPortfolioApi();
    api.getPortfolioSummary.mockRejectedValue(
      await responseError(500, 'Error', 'catalog unreachable'),
    );
    api.getThickness.mockRejectedValue(
      await responseError(500, 'Error', 'snapshot table missing'),
    );
    await renderPortfolio({ api });
    expect(
      await screen.findAllByText(/Could not load the platform summary/),
    ).toHaveLength(4);
    expect(
      screen.getByText(/Could not load the thickness meter/),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('table', { name: 'Platform capabilities' }),
      ).getByText('Observability stack'),
    ).toBeInTheDocument();
  });
});
