import { renderTestApp } from '@backstage/frontend-test-utils';
import freeboardPlugin from '@freeboard/backstage-plugin/alpha';
import { screen, within } from '@testing-library/react';
import { navModule } from '.';

describe('the demo sidebar', () => {
  it('links to the Freeboard portfolio', async () => {
    renderTestApp({
      features: [freeboardPlugin, navModule],
      initialRouteEntries: ['/'],
    });
    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    expect(
      within(nav).getByRole('link', { name: 'Freeboard' }),
    ).toHaveAttribute('href', '/freeboard');
  });
});
