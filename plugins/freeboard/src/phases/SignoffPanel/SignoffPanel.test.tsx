import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ENTITY_REF } from '../../__testUtils__/fixtures';
import { renderPhasesTab } from '../../__testUtils__/phasesHarness';
import { SEARCH } from '../../__testUtils__/phasesFixtures';

function signoffs() {
  return within(screen.getByRole('list', { name: /^Sign-offs of/ }));
}

describe('SignoffPanel', () => {
  it('shows each sign-off’s group, state in words and origin', async () => {
    await renderPhasesTab();
    const list = signoffs();
    expect(list.getByText('team-search')).toBeInTheDocument();
    expect(list.getByText('Pending')).toBeInTheDocument();
    expect(list.getByText(/Requested by/)).toHaveTextContent(
      'Requested by guest',
    );
  });

  it('offers Approve and Reject only to members of the group', async () => {
    await renderPhasesTab({ memberOf: ['group:default/security'] });
    expect(
      signoffs().queryByRole('button', { name: /Approve/ }),
    ).not.toBeInTheDocument();
    expect(
      signoffs().queryByRole('button', { name: /Reject/ }),
    ).not.toBeInTheDocument();
  });

  it('offers nothing to members without the sign-off permission', async () => {
    await renderPhasesTab({ memberOf: [SEARCH], canSignoff: false });
    expect(
      signoffs().queryByRole('button', { name: /Approve/ }),
    ).not.toBeInTheDocument();
  });

  it('lets a member approve with an optional comment', async () => {
    const { api } = await renderPhasesTab({
      memberOf: [SEARCH],
      canManage: false,
    });
    await userEvent.click(
      signoffs().getByRole('button', { name: 'Approve for team-search' }),
    );
    const dialog = within(
      await screen.findByRole('dialog', {
        name: 'Approve Integration for team-search',
      }),
    );
    await userEvent.type(dialog.getByLabelText(/Comment/), 'Looks good');
    await userEvent.click(dialog.getByRole('button', { name: 'Approve' }));
    expect(api.decidePhaseSignoff).toHaveBeenCalledWith(ENTITY_REF, {
      phase: 'integration',
      groupRef: SEARCH,
      decision: 'approve',
      comment: 'Looks good',
      expectedVersion: 12,
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('requires a comment to reject', async () => {
    const { api } = await renderPhasesTab({ memberOf: [SEARCH] });
    await userEvent.click(
      signoffs().getByRole('button', { name: 'Reject for team-search' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Reject' }));
    expect(dialog.getByRole('alert')).toHaveTextContent(
      /Say what has to change/,
    );
    expect(api.decidePhaseSignoff).not.toHaveBeenCalled();
    await userEvent.type(dialog.getByLabelText(/Comment/), 'No threat model');
    await userEvent.click(dialog.getByRole('button', { name: 'Reject' }));
    expect(api.decidePhaseSignoff).toHaveBeenCalledWith(
      ENTITY_REF,
      expect.objectContaining({
        decision: 'reject',
        comment: 'No threat model',
      }),
    );
  });

  it('lets leads request a sign-off from a catalog group', async () => {
    const { api } = await renderPhasesTab();
    await userEvent.click(
      screen.getByRole('button', { name: 'Request sign-off' }),
    );
    const dialog = within(
      await screen.findByRole('dialog', {
        name: 'Request a sign-off on Integration',
      }),
    );
    await userEvent.click(
      dialog.getByRole('button', { name: 'Request sign-off' }),
    );
    expect(dialog.getByRole('alert')).toHaveTextContent('Choose the group');

    await userEvent.click(dialog.getByLabelText('Group'));
    await userEvent.click(await screen.findByText('Security'));
    await userEvent.click(
      dialog.getByRole('button', { name: 'Request sign-off' }),
    );
    expect(api.requestPhaseSignoff).toHaveBeenCalledWith(ENTITY_REF, {
      phase: 'integration',
      groupRef: 'group:default/security',
      expectedVersion: 12,
    });
  });
});
