import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  mockFreeboardApi,
  responseError,
} from '../../__testUtils__/fixtures';
import { renderPhasesTab } from '../../__testUtils__/phasesHarness';
import { startedState } from '../../__testUtils__/phasesFixtures';
import { daysFromNow, startOfDayIso } from '../format';

/** The list item of the criterion with this title. */
function itemOf(title: string) {
  const list = screen.getByRole('list', { name: /^Exit criteria of/ });
  return within(within(list).getByText(title).closest('li')!);
}

describe('CriteriaChecklist', () => {
  it('shows each criterion’s state in words, its badges and who settled it', async () => {
    await renderPhasesTab();
    expect(
      screen.getByText('2 of 5 done · 1 waived · 1 waiver expired'),
    ).toBeInTheDocument();

    const built = itemOf('Platform infrastructure built');
    expect(built.getByText('Done')).toBeInTheDocument();
    expect(built.getByText('Template')).toBeInTheDocument();
    expect(built.getByText(/Done by/)).toHaveTextContent(/guest on .*2024/);

    const waived = itemOf('Load test passed');
    expect(waived.getByText('Own')).toBeInTheDocument();
    expect(waived.getByText(/Waived until .*2099/)).toBeInTheDocument();
    expect(
      waived.getByText(/Load tests run in Deployment/),
    ).toBeInTheDocument();

    expect(
      itemOf('Runbook written').getByText('Waiver expired'),
    ).toBeInTheDocument();

    const measured = itemOf('Pioneer team selected');
    expect(measured.getByText('Measured')).toBeInTheDocument();
    expect(
      measured.getByText('Measured from the catalog: team-payments'),
    ).toBeInTheDocument();
    // Measured criteria cannot be ticked, waived or removed by hand.
    expect(measured.queryByRole('checkbox')).not.toBeInTheDocument();
    expect(measured.queryByRole('button')).not.toBeInTheDocument();
  });

  it('ticks and unticks with the version on screen', async () => {
    const { api } = await renderPhasesTab();
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Components connected' }),
    );
    expect(api.setPhaseCriterion).toHaveBeenCalledWith(
      ENTITY_REF,
      'integration.components-connected',
      { state: 'done', expectedVersion: 12 },
    );

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Platform infrastructure built' }),
    );
    expect(api.setPhaseCriterion).toHaveBeenLastCalledWith(
      ENTITY_REF,
      'integration.infrastructure-built',
      { state: 'open', expectedVersion: 12 },
    );
  });

  it('uses the version of the latest write for the next one', async () => {
    const api = mockFreeboardApi();
    api.setPhaseCriterion.mockResolvedValueOnce({
      state: { ...startedState, version: 13 },
    });
    await renderPhasesTab({ api });
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Components connected' }),
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Platform infrastructure built' }),
    );
    expect(api.setPhaseCriterion).toHaveBeenLastCalledWith(
      ENTITY_REF,
      'integration.infrastructure-built',
      { state: 'open', expectedVersion: 13 },
    );
  });

  it('says why a tick failed', async () => {
    const api = mockFreeboardApi();
    api.setPhaseCriterion.mockRejectedValue(
      await responseError(403, 'NotAllowedError', 'Not a lead'),
    );
    await renderPhasesTab({ api });
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Components connected' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not change “Components connected”: Not a lead',
    );
  });

  it('requires a reason to waive, then sends it with the expiry date', async () => {
    const { api } = await renderPhasesTab();
    await userEvent.click(
      itemOf('Components connected').getByRole('button', {
        name: 'Waive “Components connected”',
      }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Waive criterion' }),
    );
    // The configured default length.
    expect(dialog.getByLabelText(/Expires on/)).toHaveValue(daysFromNow(90));

    await userEvent.click(dialog.getByRole('button', { name: 'Waive' }));
    expect(dialog.getByRole('alert')).toHaveTextContent(/Give a reason/);
    expect(api.setPhaseCriterion).not.toHaveBeenCalled();

    await userEvent.type(dialog.getByLabelText(/Reason/), 'Done by the vendor');
    await userEvent.click(dialog.getByRole('button', { name: 'Waive' }));
    expect(api.setPhaseCriterion).toHaveBeenCalledWith(
      ENTITY_REF,
      'integration.components-connected',
      {
        state: 'waived',
        reason: 'Done by the vendor',
        waiverExpiresAt: startOfDayIso(daysFromNow(90)),
        expectedVersion: 12,
      },
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('refuses a waiver longer than configured', async () => {
    const { api } = await renderPhasesTab();
    await userEvent.click(
      screen.getByRole('button', { name: 'Waive “Components connected”' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.type(dialog.getByLabelText(/Reason/), 'Later');
    const expires = dialog.getByLabelText(/Expires on/);
    await userEvent.clear(expires);
    await userEvent.type(expires, daysFromNow(400));
    await userEvent.click(dialog.getByRole('button', { name: 'Waive' }));
    expect(dialog.getByRole('alert')).toHaveTextContent(
      /at most 365 days ahead/,
    );
    expect(api.setPhaseCriterion).not.toHaveBeenCalled();
  });

  it('reopens a waived criterion and removes an own one', async () => {
    const { api } = await renderPhasesTab();
    await userEvent.click(
      screen.getByRole('button', { name: 'Reopen “Runbook written”' }),
    );
    expect(api.setPhaseCriterion).toHaveBeenCalledWith(ENTITY_REF, 'own-10', {
      state: 'open',
      expectedVersion: 12,
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Remove “Load test passed”' }),
    );
    expect(api.removePhaseCriterion).toHaveBeenCalledWith(ENTITY_REF, 'own-9', {
      expectedVersion: 12,
    });
    // Template criteria are waived, not removed.
    expect(
      screen.queryByRole('button', { name: 'Remove “Components connected”' }),
    ).not.toBeInTheDocument();
  });

  it('adds an own criterion to the selected phase', async () => {
    const { api } = await renderPhasesTab();
    await userEvent.click(
      within(screen.getByRole('list', { name: 'MVP phases' })).getByRole(
        'button',
        { name: /Deployment/ },
      ),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Add criterion' }),
    );
    const dialog = within(
      await screen.findByRole('dialog', {
        name: 'Add an exit criterion to Deployment',
      }),
    );
    await userEvent.click(
      dialog.getByRole('button', { name: 'Add criterion' }),
    );
    expect(dialog.getByRole('alert')).toHaveTextContent(/title/);
    await userEvent.type(dialog.getByLabelText(/Title/), 'Rollback rehearsed');
    await userEvent.click(
      dialog.getByRole('button', { name: 'Add criterion' }),
    );
    expect(api.addPhaseCriterion).toHaveBeenCalledWith(ENTITY_REF, {
      phase: 'deployment',
      title: 'Rollback rehearsed',
      expectedVersion: 12,
    });
  });

  it('keeps the dialog open with the server’s message when a write is refused', async () => {
    const api = mockFreeboardApi();
    api.addPhaseCriterion.mockRejectedValue(
      await responseError(400, 'InputError', 'title: must be at most 200'),
    );
    await renderPhasesTab({ api });
    await userEvent.click(
      screen.getByRole('button', { name: 'Add criterion' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.type(dialog.getByLabelText(/Title/), 'x');
    await userEvent.click(
      dialog.getByRole('button', { name: 'Add criterion' }),
    );
    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'title: must be at most 200',
    );
  });
});
