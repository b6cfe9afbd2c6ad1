import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ENTITY_REF,
  mockFreeboardApi,
  renderWithApis,
  responseError,
  trustConfig,
} from '../../__testUtils__/fixtures';
import { PreflightDialog, PreflightInitialValues } from './PreflightDialog';

async function renderDialog(
  api = mockFreeboardApi(),
  initial?: PreflightInitialValues,
) {
  await renderWithApis(
    <PreflightDialog
      open
      entityRef={ENTITY_REF}
      config={trustConfig}
      onClose={jest.fn()}
      initial={initial}
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

  it('opens with the caller’s category, amount and teams', async () => {
    const api = mockFreeboardApi();
    api.runPreflight.mockResolvedValue({
      balance: 12,
      projectedBalance: 5,
      verdict: 'affordable',
      consumers: [],
    });
    const teams = ['group:default/team-payments', 'group:default/team-search'];
    const dialog = await renderDialog(api, {
      category: 'outage',
      amount: 7,
      consumerRefs: teams,
    });
    expect(dialog.getByLabelText('Spend category')).toHaveValue('outage');
    expect(dialog.getByLabelText('Amount')).toHaveValue(7);
    expect(
      dialog.getByText(/Projects the spend on each of the 2 teams below/),
    ).toBeInTheDocument();
    expect(
      within(
        dialog.getByRole('list', { name: 'Teams the spend is projected on' }),
      )
        .getAllByRole('link')
        .map(link => link.textContent),
    ).toEqual(['team-payments', 'team-search']);
    await userEvent.click(dialog.getByRole('button', { name: 'Run' }));
    expect(api.runPreflight).toHaveBeenCalledWith(ENTITY_REF, {
      category: 'outage',
      amount: 7,
      consumerRefs: teams,
    });
  });

  it('ignores an initial category that is not a spend category, and an empty team list', async () => {
    const api = mockFreeboardApi();
    api.runPreflight.mockResolvedValue({
      balance: 12,
      projectedBalance: -8,
      verdict: 'overdrawn',
      consumers: [],
    });
    const dialog = await renderDialog(api, {
      category: 'self-service',
      consumerRefs: [],
    });
    expect(dialog.getByLabelText('Spend category')).toHaveValue('migration');
    expect(dialog.getByLabelText('Amount')).toHaveValue(20);
    expect(
      dialog.queryByRole('list', { name: 'Teams the spend is projected on' }),
    ).not.toBeInTheDocument();
    await userEvent.click(dialog.getByRole('button', { name: 'Run' }));
    const request = api.runPreflight.mock.calls[0][1];
    expect(request).toEqual({ category: 'migration', amount: 20 });
    expect('consumerRefs' in request).toBe(false);
  });
});
