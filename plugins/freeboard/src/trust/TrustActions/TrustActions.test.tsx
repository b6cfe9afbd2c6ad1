import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  mockFreeboardApi,
  renderWithApis,
  trustConfig,
} from '../../__testUtils__/fixtures';
import { TrustActions } from './TrustActions';

describe('TrustActions', () => {
  it('opens the record and pre-flight dialogs', async () => {
    await renderWithApis(
      <TrustActions
        entityRef={ENTITY_REF}
        config={trustConfig}
        onRecorded={jest.fn()}
      />,
      { api: mockFreeboardApi() },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Record' }),
    );
    expect(
      screen.getByRole('dialog', { name: 'Record trust credits' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Pre-flight' }));
    expect(
      screen.getByRole('dialog', { name: 'Pre-flight a spend' }),
    ).toBeInTheDocument();
  });

  it('renders nothing for people who may not record', async () => {
    const { container } = await renderWithApis(
      <TrustActions
        entityRef={ENTITY_REF}
        config={trustConfig}
        onRecorded={jest.fn()}
      />,
      { api: mockFreeboardApi(), allowed: false },
    );
    // Wait for the permission decision before asserting on its absence.
    await waitFor(() => expect(container).toBeEmptyDOMElement());
    expect(
      screen.queryByRole('button', { name: 'Record' }),
    ).not.toBeInTheDocument();
  });
});
