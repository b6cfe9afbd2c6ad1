import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  TRUST_PULSE_CATEGORIES,
  trustEntryRevertPermission,
} from '@freeboard/backstage-plugin-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  entries,
  ledgerEntry,
  mockFreeboardApi,
  renderWithApis,
  responseError,
} from '../../__testUtils__/fixtures';
import { TrustHistoryContent } from './TrustHistoryContent';

async function renderHistory(
  api = mockFreeboardApi(),
  options: Omit<Parameters<typeof renderWithApis>[1], 'api'> = {},
) {
  await renderWithApis(<TrustHistoryContent />, { api, ...options });
  const table = await screen.findByRole('table', { name: 'Trust ledger' });
  await within(table).findByText('Move everyone to OpenTelemetry');
  return { api, table: within(table) };
}

/** The table row that shows the entry with this title. */
function rowOf(table: ReturnType<typeof within>, title: string) {
  return within(table.getByText(title).closest('tr')!);
}

describe('TrustHistoryContent', () => {
  it('lists the ledger with every column', async () => {
    const { api, table } = await renderHistory();

    const headers = table.getAllByRole('columnheader').map(h => h.textContent);
    expect(headers).toEqual([
      'Date',
      'Direction',
      'Amount',
      'Entry',
      'Consumer',
      'Recorded by',
      'Actions',
    ]);
    const migration = rowOf(table, 'Move everyone to OpenTelemetry');
    expect(migration.getByText('Spent')).toBeInTheDocument();
    expect(
      migration.getByText(/Required a migration · via Manual/),
    ).toBeInTheDocument();
    expect(migration.getByText('−20')).toBeInTheDocument();
    expect(migration.getByText('team-payments')).toBeInTheDocument();
    expect(migration.getByText('guest')).toBeInTheDocument();
    expect(migration.getByRole('link', { name: /Evidence/ })).toHaveAttribute(
      'href',
      'https://example.com/rfc/42',
    );
    expect(api.listTrustEntries).toHaveBeenCalledWith(ENTITY_REF, {
      limit: 25,
    });
    expect(screen.getByLabelText('Trust balance')).toHaveTextContent('12.3');
  });

  it('marks reverted entries and says what corrections revert', async () => {
    const { table } = await renderHistory();
    const original = rowOf(table, 'Fixed flaky alerts');
    expect(original.getByText('Reverted by entry #3')).toBeInTheDocument();
    expect(
      original.queryByRole('button', { name: /Revert/ }),
    ).not.toBeInTheDocument();

    const correction = rowOf(table, 'Revert: Fixed flaky alerts');
    expect(
      correction.getByText('Correction of “Fixed flaky alerts” (#2)'),
    ).toBeInTheDocument();
    expect(correction.getByText('Recorded twice')).toBeInTheDocument();
    expect(
      correction.queryByRole('button', { name: /Revert/ }),
    ).not.toBeInTheDocument();
  });

  it('reverts an entry with a reason, then reloads', async () => {
    const { api, table } = await renderHistory();
    await userEvent.click(
      await rowOf(table, 'Self-service dashboards').findByRole('button', {
        name: 'Revert “Self-service dashboards”',
      }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Revert entry' }),
    );
    await userEvent.type(dialog.getByLabelText('Reason'), 'Never shipped');
    api.listTrustEntries.mockClear();
    await userEvent.click(dialog.getByRole('button', { name: 'Revert entry' }));

    expect(api.revertTrustEntry).toHaveBeenCalledWith(
      ENTITY_REF,
      '4',
      'Never shipped',
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Revert entry' }),
      ).not.toBeInTheDocument(),
    );
    await waitFor(() => expect(api.listTrustEntries).toHaveBeenCalled());
  });

  it('shows a conflict when the entry was reverted meanwhile', async () => {
    const api = mockFreeboardApi();
    api.revertTrustEntry.mockRejectedValue(
      await responseError(
        409,
        'ConflictError',
        'Entry 4 has already been reverted',
      ),
    );
    const { table } = await renderHistory(api);
    await userEvent.click(
      await rowOf(table, 'Self-service dashboards').findByRole('button', {
        name: /Revert/,
      }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Revert entry' }),
    );
    await userEvent.type(dialog.getByLabelText('Reason'), 'Duplicate');
    await userEvent.click(dialog.getByRole('button', { name: 'Revert entry' }));
    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'Entry 4 has already been reverted',
    );
  });

  it('offers no revert action to those not allowed', async () => {
    const asked: EvaluatePermissionRequest[] = [];
    const { table } = await renderHistory(mockFreeboardApi(), {
      authorize: request => {
        asked.push(request);
        return AuthorizeResult.DENY;
      },
    });
    await waitFor(() =>
      expect(
        asked.filter(
          r => r.permission.name === trustEntryRevertPermission.name,
        ),
      ).toHaveLength(2),
    );
    // Let the denials reach the rows.
    await act(() => new Promise(resolve => setTimeout(resolve, 10)));
    expect(
      table.queryByRole('button', { name: /Revert/ }),
    ).not.toBeInTheDocument();
  });

  it('asks the revert permission for each revertable entry, by its id', async () => {
    const requests: EvaluatePermissionRequest[] = [];
    const { table } = await renderHistory(mockFreeboardApi(), {
      // The policy lets this user revert entry 4 only (say, its recorder).
      authorize: request => {
        requests.push(request);
        return request.permission.name === trustEntryRevertPermission.name &&
          request.resourceRef === '4'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY;
      },
    });

    expect(
      await rowOf(table, 'Self-service dashboards').findByRole('button', {
        name: 'Revert “Self-service dashboards”',
      }),
    ).toBeInTheDocument();
    expect(
      rowOf(table, 'Move everyone to OpenTelemetry').queryByRole('button', {
        name: /Revert/,
      }),
    ).not.toBeInTheDocument();
    const asked = requests
      .filter(r => r.permission.name === 'freeboard.trust.entry.revert')
      .map(r => r.resourceRef)
      .sort();
    // Entries 5 and 4; the correction (3) and the reverted entry (2) are
    // never revertable, so nobody is asked about them.
    expect(asked).toEqual(['4', '5']);
  });

  it('never offers to revert a pulse, which its sender withdraws instead', async () => {
    const api = mockFreeboardApi();
    api.listTrustEntries.mockResolvedValue({
      entries: [
        ledgerEntry({
          id: '6',
          category: TRUST_PULSE_CATEGORIES.up,
          amount: 1,
          title: 'This helped',
          source: 'pulse',
        }),
        ...entries,
      ],
    });
    const { table } = await renderHistory(api);
    const pulse = rowOf(table, 'This helped');
    expect(
      pulse.getByText(/Developer pulse: this helped · via Pulse/),
    ).toBeInTheDocument();
    expect(
      await rowOf(table, 'Self-service dashboards').findByRole('button', {
        name: /Revert/,
      }),
    ).toBeInTheDocument();
    expect(
      pulse.queryByRole('button', { name: /Revert/ }),
    ).not.toBeInTheDocument();
  });

  it('shows no Actions column when no entry on the page is revertable', async () => {
    const api = mockFreeboardApi();
    api.listTrustEntries.mockResolvedValue({
      entries: [
        ledgerEntry({
          id: '6',
          category: TRUST_PULSE_CATEGORIES.down,
          direction: 'spend',
          amount: 1,
          title: 'Developer pulse',
          source: 'pulse',
        }),
        ...entries.slice(2),
      ],
    });
    await renderWithApis(<TrustHistoryContent />, { api });
    const table = within(
      await screen.findByRole('table', { name: 'Trust ledger' }),
    );
    await table.findByText('Developer pulse');
    expect(
      table.queryByRole('columnheader', { name: 'Actions' }),
    ).not.toBeInTheDocument();
    expect(
      table.queryByRole('button', { name: /Revert/ }),
    ).not.toBeInTheDocument();
  });

  it('filters by direction and category', async () => {
    const { api } = await renderHistory();
    await userEvent.selectOptions(screen.getByLabelText('Direction'), 'spend');
    await waitFor(() =>
      expect(api.listTrustEntries).toHaveBeenLastCalledWith(ENTITY_REF, {
        direction: 'spend',
        limit: 25,
      }),
    );
    await userEvent.selectOptions(screen.getByLabelText('Category'), 'outage');
    await waitFor(() =>
      expect(api.listTrustEntries).toHaveBeenLastCalledWith(ENTITY_REF, {
        direction: 'spend',
        category: 'outage',
        limit: 25,
      }),
    );
  });

  it('loads the next page with the cursor and appends it', async () => {
    const api = mockFreeboardApi();
    api.listTrustEntries
      .mockResolvedValueOnce({ entries, nextCursor: 'page-2' })
      .mockResolvedValueOnce({
        entries: [ledgerEntry({ id: '1', title: 'The very first entry' })],
      });
    const { table } = await renderHistory(api);

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await table.findByText('The very first entry')).toBeInTheDocument();
    expect(
      table.getByText('Move everyone to OpenTelemetry'),
    ).toBeInTheDocument();
    expect(api.listTrustEntries).toHaveBeenLastCalledWith(ENTITY_REF, {
      cursor: 'page-2',
      limit: 25,
    });
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('switches the trend period', async () => {
    const { api } = await renderHistory();
    expect(api.getTrustTrend).toHaveBeenCalledWith(ENTITY_REF, 90);
    await userEvent.click(screen.getByRole('button', { name: '365 days' }));
    await waitFor(() =>
      expect(api.getTrustTrend).toHaveBeenLastCalledWith(ENTITY_REF, 365),
    );
    expect(screen.getByRole('button', { name: '365 days' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('shows an error panel when the summary cannot be loaded', async () => {
    const api = mockFreeboardApi();
    api.getTrustSummary.mockRejectedValue(
      await responseError(404, 'NotFoundError', 'No such entity'),
    );
    await renderWithApis(<TrustHistoryContent />, { api });
    expect(
      await screen.findByText(/Could not load the trust credits/),
    ).toBeInTheDocument();
  });
});
