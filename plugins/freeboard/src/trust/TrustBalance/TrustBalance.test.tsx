import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { summary } from '../../__testUtils__/fixtures';
import { TrustBalance } from './TrustBalance';

describe('TrustBalance', () => {
  it('shows the rounded balance, the level in words, and the totals', async () => {
    await renderInTestApp(
      <TrustBalance
        summary={{ ...summary, balance: -3.96, level: 'overdrawn' }}
      />,
    );
    expect(screen.getByLabelText('Trust balance')).toHaveTextContent(/^-4\.0$/);
    expect(screen.getByText('Overdrawn')).toBeInTheDocument();
    expect(screen.getByText('Earned 40.0 · Spent 27.7')).toBeInTheDocument();
  });
});
