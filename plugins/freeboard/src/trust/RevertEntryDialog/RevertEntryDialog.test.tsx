import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  entries,
  mockFreeboardApi,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { RevertEntryDialog } from './RevertEntryDialog';

describe('RevertEntryDialog', () => {
  it('requires a reason, then reverts the entry with it', async () => {
    const api = mockFreeboardApi();
    const onReverted = jest.fn();
    await renderWithApis(
      <RevertEntryDialog
        open
        entityRef={ENTITY_REF}
        entry={entries[0]}
        onClose={jest.fn()}
        onReverted={onReverted}
      />,
      { api },
    );
    const dialog = within(screen.getByRole('dialog', { name: 'Revert entry' }));
    expect(
      dialog.getByText(/“Move everyone to OpenTelemetry” \(−20\)/),
    ).toBeInTheDocument();

    await userEvent.click(dialog.getByRole('button', { name: 'Revert entry' }));
    expect(dialog.getByRole('alert')).toHaveTextContent(/Give a reason/);
    expect(api.revertTrustEntry).not.toHaveBeenCalled();

    await userEvent.type(dialog.getByLabelText('Reason'), '  Recorded twice ');
    await userEvent.click(dialog.getByRole('button', { name: 'Revert entry' }));
    await waitFor(() => expect(onReverted).toHaveBeenCalled());
    expect(api.revertTrustEntry).toHaveBeenCalledWith(
      ENTITY_REF,
      '5',
      'Recorded twice',
    );
  });
});
