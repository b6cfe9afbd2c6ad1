import { renderTestApp } from '@backstage/frontend-test-utils';
import { notificationsApiRef } from '@backstage/plugin-notifications';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import freeboardPlugin from '@freeboard/backstage-plugin/alpha';
import { act, screen, waitFor, within } from '@testing-library/react';
import { navModule } from '.';

/** The demo's sidebar, with `unread` unread notifications for the user. */
async function renderSidebar(unread: number) {
  const getStatus = jest.fn(async () => ({ unread, read: 5 }));
  renderTestApp({
    features: [freeboardPlugin, notificationsPlugin, navModule],
    initialRouteEntries: ['/'],
    apis: [[notificationsApiRef, { getStatus } as any]],
  });
  const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
  return { nav, getStatus };
}

describe('the demo sidebar', () => {
  it('links to the Freeboard portfolio', async () => {
    const { nav } = await renderSidebar(0);
    expect(
      within(nav).getByRole('link', { name: 'Freeboard' }),
    ).toHaveAttribute('href', '/freeboard');
  });

  it('shows the notifications bell once, with the unread count', async () => {
    const { nav } = await renderSidebar(3);
    const bell = await within(nav).findByRole('link', {
      name: /Notifications/,
    });
    expect(bell).toHaveAttribute('href', '/notifications');
    expect(
      await within(bell).findByRole('grid', { name: 'Unread notifications' }),
    ).toHaveTextContent('3');
    expect(
      within(nav).getAllByRole('link', { name: /Notifications/ }),
    ).toHaveLength(1);
  });

  it('shows no count when everything is read', async () => {
    const { nav, getStatus } = await renderSidebar(0);
    const bell = await within(nav).findByRole('link', {
      name: /Notifications/,
    });
    await waitFor(() => expect(getStatus).toHaveBeenCalled());
    await act(() => getStatus.mock.results[0].value);
    expect(
      within(bell).queryByRole('grid', { name: 'Unread notifications' }),
    ).toBeNull();
  });
});
