import { screen } from '@testing-library/react';
import {
  ENTITY_REF,
  mockFreeboardApi,
  renderWithApis,
} from './__testUtils__/fixtures';
import { freeboardApiRef } from './shared';
import {
  EntityFloatOrSinkCard,
  EntityMvpPhaseCard,
  EntityPhasesContent,
  EntityTrustCreditsCard,
  EntityTrustCreditsContent,
  freeboardPlugin,
} from './plugin';

describe('freeboardPlugin (legacy frontend system)', () => {
  it('registers the Freeboard API', () => {
    expect(freeboardPlugin.getId()).toBe('freeboard');
    const apis = Array.from(freeboardPlugin.getApis());
    expect(apis.map(factory => factory.api.id)).toEqual([freeboardApiRef.id]);
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
