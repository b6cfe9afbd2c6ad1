import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  ENTITY_REF,
  mockFreeboardApi,
  renderWithApis,
} from './__testUtils__/fixtures';
import { mockPortfolioApi } from './portfolio/__testUtils__/portfolioHarness';
import { rootRouteRef } from './routes';
import { freeboardApiRef } from './shared';
import {
  EntityFloatOrSinkCard,
  EntityMvpPhaseCard,
  EntityPhasesContent,
  EntityTrustCreditsCard,
  EntityTrustCreditsContent,
  FreeboardPortfolioPage,
  freeboardPlugin,
} from './plugin';

describe('freeboardPlugin (legacy frontend system)', () => {
  it('registers the Freeboard API', () => {
    expect(freeboardPlugin.getId()).toBe('freeboard');
    const apis = Array.from(freeboardPlugin.getApis());
    expect(apis.map(factory => factory.api.id)).toEqual([freeboardApiRef.id]);
  });

  it('offers the portfolio page as its root route', () => {
    expect(freeboardPlugin.routes.root).toBe(rootRouteRef);
  });
});

describe('the portfolio page in a legacy app', () => {
  it('renders with its header, the capabilities and the panels', async () => {
    const api = mockPortfolioApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [freeboardApiRef, api],
          [catalogApiRef, catalogApiMock({ entities: [] })],
        ]}
      >
        {/* Mounted as an app's routes mount it. */}
        <Routes>
          <Route path="/freeboard" element={<FreeboardPortfolioPage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/freeboard'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('table', { name: 'Platform capabilities' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 1, name: 'Freeboard' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('23% thick')).toBeInTheDocument();
    expect(api.getPortfolio).toHaveBeenCalledWith({
      sort: 'attention',
      limit: 50,
      offset: 0,
    });
  });
});

describe('legacy extensions in a legacy app', () => {
  it('render the trust card, the history tab and the float-or-sink card', async () => {
    const api = mockFreeboardApi();
    await renderWithApis(
      <>
        <EntityTrustCreditsCard />
        <EntityTrustCreditsContent />
        <EntityFloatOrSinkCard />
      </>,
      { api },
    );
    expect(
      (await screen.findAllByLabelText('Trust balance'))[0],
    ).toHaveTextContent('12.3');
    expect(await screen.findByText('Ledger')).toBeInTheDocument();
    expect(await screen.findByText('Float or sink')).toBeInTheDocument();
    expect(api.getTrustSummary).toHaveBeenCalledWith(ENTITY_REF);
  });
});

describe('MVP phases in a legacy app', () => {
  it('render the MVP phase card and the Phases tab', async () => {
    const api = mockFreeboardApi();
    await renderWithApis(
      <>
        <EntityMvpPhaseCard />
        <EntityPhasesContent />
      </>,
      { api },
    );
    expect(await screen.findByText('MVP phase')).toBeInTheDocument();
    expect(
      await screen.findByRole('list', { name: 'Exit criteria of Integration' }),
    ).toBeInTheDocument();
    expect(api.getInitiative).toHaveBeenCalledWith(ENTITY_REF, {});
  });
});
