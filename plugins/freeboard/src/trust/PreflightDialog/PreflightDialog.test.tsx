import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  mockFreeboardApi,
  renderWithApis,
  responseError,
  trustConfig,
} from '../../__testUtils__/fixtures';
import { PreflightDialog } from './PreflightDialog';

async function renderDialog(api = mockFreeboardApi()) {
  await renderWithApis(
    <PreflightDialog
      open
      entityRef={ENTITY_REF}
      config={trustConfig}
      onClose={jest.fn()}
    />,
    { api },
  );
  return within(screen.getByRole('dialog', { name: 'Pre-flight a spend' }));
}

describe('PreflightDialog', () => {
  it('projects the spend on each consumer team', async () => {
    const api = mockFreeboardApi();
    api.runPreflight.mockResolvedValue({
      balance: 12.34,
      projectedBalance: -7.66,
      verdict: 'overdrawn',
      consumers: [
        {
          consumerRef: 'group:default/team-payments',
          balance: 4,
          projectedBalance: -16,
          verdict: 'overdrawn',
        },
        {
          consumerRef: 'group:default/team-search',
          balance: 35,
          projectedBalance: 15,
          verdict: 'affordable',
        },
      ],
    });
    const dialog = await renderDialog(api);

    // Only spend categories, and the amount follows the category.
    const category = dialog.getByLabelText('Spend category');
    expect(
      Array.from(category.querySelectorAll('option'), o => o.textContent),
    ).toEqual(['Required a migration', 'Caused an outage']);
    await userEvent.selectOptions(category, 'outage');
    expect(dialog.getByLabelText('Amount')).toHaveValue(12);
    await userEvent.clear(dialog.getByLabelText('Amount'));
    await userEvent.type(dialog.getByLabelText('Amount'), '20');
    await userEvent.click(dialog.getByRole('button', { name: 'Run' }));

    expect(api.runPreflight).toHaveBeenCalledWith(ENTITY_REF, {
      category: 'outage',
      amount: 20,
    });
    const table = within(
      await dialog.findByRole('table', {
        name: 'Projected balance per consumer team',
      }),
    );
    const rows = table.getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText('team-payments')).toBeInTheDocument();
    expect(within(rows[1]).getByText('-16.0')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Overdrawn')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Affordable')).toBeInTheDocument();
    expect(dialog.getByText('12.3 → -7.7')).toBeInTheDocument();
  });

  it('says so when no consumer teams were found', async () => {
    const api = mockFreeboardApi();
    api.runPreflight.mockResolvedValue({
      balance: 60,
      projectedBalance: 40,
      verdict: 'affordable',
      consumers: [],
    });
    const dialog = await renderDialog(api);
    await userEvent.click(dialog.getByRole('button', { name: 'Run' }));
    expect(
      await dialog.findByText(/No consumer teams were found/),
    ).toBeInTheDocument();
    expect(dialog.getByText('Affordable')).toBeInTheDocument();
  });

  it('shows the server’s refusal', async () => {
    const api = mockFreeboardApi();
    api.runPreflight.mockRejectedValue(
      await responseError(400, 'InputError', 'amount: must be at most 100'),
    );
    const dialog = await renderDialog(api);
    await userEvent.click(dialog.getByRole('button', { name: 'Run' }));
    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'amount: must be at most 100',
    );
  });
});
