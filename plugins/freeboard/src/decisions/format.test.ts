import { decisionHistory } from '../__testUtils__/fixtures';
import {
  describeDecisionEvent,
  describeReview,
  describeValues,
} from './format';

describe('decision formatting', () => {
  it('says when a review is due, today or overdue, in days', () => {
    expect(describeReview({ reviewBy: '2027-03-31', dueInDays: 30 })).toBe(
      'Review due in 30 days',
    );
    expect(describeReview({ reviewBy: '2027-03-31', dueInDays: 1 })).toBe(
      'Review due in 1 day',
    );
    expect(describeReview({ reviewBy: '2027-03-31', dueInDays: 0 })).toBe(
      'Review due today',
    );
    expect(
      describeReview({ reviewBy: '2027-03-31', dueInDays: -1, overdueDays: 1 }),
    ).toBe('Review overdue by 1 day');
    expect(
      describeReview({
        reviewBy: '2027-03-31',
        dueInDays: -12,
        overdueDays: 12,
      }),
    ).toBe('Review overdue by 12 days');
  });

  it('describes every kind of history event', () => {
    expect(decisionHistory.map(e => describeDecisionEvent(e))).toEqual([
      { summary: 'Decision changed from sink to float' },
      { summary: 'Review-by moved from 2026-09-30 to 2027-03-31' },
      { summary: 'Replaced by set to “Grafana Cloud”' },
      {
        summary:
          'Annotations invalid: freeboard.dev/float-or-sink must be "float" or "sink", got "swim"',
      },
      { summary: 'Removed', details: 'Decision: sink' },
      {
        summary: 'First seen',
        details: 'Decision: sink · Review-by: 2026-09-30',
      },
      { summary: 'Entity left the catalog', details: 'Decision: sink' },
    ]);
  });

  it('describes a field removed, free text quoted', () => {
    expect(
      describeDecisionEvent({
        id: 1,
        type: 'changed',
        field: 'rationale',
        oldValue: 'Costs two engineers',
        observedAt: '2026-01-01T00:00:00.000Z',
      }).summary,
    ).toBe('Rationale removed (was “Costs two engineers”)');
    expect(
      describeDecisionEvent({
        id: 2,
        type: 'changed',
        field: 'baseCapability',
        oldValue: 'EKS',
        newValue: 'GKE',
        observedAt: '2026-01-01T00:00:00.000Z',
      }).summary,
    ).toBe('Base capability changed from “EKS” to “GKE”');
  });

  it('shows no details for values that are not a JSON object', () => {
    expect(describeValues(undefined)).toBeUndefined();
    expect(describeValues('not json')).toBeUndefined();
    expect(describeValues('["float"]')).toBeUndefined();
    expect(describeValues('{"decision":42}')).toBeUndefined();
    expect(
      describeDecisionEvent({
        id: 3,
        type: 'invalid',
        observedAt: '2026-01-01T00:00:00.000Z',
      }).summary,
    ).toBe('Annotations invalid: no details recorded');
  });
});
