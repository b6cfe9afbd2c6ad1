import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import freeboardPlugin, { portfolioPage } from './alpha';
import { mockPortfolioApi } from './portfolio/__testUtils__/portfolioHarness';
import { rootRouteRef } from './routes';
import { freeboardApiRef } from './shared';

describe('freeboard plugin (new frontend system)', () => {
  it.each([
    'api:freeboard',
    'page:freeboard',
    'entity-card:freeboard/float-or-sink',
    'entity-card:freeboard/trust-credits',
    'entity-content:freeboard/trust-credits',
    'entity-card:freeboard/mvp-phase',
    'entity-content:freeboard/phases',
  ] as const)('provides the %s extension', id => {
    expect(freeboardPlugin.getExtension(id)).toBeDefined();
  });

  it('mounts the portfolio page at /freeboard as the plugin’s root, titled for the nav', () => {
    const tester = createExtensionTester(portfolioPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/freeboard');
    expect(tester.get(coreExtensionData.routeRef)).toBe(rootRouteRef);
    expect(tester.get(coreExtensionData.title)).toBe('Freeboard');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
    expect(freeboardPlugin.routes.root).toBe(rootRouteRef);
  });

  it('lists the page in the app’s sidebar and renders it at /freeboard', async () => {
    const api = mockPortfolioApi();
    renderTestApp({
      features: [freeboardPlugin],
      initialRouteEntries: ['/freeboard'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [freeboardApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: [] })],
      ],
    });
    const nav = await screen.findByRole('navigation');
    expect(
      within(nav).getByRole('link', { name: 'Freeboard' }),
    ).toHaveAttribute('href', '/freeboard');
    // The page is loaded lazily, as in the app.
    expect(
      await screen.findByRole(
        'table',
        { name: 'Platform capabilities' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', {
        name: 'How is our platform doing as a product?',
      }),
    ).toBeInTheDocument();
    expect(api.getPortfolio).toHaveBeenCalled();
  });
});
