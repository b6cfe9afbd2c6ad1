import {
  directionLabel,
  formatCredits,
  formatSignedAmount,
  formatTimeAgo,
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

  it('says how long ago something happened, in whole units', () => {
    const now = new Date('2026-06-30T12:00:00.000Z');
    const ago = (days: number) =>
      formatTimeAgo(
        new Date(now.getTime() - days * 86_400_000).toISOString(),
        now,
      );
    expect(ago(0.5)).toBe('today');
    expect(ago(-2)).toBe('today');
    expect(ago(1)).toBe('yesterday');
    expect(ago(3)).toBe('3 days ago');
    expect(ago(7)).toBe('last week');
    expect(ago(21)).toBe('3 weeks ago');
    expect(ago(27)).toBe('3 weeks ago');
    expect(ago(65)).toBe('2 months ago');
    expect(ago(400)).toBe('last year');
    expect(formatTimeAgo('not a date', now)).toBe('not a date');
  });
});
