import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { PreflightVerdictChip, TrustLevelChip } from './TrustChips';

describe('TrustChips', () => {
  it.each([
    ['overdrawn', 'Overdrawn'],
    ['thin', 'Thin'],
    ['healthy', 'Healthy'],
    ['strong', 'Strong'],
  ] as const)(
    'names the %s level in words, with an icon',
    async (level, word) => {
      await renderInTestApp(<TrustLevelChip level={level} />);
      const chip = screen.getByText(word).closest('.MuiChip-root');
      expect(chip).not.toBeNull();
      expect(chip!.querySelector('svg')).not.toBeNull();
    },
  );

  it.each([
    ['affordable', 'Affordable'],
    ['risky', 'Risky'],
    ['overdrawn', 'Overdrawn'],
  ] as const)('names the %s verdict in words', async (verdict, word) => {
    await renderInTestApp(<PreflightVerdictChip verdict={verdict} />);
    expect(screen.getByText(word)).toBeInTheDocument();
  });
});
