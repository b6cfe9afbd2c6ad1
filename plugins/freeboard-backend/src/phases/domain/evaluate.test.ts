import {
  CriterionMeasure,
  MVP_PHASES,
  PhasesConfig,
  TrustLevel,
} from '@freeboard/backstage-plugin-common';
import {
  ALL_MET,
  CONFIG,
  Initiative,
  NOTHING_MEASURED,
  PIONEER,
  T0,
  TEAMS,
} from '../store/__testUtils__/initiatives';
import { decideStart } from './commands';
import { Measurements, evaluate, measure, notStartedPhases } from './evaluate';
import { CohortDefinition, CriterionDefinition } from './events';

/*
 * Measured criteria are computed, never claimed: each measure against the
 * data that meets it and the data that does not; and the shape evaluate()
 * gives the API.
 */

const measurements = (over: Partial<Measurements> = {}): Measurements => ({
  ...NOTHING_MEASURED,
  ...over,
});

const cohort = (teamRefs: string[], name = 'Wave'): CohortDefinition => ({
  id: `c-${name}`,
  name,
  targetDate: '2027-01-01',
  teamRefs,
});

describe('measure', () => {
  it('pioneer-selected: met once a pioneer team is set', () => {
    const m: CriterionMeasure = { type: 'pioneer-selected' };
    expect(measure(m, { cohorts: [], measurements: measurements() })).toEqual({
      met: false,
      measured: 'No pioneer team yet',
    });
    expect(
      measure(m, {
        pioneerTeamRef: PIONEER,
        cohorts: [],
        measurements: measurements(),
      }),
    ).toEqual({ met: true, measured: `Pioneer team: ${PIONEER}` });
  });

  it('pioneer-adopted: met when the pioneer team has adopted it', () => {
    const m: CriterionMeasure = { type: 'pioneer-adopted' };
    const adopted = measurements({ adoptedTeams: new Set([PIONEER]) });
    expect(measure(m, { cohorts: [], measurements: adopted }).met).toBe(false);
    expect(
      measure(m, {
        pioneerTeamRef: PIONEER,
        cohorts: [],
        measurements: measurements({ adoptedTeams: new Set([TEAMS[0]]) }),
      }),
    ).toEqual({ met: false, measured: `${PIONEER} has not adopted it yet` });
    expect(
      measure(m, {
        pioneerTeamRef: PIONEER,
        cohorts: [],
        measurements: adopted,
      }),
    ).toEqual({ met: true, measured: `${PIONEER} has adopted it` });
  });

  it('cohort-adopted: met when at least the percentage of that cohort adopted', () => {
    const five = cohort(TEAMS, 'Wave 2');
    const cohorts = [cohort([PIONEER], 'Wave 1'), five];
    const m = (percent: number): CriterionMeasure => ({
      type: 'cohort-adopted',
      cohort: 2,
      percent,
    });
    const adopted = (n: number) =>
      measurements({ adoptedTeams: new Set(TEAMS.slice(0, n)) });
    expect(measure(m(80), { cohorts, measurements: adopted(4) })).toEqual({
      met: true,
      measured: 'Wave 2: 4 of 5 teams adopted (needs 80%)',
    });
    expect(measure(m(80), { cohorts, measurements: adopted(3) })).toEqual({
      met: false,
      measured: 'Wave 2: 3 of 5 teams adopted (needs 80%)',
    });
    expect(measure(m(100), { cohorts, measurements: adopted(4) }).met).toBe(
      false,
    );
    expect(measure(m(100), { cohorts, measurements: adopted(5) }).met).toBe(
      true,
    );
    // 1 of 3 is 33.3%: below 34, at or above 33.
    const three = [cohort([PIONEER]), cohort(TEAMS.slice(0, 3))];
    expect(
      measure(m(34), { cohorts: three, measurements: adopted(1) }).met,
    ).toBe(false);
    expect(
      measure(m(33), { cohorts: three, measurements: adopted(1) }).met,
    ).toBe(true);
    // The cohort is counted by position: cohort 1 here is the pioneer alone.
    expect(
      measure(
        { type: 'cohort-adopted', cohort: 1, percent: 50 },
        { cohorts, measurements: adopted(5) },
      ).met,
    ).toBe(false);
    // No such cohort, or an empty one, is not met.
    expect(
      measure(
        { type: 'cohort-adopted', cohort: 3, percent: 1 },
        { cohorts, measurements: adopted(5) },
      ),
    ).toEqual({ met: false, measured: 'No cohort 3 yet' });
    expect(
      measure(
        { type: 'cohort-adopted', cohort: 1, percent: 1 },
        { cohorts: [cohort([])], measurements: adopted(5) },
      ).met,
    ).toBe(false);
  });

  const LEVELS: TrustLevel[] = ['overdrawn', 'thin', 'healthy', 'strong'];
  it.each(LEVELS.flatMap(need => LEVELS.map(have => [need, have] as const)))(
    'trust-level %s: met by %s only if at least as good',
    (need, have) => {
      const result = measure(
        { type: 'trust-level', level: need },
        { cohorts: [], measurements: measurements({ trustLevel: have }) },
      );
      expect(result).toEqual({
        met: LEVELS.indexOf(have) >= LEVELS.indexOf(need),
        measured: `Trust is ${have} (needs ${need} or better)`,
      });
    },
  );

  it('trust-level: not met without a ledger', () => {
    expect(
      measure(
        { type: 'trust-level', level: 'overdrawn' },
        { cohorts: [], measurements: measurements() },
      ),
    ).toEqual({ met: false, measured: 'No trust ledger yet' });
  });

  it('float-or-sink-decided: met when a valid decision is recorded', () => {
    const m: CriterionMeasure = { type: 'float-or-sink-decided' };
    expect(measure(m, { cohorts: [], measurements: measurements() }).met).toBe(
      false,
    );
    expect(
      measure(m, {
        cohorts: [],
        measurements: measurements({ decisionValid: true }),
      }).met,
    ).toBe(true);
  });
});

describe('evaluate', () => {
  const config: PhasesConfig = {
    ...CONFIG,
    templates: {
      ...CONFIG.templates,
      integration: [
        { id: 'manual', title: 'Manual' },
        {
          id: 'trusted',
          title: 'Trusted',
          measure: { type: 'trust-level', level: 'healthy' },
        },
        {
          id: 'decided',
          title: 'Decided',
          measure: { type: 'float-or-sink-decided' },
        },
      ],
    },
  };

  it('shows every phase with its status, dates, targets, criteria and sign-offs', () => {
    const initiative = Initiative.ready(config).advance(1);
    initiative.apply({
      type: 'target-set',
      phase: 'deployment',
      date: '2027-05-01',
    });
    const { phases, blockers } = evaluate(
      initiative.record,
      NOTHING_MEASURED,
      initiative.now,
    );
    expect(phases.map(p => [p.id, p.status])).toEqual([
      ['discovery', 'done'],
      ['integration', 'current'],
      ['deployment', 'upcoming'],
      ['adoption', 'upcoming'],
    ]);
    expect(phases[0].enteredAt).toBe(T0.toISOString());
    expect(phases[0].exitedAt).toBe(phases[1].enteredAt);
    expect(phases[2].targetDate).toBe('2027-05-01');
    expect(phases[0].signoffs.map(s => s.state)).toEqual([
      'approved',
      'approved',
      'approved',
    ]);
    expect(phases[1].criteria).toEqual([
      {
        id: 'integration.manual',
        title: 'Manual',
        kind: 'manual',
        source: 'template',
        state: 'open',
      },
      {
        id: 'integration.trusted',
        title: 'Trusted',
        kind: 'measured',
        source: 'template',
        measure: { type: 'trust-level', level: 'healthy' },
        state: 'open',
        measured: 'No trust ledger yet',
      },
      {
        id: 'integration.decided',
        title: 'Decided',
        kind: 'measured',
        source: 'template',
        measure: { type: 'float-or-sink-decided' },
        state: 'open',
        measured: 'No valid float-or-sink decision',
      },
    ]);
    // Only the current phase blocks.
    expect(blockers.map(b => b.id)).toEqual([
      'integration.manual',
      'integration.trusted',
      'integration.decided',
    ]);

    initiative.apply({
      type: 'criterion-set',
      id: 'integration.manual',
      state: 'done',
    });
    expect(
      evaluate(
        initiative.record,
        { ...ALL_MET, trustLevel: 'thin' },
        initiative.now,
      ).blockers,
    ).toEqual([
      {
        kind: 'criterion',
        id: 'integration.trusted',
        title: '"Trusted" is not met: Trust is thin (needs healthy or better)',
      },
    ]);
    expect(
      evaluate(initiative.record, ALL_MET, initiative.now).blockers,
    ).toEqual([]);
  });

  it('shows an initiative that has not started as upcoming template criteria', () => {
    const start = decideStart(config);
    if (start.type !== 'started') throw new Error('not a start');
    const phases = notStartedPhases(
      start.criteria as CriterionDefinition[],
      start.signoffs,
      ALL_MET,
      T0,
    );
    expect(phases.map(p => p.id)).toEqual([...MVP_PHASES]);
    expect(phases.every(p => p.status === 'upcoming')).toBe(true);
    expect(phases[1].criteria.map(c => [c.id, c.state])).toEqual([
      ['integration.manual', 'open'],
      // Measures hold on data, not on the initiative having started.
      ['integration.trusted', 'done'],
      ['integration.decided', 'done'],
    ]);
    expect(phases[0].signoffs.map(s => s.state)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
  });
});
