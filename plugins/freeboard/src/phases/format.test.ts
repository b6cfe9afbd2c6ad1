import { startedState } from '../__testUtils__/phasesFixtures';
import {
  advanceLabel,
  asOfIso,
  criteriaProgress,
  daysFromNow,
  daysUntil,
  describeAdoption,
  describeDaysLeft,
  describeProgress,
  earlierPhases,
  nextPhase,
  refName,
} from './format';

describe('phases format', () => {
  const now = new Date(2024, 4, 10, 15, 30); // 10 May 2024, local time

  it('counts calendar days to a target, whatever the time of day', () => {
    expect(daysUntil('2024-05-10', now)).toBe(0);
    expect(daysUntil('2024-05-11', now)).toBe(1);
    expect(daysUntil('2024-06-09', now)).toBe(30);
    expect(daysUntil('2024-05-05', now)).toBe(-5);
  });

  it('says days left, due today, or overdue', () => {
    expect(describeDaysLeft('2024-05-22', now)).toBe('12 days left');
    expect(describeDaysLeft('2024-05-11', now)).toBe('1 day left');
    expect(describeDaysLeft('2024-05-10', now)).toBe('Due today');
    expect(describeDaysLeft('2024-05-05', now)).toBe('5 days overdue');
  });

  it('counts waivers apart from done criteria', () => {
    const integration = startedState.phases[1];
    const progress = criteriaProgress(integration.criteria);
    expect(progress).toEqual({
      total: 5,
      done: 2,
      waived: 1,
      expired: 1,
      open: 1,
    });
    expect(describeProgress(progress)).toBe(
      '2 of 5 done · 1 waived · 1 waiver expired',
    );
    expect(describeProgress(criteriaProgress([]))).toBe('No exit criteria');
  });

  it('describes adoption by cohort, or the adopting teams without cohorts', () => {
    expect(describeAdoption(startedState)).toBe(
      '1 of 3 teams; Wave 1: 1 of 2, Wave 2: 0 of 1',
    );
    expect(
      describeAdoption({
        ...startedState,
        cohorts: [],
        adoption: { ...startedState.adoption, adoptedTeams: 2 },
      }),
    ).toBe('2 teams adopted; no cohorts planned');
    expect(
      describeAdoption({
        ...startedState,
        cohorts: [],
        adoption: { ...startedState.adoption, adoptedTeams: 0 },
      }),
    ).toBe('No team has adopted it yet');
  });

  it('names where an advance leads, a new iteration after Adoption', () => {
    expect(nextPhase('integration')).toBe('deployment');
    expect(nextPhase('adoption')).toBe('discovery');
    expect(advanceLabel(startedState)).toBe('Advance to Deployment');
    expect(advanceLabel({ ...startedState, phase: 'adoption' })).toBe(
      'Advance to Discovery (iteration 2)',
    );
    expect(earlierPhases('deployment')).toEqual(['discovery', 'integration']);
    expect(earlierPhases('discovery')).toEqual([]);
  });

  it('reads "as of" a day as its end, but never later than now', () => {
    expect(new Date(asOfIso('2024-05-01', now)).getDate()).toBe(1);
    expect(new Date(asOfIso('2024-05-01', now)).getHours()).toBe(23);
    expect(asOfIso('2024-05-10', now)).toBe(now.toISOString());
    expect(daysFromNow(90, now)).toBe('2024-08-08');
  });

  it('names refs by their name part', () => {
    expect(refName('group:default/security')).toBe('security');
    expect(refName('not a ref')).toBe('not a ref');
  });
});
