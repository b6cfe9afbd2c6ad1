import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { responseError } from '../../__testUtils__/fixtures';
import {
  currentParams,
  lastPortfolioQuery,
  mockPortfolioApi,
  renderPortfolio,
} from '../__testUtils__/portfolioHarness';
import { page, rows } from '../__testUtils__/portfolioFixtures';

function table() {
  return within(screen.getByRole('table', { name: 'Platform capabilities' }));
}

/** The table row of the capability titled `title`. */
function rowOf(title: string) {
  return within(table().getByText(title).closest('tr')!);
}

describe('CapabilitiesCard', () => {
  it('lists a page of capabilities with every column', async () => {
    const { api } = await renderPortfolio();
    expect(api.getPortfolio).toHaveBeenCalledWith({
      sort: 'attention',
      limit: 50,
      offset: 0,
    });

    const headers = table()
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Capability',
      'Owner',
      'Trust balance',
      'MVP phase',
      'Decision and review',
      'Consumer teams',
      'Adopted teams',
    ]);
    expect(table().getAllByRole('row')).toHaveLength(1 + rows.length);

    const observability = rowOf('Observability stack');
    expect(
      observability.getByRole('link', { name: 'Observability stack' }),
    ).toHaveAttribute('href', '/catalog/default/component/observability-stack');
    expect(observability.getByText('platform-team')).toBeInTheDocument();
    expect(observability.getByText('-4.2')).toBeInTheDocument();
    expect(observability.getByText('Overdrawn')).toBeInTheDocument();
    expect(
      observability.getByRole('img', {
        name: 'Balance over the last 4 weeks: from 3.0 to -4.2',
      }),
    ).toBeInTheDocument();
    expect(observability.getByText(/Integration · 3\/5/)).toHaveTextContent(
      'Integration · 3/5 exit criteria done',
    );
    expect(observability.getByText('Float')).toBeInTheDocument();
    expect(observability.getByText('12 days overdue')).toBeInTheDocument();
    expect(observability.getByText('7')).toBeInTheDocument();
    expect(observability.getByText('3')).toBeInTheDocument();

    const kubernetes = rowOf('Kubernetes runtime');
    expect(kubernetes.getByText('No initiative')).toBeInTheDocument();
    expect(kubernetes.getByText('Due in 30 days')).toBeInTheDocument();
    expect(kubernetes.queryByText(/overdue/)).not.toBeInTheDocument();

    const legacy = rowOf('Legacy CI');
    expect(legacy.getByText('Invalid annotations')).toBeInTheDocument();
    expect(legacy.getByText('No owner')).toBeInTheDocument();
    // No sparkline without a trend.
    expect(legacy.queryByRole('img', { name: /Balance/ })).toBeNull();

    expect(screen.getByRole('status')).toHaveTextContent(
      '120 capabilities · 3 overdue · 5 overdrawn',
    );
  });

  it('scrolls sideways in a named, focusable region, and underlines the system link in its line', async () => {
    await renderPortfolio();
    const region = await screen.findByRole('region', {
      name: 'Platform capabilities, scrollable',
    });
    expect(region).toHaveAttribute('tabindex', '0');
    expect(
      within(region).getByRole('table', { name: 'Platform capabilities' }),
    ).toBeInTheDocument();

    // "in <system>" is text with a link in it: the link is told apart by
    // more than its colour (axe: link-in-text-block).
    const system = rowOf('Observability stack').getByRole('link', {
      name: 'observability',
    });
    expect(system).toHaveAttribute(
      'href',
      '/catalog/default/system/observability',
    );
    expect(system).toHaveClass('MuiLink-underlineAlways');
    expect(
      rowOf('Observability stack').getByRole('link', {
        name: 'Observability stack',
      }),
    ).not.toHaveClass('MuiLink-underlineAlways');
  });

  it('sorts on the server by the clicked column, and reverses on a second click', async () => {
    const { api } = await renderPortfolio();
    const header = () =>
      table().getByRole('columnheader', { name: 'Capability' });
    expect(header()).not.toHaveAttribute('aria-sort');

    await userEvent.click(table().getByRole('button', { name: 'Capability' }));
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toEqual({
        sort: 'title',
        order: 'asc',
        limit: 50,
        offset: 0,
      }),
    );
    expect(currentParams().toString()).toBe('sort=title&order=asc');
    expect(header()).toHaveAttribute('aria-sort', 'ascending');

    await userEvent.click(table().getByRole('button', { name: 'Capability' }));
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toMatchObject({
        sort: 'title',
        order: 'desc',
      }),
    );
    expect(header()).toHaveAttribute('aria-sort', 'descending');

    // Counts sort from the largest first.
    await userEvent.click(
      table().getByRole('button', { name: 'Consumer teams' }),
    );
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toMatchObject({
        sort: 'consumers',
        order: 'desc',
      }),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Sort by what needs attention' }),
    );
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toEqual({
        sort: 'attention',
        limit: 50,
        offset: 0,
      }),
    );
    expect(currentParams().toString()).toBe('');
  });

  it('filters on the server and keeps the filters in the URL', async () => {
    const { api } = await renderPortfolio({ search: '?offset=50' });

    fireEvent.change(screen.getByLabelText('Decision'), {
      target: { value: 'float' },
    });
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toEqual({
        decision: 'float',
        sort: 'attention',
        limit: 50,
        // A new filter starts at the first page.
        offset: 0,
      }),
    );

    fireEvent.change(screen.getByLabelText('Trust level'), {
      target: { value: 'thin' },
    });
    fireEvent.change(screen.getByLabelText('MVP phase'), {
      target: { value: 'none' },
    });
    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Overdue reviews only' }),
    );
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toEqual({
        decision: 'float',
        level: 'thin',
        phase: 'none',
        overdue: true,
        sort: 'attention',
        limit: 50,
        offset: 0,
      }),
    );
    expect(Object.fromEntries(currentParams())).toEqual({
      decision: 'float',
      level: 'thin',
      phase: 'none',
      overdue: 'true',
    });
    expect(screen.getByRole('status')).toHaveTextContent(/match these filters/);

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toEqual({
        sort: 'attention',
        limit: 50,
        offset: 0,
      }),
    );
    expect(
      screen.getByRole('checkbox', { name: 'Overdue reviews only' }),
    ).not.toBeChecked();
    expect(screen.getByLabelText('Decision')).toHaveValue('');
  });

  it('filters by a typed owner group and system', async () => {
    const { api } = await renderPortfolio();
    await userEvent.type(screen.getByLabelText('Owner'), 'team-data{enter}');
    await userEvent.type(
      screen.getByLabelText('System'),
      'observability{enter}',
    );
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toEqual({
        owner: 'group:default/team-data',
        system: 'system:default/observability',
        sort: 'attention',
        limit: 50,
        offset: 0,
      }),
    );
    expect(currentParams().toString()).toBe(
      'owner=group%3Adefault%2Fteam-data&system=system%3Adefault%2Fobservability',
    );
  });

  it('says when a typed owner is not an entity ref, and does not send it', async () => {
    const { api } = await renderPortfolio();
    const calls = api.getPortfolio.mock.calls.length;
    await userEvent.type(screen.getByLabelText('Owner'), 'two words{enter}');
    expect(
      await screen.findByText('"two words" is not an entity ref'),
    ).toBeInTheDocument();
    expect(api.getPortfolio).toHaveBeenCalledTimes(calls);
    expect(currentParams().has('owner')).toBe(false);
  });

  it('opens a shared link with its filters, sort and page', async () => {
    const { api } = await renderPortfolio({
      search:
        '?owner=group:default/platform-team&overdue=true&q=kube&sort=balance&order=desc&offset=50',
    });
    expect(api.getPortfolio).toHaveBeenCalledWith({
      owner: 'group:default/platform-team',
      overdue: true,
      q: 'kube',
      sort: 'balance',
      order: 'desc',
      limit: 50,
      offset: 50,
    });
    expect(
      screen.getByRole('checkbox', { name: 'Overdue reviews only' }),
    ).toBeChecked();
    expect(screen.getByLabelText('Search')).toHaveValue('kube');
    expect(screen.getByLabelText('Owner')).toHaveValue('platform-team');
    expect(
      table().getByRole('columnheader', { name: 'Trust balance' }),
    ).toHaveAttribute('aria-sort', 'descending');

    // Passing through the owner field keeps the view (and its page).
    const calls = api.getPortfolio.mock.calls.length;
    await userEvent.click(screen.getByLabelText('Owner'));
    await userEvent.tab();
    expect(api.getPortfolio).toHaveBeenCalledTimes(calls);
    expect(currentParams().get('offset')).toBe('50');

    // Erasing it clears the owner filter.
    await userEvent.clear(screen.getByLabelText('Owner'));
    await waitFor(() => expect(currentParams().has('owner')).toBe(false));
    expect(lastPortfolioQuery(api)).toEqual({
      overdue: true,
      q: 'kube',
      sort: 'balance',
      order: 'desc',
      limit: 50,
      offset: 0,
    });
  });

  it('searches once typing pauses, not on every key', async () => {
    const { api } = await renderPortfolio();
    await userEvent.type(screen.getByLabelText('Search'), 'kube');
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toEqual({
        q: 'kube',
        sort: 'attention',
        limit: 50,
        offset: 0,
      }),
    );
    const searched = api.getPortfolio.mock.calls
      .map(([query]) => query?.q)
      .filter(Boolean);
    expect(searched).toEqual(['kube']);
    expect(currentParams().get('q')).toBe('kube');

    await userEvent.clear(screen.getByLabelText('Search'));
    await waitFor(() => expect(currentParams().has('q')).toBe(false));
  });

  it('pages through the capabilities and changes the page size', async () => {
    const { api } = await renderPortfolio();
    expect(screen.getByText('1-50 of 120')).toBeInTheDocument();

    api.getPortfolio.mockResolvedValue({ ...page, offset: 50 });
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toEqual({
        sort: 'attention',
        limit: 50,
        offset: 50,
      }),
    );
    expect(await screen.findByText('51-100 of 120')).toBeInTheDocument();
    expect(currentParams().get('offset')).toBe('50');

    fireEvent.change(screen.getByLabelText('Rows per page'), {
      target: { value: '100' },
    });
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toEqual({
        sort: 'attention',
        limit: 100,
        offset: 0,
      }),
    );
  });

  it('offers the first page when a link points past the last one', async () => {
    const api = mockPortfolioApi();
    api.getPortfolio.mockResolvedValue({ ...page, items: [], offset: 500 });
    await renderPortfolio({ api, search: '?offset=500', waitForTable: false });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Go to the first page' }),
    );
    await waitFor(() =>
      expect(lastPortfolioQuery(api)).toMatchObject({ offset: 0 }),
    );
  });

  it('downloads the filtered, sorted view as freeboard-portfolio.csv', async () => {
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:portfolio');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const downloads: Array<{ name: string; href: string }> = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        downloads.push({ name: this.download, href: this.href });
      });
    try {
      const { api } = await renderPortfolio({
        search: '?decision=float&overdue=true&sort=title&order=desc&offset=50',
      });
      api.exportPortfolioCsv.mockResolvedValue('entityRef,title\nx,y\n');
      await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));

      await waitFor(() => expect(downloads).toHaveLength(1));
      expect(api.exportPortfolioCsv).toHaveBeenCalledWith({
        decision: 'float',
        overdue: true,
        sort: 'title',
        order: 'desc',
      });
      expect(downloads[0]).toEqual({
        name: 'freeboard-portfolio.csv',
        href: 'blob:portfolio',
      });
      const blob = createObjectURL.mock.calls[0][0];
      expect(blob.type).toBe('text/csv;charset=utf-8');
      expect(blob.size).toBe('entityRef,title\nx,y\n'.length);
      expect(revokeObjectURL).toHaveBeenCalledWith('blob:portfolio');
    } finally {
      click.mockRestore();
    }
  });

  it('says why an export failed', async () => {
    const { api } = await renderPortfolio();
    api.exportPortfolioCsv.mockRejectedValue(
      await responseError(
        400,
        'InputError',
        'q: must be at most 200 characters',
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(
      await screen.findByText(
        'Could not export the capabilities: q: must be at most 200 characters',
      ),
    ).toBeInTheDocument();
  });

  it('explains an empty platform', async () => {
    const api = mockPortfolioApi();
    api.getPortfolio.mockResolvedValue({
      ...page,
      items: [],
      total: 0,
      totals: { ...page.totals, capabilities: 0 },
    });
    await renderPortfolio({ api, waitForTable: false });
    expect(
      await screen.findByText(/No platform capabilities yet/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Platform capabilities' }),
    ).toBeNull();
  });

  it('says when nothing matches the filters, with a way back', async () => {
    const api = mockPortfolioApi();
    api.getPortfolio.mockImplementation(async query =>
      query?.level === 'strong'
        ? {
            ...page,
            items: [],
            total: 0,
            totals: { ...page.totals, capabilities: 0 },
          }
        : page,
    );
    await renderPortfolio({
      api,
      search: '?level=strong',
      waitForTable: false,
    });
    expect(
      await screen.findByText(/No capability matches these filters/),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Clear filters' })[0],
    );
    expect(
      await screen.findByRole('table', { name: 'Platform capabilities' }),
    ).toBeInTheDocument();
    expect(currentParams().toString()).toBe('');
  });

  it('shows the backend’s error, and lets one clear the filters', async () => {
    const api = mockPortfolioApi();
    api.getPortfolio.mockRejectedValueOnce(
      await responseError(400, 'InputError', 'owner: not an entity ref'),
    );
    await renderPortfolio({
      api,
      search: '?owner=group:default/gone',
      waitForTable: false,
    });
    expect(
      await screen.findByText(/Could not load the capabilities/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/owner: not an entity ref/).length,
    ).toBeGreaterThan(0);
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Clear filters' }).at(-1)!,
    );
    expect(
      await within(
        await screen.findByRole('table', { name: 'Platform capabilities' }),
      ).findByText('Kubernetes runtime'),
    ).toBeInTheDocument();
    expect(api.getPortfolio).toHaveBeenLastCalledWith({
      sort: 'attention',
      limit: 50,
      offset: 0,
    });
  });
});
