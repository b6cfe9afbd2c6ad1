import { formatDate } from './format';

describe('formatDate', () => {
  it('shows an ISO timestamp as a day with year, month and day', () => {
    const text = formatDate('2024-03-15T12:00:00.000Z');
    expect(text).toMatch(/2024/);
    expect(text).toMatch(/15/);
  });

  it('keeps a value that is not a date as it is', () => {
    expect(formatDate('not a date')).toBe('not a date');
  });
});
