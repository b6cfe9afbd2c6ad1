import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ReactElement } from 'react';
import { useLocation } from 'react-router-dom';
import { mockFreeboardApi } from '../../__testUtils__/fixtures';
import { freeboardApiRef } from '../../shared';
import { PortfolioContent } from '../PortfolioPage/PortfolioContent';
import { page, summary, thickness } from './portfolioFixtures';

/** The query string the app is at, for tests of the URL state. */
function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.search}</div>;
}

/** The query string the probe shows, parsed. */
export function currentParams(): URLSearchParams {
  return new URLSearchParams(screen.getByTestId('location').textContent ?? '');
}

/** A FreeboardApi answering the portfolio's calls with the fixtures. */
export function mockPortfolioApi() {
  const api = mockFreeboardApi();
  api.getPortfolio.mockResolvedValue(page);
  api.getPortfolioSummary.mockResolvedValue(summary);
  api.getThickness.mockResolvedValue(thickness);
  api.exportPortfolioCsv.mockResolvedValue('entityRef,title\n');
  return api;
}

/**
 * Renders `element` (the portfolio by default) at `/freeboard` plus
 * `search`, with a probe of the URL, and waits for the first page of the
 * table unless `waitForTable` is false.
 */
export async function renderPortfolio(
  options: {
    api?: ReturnType<typeof mockFreeboardApi>;
    search?: string;
    element?: ReactElement;
    waitForTable?: boolean;
  } = {},
) {
  const api = options.api ?? mockPortfolioApi();
  const rendered = await renderInTestApp(
    <TestApiProvider
      apis={[
        [freeboardApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: [] })],
      ]}
    >
      {options.element ?? <PortfolioContent />}
      <LocationProbe />
    </TestApiProvider>,
    {
      routeEntries: [`/freeboard${options.search ?? ''}`],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  if (options.waitForTable !== false) {
    await screen.findByRole('table', { name: 'Platform capabilities' });
  }
  return { api, rendered };
}

/** The arguments of the latest `getPortfolio` call. */
export function lastPortfolioQuery(api: ReturnType<typeof mockFreeboardApi>) {
  const calls = api.getPortfolio.mock.calls;
  return calls[calls.length - 1]?.[0];
}
