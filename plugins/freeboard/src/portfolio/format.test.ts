import {
  describeReview,
  describeThicknessTrend,
  describeTotals,
  describeWeeklyTrend,
  formatPercent,
} from './format';
import { totals } from './__testUtils__/portfolioFixtures';

describe('portfolio formatting', () => {
  it('says how overdue or due a review is', () => {
    expect(
      describeReview({
        reviewBy: '2024-04-20',
        dueInDays: -12,
        overdueDays: 12,
      }),
    ).toBe('12 days overdue');
    expect(
      describeReview({ reviewBy: '2024-05-01', dueInDays: -1, overdueDays: 1 }),
    ).toBe('1 day overdue');
    expect(describeReview({ reviewBy: '2024-05-02', dueInDays: 0 })).toBe(
      'Due today',
    );
    expect(describeReview({ reviewBy: '2024-05-03', dueInDays: 1 })).toBe(
      'Due in 1 day',
    );
  });

  it('sums up the filtered view in a line', () => {
    expect(describeTotals(totals)).toBe(
      '120 capabilities · 3 overdue · 5 overdrawn',
    );
    expect(
      describeTotals({
        ...totals,
        capabilities: 1,
        overdue: 0,
        byLevel: { ...totals.byLevel, overdrawn: 0 },
      }),
    ).toBe('1 capability · 0 overdue · 0 overdrawn');
  });

  it('describes the trends in words', () => {
    expect(describeWeeklyTrend([3, 1, -4.24])).toBe(
      'Balance over the last 3 weeks: from 3.0 to -4.2',
    );
    expect(describeWeeklyTrend([])).toBe('No balance trend yet');
    expect(
      describeThicknessTrend([{ thickness: 0.3 }, { thickness: 0.234 }]),
    ).toBe('Thickness over the last 2 days: from 30% to 23%');
  });

  it('rounds shares to whole percentages', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.505)).toBe('51%');
    expect(formatPercent(1)).toBe('100%');
  });
});
