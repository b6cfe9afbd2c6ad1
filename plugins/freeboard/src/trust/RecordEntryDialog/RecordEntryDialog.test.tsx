import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  mockFreeboardApi,
  renderWithApis,
  responseError,
  trustConfig,
} from '../../__testUtils__/fixtures';
import { RecordEntryDialog } from './RecordEntryDialog';

async function renderDialog(api = mockFreeboardApi()) {
  const onRecorded = jest.fn();
  const onClose = jest.fn();
  await renderWithApis(
    <RecordEntryDialog
      open
      entityRef={ENTITY_REF}
      config={trustConfig}
      onClose={onClose}
      onRecorded={onRecorded}
    />,
    { api },
  );
  const dialog = within(
    screen.getByRole('dialog', { name: 'Record trust credits' }),
  );
  return { api, dialog, onRecorded, onClose };
}

describe('RecordEntryDialog', () => {
  it('groups the categories under Earned and Spent, without pulses', async () => {
    const { dialog } = await renderDialog();
    const category = dialog.getByLabelText('Category');
    const groups = category.querySelectorAll('optgroup');
    expect(Array.from(groups, g => g.label)).toEqual(['Earned', 'Spent']);
    expect(
      Array.from(groups[1].querySelectorAll('option'), o => o.textContent),
    ).toEqual(['Required a migration', 'Caused an outage']);
    expect(
      dialog.queryByRole('option', { name: 'Developer pulse: this helped' }),
    ).not.toBeInTheDocument();
  });

  it('defaults the amount and title to the category, then submits the form', async () => {
    const { api, dialog, onRecorded } = await renderDialog();

    await userEvent.selectOptions(
      dialog.getByLabelText('Category'),
      'migration',
    );
    expect(dialog.getByLabelText('Amount')).toHaveValue(20);
    expect(dialog.getByLabelText('Title')).toHaveValue('Required a migration');

    await userEvent.clear(dialog.getByLabelText('Amount'));
    await userEvent.type(dialog.getByLabelText('Amount'), '25');
    // Long free text is pasted: typing it key by key re-renders the dialog
    // per character, which took most of this test's time on a busy CI box.
    await userEvent.clear(dialog.getByLabelText('Title'));
    await userEvent.click(dialog.getByLabelText('Title'));
    await userEvent.paste('Move to OpenTelemetry');
    await userEvent.click(dialog.getByLabelText('Description'));
    await userEvent.paste('Every service re-instruments');
    await userEvent.type(dialog.getByLabelText('Consumer'), 'Pay');
    await userEvent.click(await screen.findByText('Payments'));
    await userEvent.click(dialog.getByLabelText('Evidence URL'));
    await userEvent.paste('https://example.com/rfc/42');
    await userEvent.click(dialog.getByRole('button', { name: 'Record entry' }));

    await waitFor(() => expect(onRecorded).toHaveBeenCalled());
    expect(api.recordTrustEntry).toHaveBeenCalledTimes(1);
    const [entityRef, body, options] = api.recordTrustEntry.mock.calls[0];
    expect(entityRef).toBe(ENTITY_REF);
    expect(body).toStrictEqual({
      category: 'migration',
      amount: 25,
      title: 'Move to OpenTelemetry',
      description: 'Every service re-instruments',
      consumerRef: 'group:default/team-payments',
      evidenceUrl: 'https://example.com/rfc/42',
    });
    expect(options?.idempotencyKey).toEqual(expect.any(String));
  });

  it('shows the server’s validation message inline and keeps the form', async () => {
    const api = mockFreeboardApi();
    api.recordTrustEntry.mockRejectedValue(
      await responseError(
        400,
        'InputError',
        'consumerRef: no entity group:default/ghosts in the catalog',
      ),
    );
    const { dialog, onRecorded } = await renderDialog(api);
    await userEvent.selectOptions(dialog.getByLabelText('Category'), 'outage');
    await userEvent.click(dialog.getByRole('button', { name: 'Record entry' }));

    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'consumerRef: no entity group:default/ghosts in the catalog',
    );
    expect(onRecorded).not.toHaveBeenCalled();
    expect(dialog.getByLabelText('Title')).toHaveValue('Caused an outage');
  });

  it('retries the same entry with the same idempotency key', async () => {
    const api = mockFreeboardApi();
    api.recordTrustEntry.mockRejectedValueOnce(
      new TypeError('Failed to fetch'),
    );
    const { dialog, onRecorded } = await renderDialog(api);
    await userEvent.selectOptions(dialog.getByLabelText('Category'), 'outage');
    const submit = dialog.getByRole('button', { name: 'Record entry' });
    await userEvent.click(submit);
    await dialog.findByRole('alert');
    await userEvent.click(submit);
    await waitFor(() => expect(onRecorded).toHaveBeenCalled());

    const keys = api.recordTrustEntry.mock.calls.map(c => c[2]?.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('catches missing and malformed fields before sending', async () => {
    const { api, dialog } = await renderDialog();
    await userEvent.type(
      dialog.getByLabelText('Evidence URL'),
      'ftp://example.com/rfc.txt',
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Record entry' }));

    expect(dialog.getByText('Pick a category')).toBeInTheDocument();
    expect(dialog.getByText('Enter an http or https URL')).toBeInTheDocument();
    expect(api.recordTrustEntry).not.toHaveBeenCalled();
  });

  it('refuses amounts above the maximum', async () => {
    const { api, dialog } = await renderDialog();
    await userEvent.selectOptions(dialog.getByLabelText('Category'), 'outage');
    await userEvent.clear(dialog.getByLabelText('Amount'));
    await userEvent.type(dialog.getByLabelText('Amount'), '101');
    await userEvent.click(dialog.getByRole('button', { name: 'Record entry' }));
    expect(dialog.getByText('At most 100')).toBeInTheDocument();
    expect(api.recordTrustEntry).not.toHaveBeenCalled();
  });
});
