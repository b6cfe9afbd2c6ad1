import {
  directionLabel,
  formatCredits,
  formatSignedAmount,
  formatTrendDate,
  sourceLabel,
} from './format';

describe('format', () => {
  it('rounds credits to one decimal without separators or negative zero', () => {
    expect(formatCredits(12.345)).toBe('12.3');
    expect(formatCredits(10)).toBe('10.0');
    expect(formatCredits(-4.96)).toBe('-5.0');
    expect(formatCredits(-0.01)).toBe('0.0');
    expect(formatCredits(12345.67)).toBe('12345.7');
  });

  it('signs amounts by direction', () => {
    expect(formatSignedAmount(10, 'earn')).toBe('+10');
    expect(formatSignedAmount(2.54, 'spend')).toBe('\u22122.5');
  });

  it('names directions and sources', () => {
    expect(directionLabel('earn')).toBe('Earned');
    expect(directionLabel('spend')).toBe('Spent');
    expect(sourceLabel('pulse')).toBe('Pulse');
    expect(sourceLabel('github-module')).toBe('github-module');
  });

  it('reads trend dates as UTC days', () => {
    expect(formatTrendDate('2024-03-01')).toMatch(/1/);
    expect(formatTrendDate('not a date')).toBe('not a date');
  });
});
