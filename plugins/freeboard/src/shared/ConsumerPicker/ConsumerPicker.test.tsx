import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockFreeboardApi, renderWithApis } from '../../__testUtils__/fixtures';
import { ConsumerPicker } from './ConsumerPicker';

describe('ConsumerPicker', () => {
  it('offers the catalog’s groups by display name and returns the ref', async () => {
    const onChange = jest.fn();
    await renderWithApis(<ConsumerPicker onChange={onChange} />, {
      api: mockFreeboardApi(),
    });
    await userEvent.click(screen.getByLabelText('Consumer'));
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'Mobilegroup:default/team-mobile',
      'Paymentsgroup:default/team-payments',
      'Searchgroup:default/team-search',
      'Securitygroup:default/security',
    ]);
    await userEvent.click(screen.getByText('Search'));
    expect(onChange).toHaveBeenCalledWith('group:default/team-search');
  });

  it('shows a ref that is not among the groups as it is', async () => {
    await renderWithApis(
      <ConsumerPicker value="group:default/legacy-team" onChange={jest.fn()} />,
      { api: mockFreeboardApi() },
    );
    expect(screen.getByLabelText('Consumer')).toHaveValue(
      'group:default/legacy-team',
    );
  });
});
