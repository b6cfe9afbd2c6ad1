import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { PhasesConfig } from '@freeboard/backstage-plugin-common';
import {
  ALL_MET,
  CONFIG,
  DAY_MS,
  ENTITY,
  Initiative,
  LEAD,
  PIONEER,
  SECURITY,
  T0,
  TEAMS,
} from '../store/__testUtils__/initiatives';
import {
  PHASE_LIMITS,
  decideAddCohort,
  decideAddCriterion,
  decidePioneer,
  decideRemoveCohort,
  decideRemoveCriterion,
  decideRequestSignoff,
  decideSetCriterion,
  decideSignoff,
  decideStart,
  decideTarget,
  decideUpdateCohort,
} from './commands';
import { evaluate } from './evaluate';
import { applyEvent, replay } from './record';

/*
 * The commands other than transitions (see transitions.test.ts): criteria,
 * waivers, sign-offs, the pioneer team, targets and cohorts. Each either
 * decides one event or refuses with the error the API answers.
 */

const WAIVERS = { waiverDefaultDays: 90, waiverMaxDays: 365 };
const GOLDEN = 'discovery.golden-paths';

function refusal(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

describe('decideStart', () => {
  it('copies the template criteria and the configured sign-offs', () => {
    const data = decideStart(CONFIG);
    if (data.type !== 'started') throw new Error('not a start');
    expect(data.criteria).toHaveLength(18);
    expect(data.criteria[2]).toEqual({
      id: 'discovery.pioneer-selected',
      phase: 'discovery',
      title: 'Pioneer team selected',
      source: 'template',
      measure: { type: 'pioneer-selected' },
    });
    expect(data.signoffs).toEqual([
      { phase: 'discovery', groupRef: SECURITY },
      { phase: 'discovery', groupRef: 'group:default/data-governance' },
      { phase: 'discovery', groupRef: 'group:default/finance' },
    ]);
    const record = applyEvent(
      undefined,
      { version: 1, occurredAt: T0.toISOString(), actorRef: LEAD, data },
      ENTITY,
    );
    expect(record).toMatchObject({
      entityRef: ENTITY,
      version: 1,
      iteration: 1,
      phase: 'discovery',
      startedAt: T0.toISOString(),
      marks: {},
      dates: { discovery: { enteredAt: T0.toISOString() } },
    });
    expect(() =>
      applyEvent(
        record,
        { version: 2, occurredAt: T0.toISOString(), actorRef: LEAD, data },
        ENTITY,
      ),
    ).toThrow(/started twice/);
  });
});

describe('criteria', () => {
  it('ticks and unticks, recording who and when', () => {
    const initiative = Initiative.start().later(1000);
    initiative.run(r =>
      decideSetCriterion(r, GOLDEN, { state: 'done' }, WAIVERS, initiative.now),
    );
    expect(initiative.record.marks[GOLDEN]).toEqual({
      state: 'done',
      by: LEAD,
      at: initiative.now.toISOString(),
    });
    initiative.later(1000);
    initiative.run(
      r =>
        decideSetCriterion(
          r,
          GOLDEN,
          { state: 'open', reason: 'The paths changed' },
          WAIVERS,
          initiative.now,
        ),
      { reason: 'The paths changed', actorRef: 'user:default/bo' },
    );
    expect(initiative.record.marks[GOLDEN]).toEqual({
      state: 'open',
      by: 'user:default/bo',
      at: initiative.now.toISOString(),
      reason: 'The paths changed',
    });
  });

  it('refuses an expiry without a waiver', () => {
    const initiative = Initiative.start();
    const error = refusal(() =>
      decideSetCriterion(
        initiative.record,
        GOLDEN,
        { state: 'done', waiverExpiresAt: new Date(T0.getTime() + DAY_MS) },
        WAIVERS,
        T0,
      ),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^waiverExpiresAt: /);
  });

  it('refuses an unknown criterion', () => {
    const initiative = Initiative.start();
    expect(
      refusal(() =>
        decideSetCriterion(
          initiative.record,
          'discovery.nope',
          { state: 'done' },
          WAIVERS,
          T0,
        ),
      ),
    ).toBeInstanceOf(NotFoundError);
    expect(
      refusal(() => decideRemoveCriterion(initiative.record, 'own-99')),
    ).toBeInstanceOf(NotFoundError);
  });

  it.each(['done', 'open', 'waived'] as const)(
    'refuses to set a measured criterion %s by hand',
    state => {
      const initiative = Initiative.start();
      const error = refusal(() =>
        decideSetCriterion(
          initiative.record,
          'discovery.pioneer-selected',
          { state, reason: 'We know' },
          WAIVERS,
          T0,
        ),
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toContain('measured');
    },
  );

  it('adds own criteria with ids that replay to the same, and removes them', () => {
    const initiative = Initiative.start();
    const event = initiative.run(r =>
      decideAddCriterion(r, {
        phase: 'integration',
        title: 'Secrets rotated',
        description: 'Every secret rotated once',
      }),
    );
    expect(event.data).toEqual({
      type: 'criterion-added',
      criterion: {
        id: 'own-2',
        phase: 'integration',
        title: 'Secrets rotated',
        description: 'Every secret rotated once',
        source: 'own',
      },
    });
    initiative.run(r =>
      decideAddCriterion(r, { phase: 'integration', title: 'Second' }),
    );
    initiative.run(r =>
      decideSetCriterion(r, 'own-2', { state: 'done' }, WAIVERS, T0),
    );
    expect(replay(ENTITY, initiative.events)).toEqual(initiative.record);

    initiative.run(r => decideRemoveCriterion(r, 'own-2'));
    expect(initiative.record.criteria.map(c => c.id)).not.toContain('own-2');
    expect(initiative.record.criteria.map(c => c.id)).toContain('own-3');
    // Its mark goes with it.
    expect(initiative.record.marks['own-2']).toBeUndefined();
  });

  it('refuses to remove a template criterion', () => {
    const initiative = Initiative.start();
    const error = refusal(() =>
      decideRemoveCriterion(initiative.record, GOLDEN),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('Golden paths chosen');
  });

  it(`refuses more than ${PHASE_LIMITS.criteriaPerPhase} criteria in a phase`, () => {
    const initiative = Initiative.start();
    // Integration starts with two template criteria.
    for (let i = 2; i < PHASE_LIMITS.criteriaPerPhase; i++) {
      initiative.run(r =>
        decideAddCriterion(r, { phase: 'integration', title: `C${i}` }),
      );
    }
    const error = refusal(() =>
      decideAddCriterion(initiative.record, {
        phase: 'integration',
        title: 'One more',
      }),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^phase: /);
    // Other phases are not full.
    expect(
      decideAddCriterion(initiative.record, {
        phase: 'deployment',
        title: 'Fine',
      }).type,
    ).toBe('criterion-added');
  });
});

describe('waivers', () => {
  const waive = (
    initiative: Initiative,
    input: { reason?: string; waiverExpiresAt?: Date },
    config: Pick<PhasesConfig, 'waiverDefaultDays' | 'waiverMaxDays'> = WAIVERS,
  ) =>
    decideSetCriterion(
      initiative.record,
      GOLDEN,
      { state: 'waived', ...input },
      config,
      initiative.now,
    );

  it('requires a reason', () => {
    const initiative = Initiative.start();
    for (const reason of [undefined, '']) {
      const error = refusal(() => waive(initiative, { reason }));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/^reason: /);
    }
  });

  it('expires after the configured default', () => {
    const initiative = Initiative.start();
    expect(waive(initiative, { reason: 'Later' })).toEqual({
      type: 'criterion-set',
      id: GOLDEN,
      state: 'waived',
      waiverExpiresAt: new Date(T0.getTime() + 90 * DAY_MS).toISOString(),
    });
    expect(
      waive(
        initiative,
        { reason: 'Later' },
        { waiverDefaultDays: 7, waiverMaxDays: 30 },
      ),
    ).toMatchObject({
      waiverExpiresAt: new Date(T0.getTime() + 7 * DAY_MS).toISOString(),
    });
  });

  it('refuses an expiry in the past, now, or beyond the maximum', () => {
    const initiative = Initiative.start();
    for (const ms of [-DAY_MS, 0, 365 * DAY_MS + 1]) {
      const error = refusal(() =>
        waive(initiative, {
          reason: 'Later',
          waiverExpiresAt: new Date(T0.getTime() + ms),
        }),
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/^waiverExpiresAt: /);
    }
    // The bounds themselves.
    for (const ms of [1, 365 * DAY_MS]) {
      expect(
        waive(initiative, {
          reason: 'Later',
          waiverExpiresAt: new Date(T0.getTime() + ms),
        }),
      ).toMatchObject({
        waiverExpiresAt: new Date(T0.getTime() + ms).toISOString(),
      });
    }
  });

  it('evaluates as waived until it expires, then as expired, and blocks again', () => {
    const initiative = Initiative.start();
    initiative.apply(
      waive(initiative, {
        reason: 'Later',
        waiverExpiresAt: new Date(T0.getTime() + 10 * DAY_MS),
      }),
      {
        reason: 'Later',
      },
    );
    const stateAt = (ms: number) => {
      const { phases, blockers } = evaluate(
        initiative.record,
        ALL_MET,
        new Date(T0.getTime() + ms),
      );
      const criterion = phases[0].criteria.find(c => c.id === GOLDEN)!;
      return { criterion, blocks: blockers.some(b => b.id === GOLDEN) };
    };
    expect(stateAt(10 * DAY_MS - 1)).toEqual({
      criterion: expect.objectContaining({
        state: 'waived',
        reason: 'Later',
        changedBy: LEAD,
        waiverExpiresAt: new Date(T0.getTime() + 10 * DAY_MS).toISOString(),
      }),
      blocks: false,
    });
    expect(stateAt(10 * DAY_MS)).toEqual({
      criterion: expect.objectContaining({ state: 'expired' }),
      blocks: true,
    });
    // Ticking it replaces the waiver.
    initiative.apply({ type: 'criterion-set', id: GOLDEN, state: 'done' });
    expect(initiative.record.marks[GOLDEN].waiverExpiresAt).toBeUndefined();
    expect(stateAt(20 * DAY_MS).criterion.state).toBe('done');
  });
});

describe('sign-offs', () => {
  it('requests more, once per phase and group, up to the limit', () => {
    const initiative = Initiative.start();
    const event = initiative.run(r =>
      decideRequestSignoff(r, 'integration', 'group:default/ops'),
    );
    expect(event.data).toEqual({
      type: 'signoff-requested',
      phase: 'integration',
      groupRef: 'group:default/ops',
    });
    expect(initiative.record.signoffs[3]).toEqual({
      phase: 'integration',
      groupRef: 'group:default/ops',
      origin: 'requested',
      requestedBy: LEAD,
      state: 'pending',
    });
    for (const [phase, group] of [
      ['integration', 'group:default/ops'],
      ['discovery', SECURITY],
    ] as const) {
      expect(
        refusal(() => decideRequestSignoff(initiative.record, phase, group)),
      ).toBeInstanceOf(ConflictError);
    }
    for (let i = 1; i < PHASE_LIMITS.signoffsPerPhase; i++) {
      initiative.run(r =>
        decideRequestSignoff(r, 'integration', `group:default/g${i}`),
      );
    }
    expect(
      refusal(() =>
        decideRequestSignoff(
          initiative.record,
          'integration',
          'group:default/last',
        ),
      ),
    ).toBeInstanceOf(InputError);
  });

  it('decides only a sign-off that was asked for', () => {
    const initiative = Initiative.start();
    expect(
      refusal(() =>
        decideSignoff(initiative.record, {
          phase: 'integration',
          groupRef: SECURITY,
          decision: 'approve',
        }),
      ),
    ).toBeInstanceOf(NotFoundError);
    initiative.later(1000);
    initiative.run(
      r =>
        decideSignoff(r, {
          phase: 'discovery',
          groupRef: SECURITY,
          decision: 'reject',
          comment: 'No threat model',
        }),
      { actorRef: 'user:default/sec' },
    );
    expect(initiative.record.signoffs[0]).toEqual({
      phase: 'discovery',
      groupRef: SECURITY,
      origin: 'config',
      state: 'rejected',
      decidedBy: 'user:default/sec',
      decidedAt: initiative.now.toISOString(),
      comment: 'No threat model',
    });
    initiative.run(r =>
      decideSignoff(r, {
        phase: 'discovery',
        groupRef: SECURITY,
        decision: 'approve',
      }),
    );
    // A new decision replaces the old one, comment included.
    expect(initiative.record.signoffs[0]).toMatchObject({ state: 'approved' });
    expect(initiative.record.signoffs[0].comment).toBeUndefined();
  });
});

describe('pioneer, targets and cohorts', () => {
  it('sets and clears the pioneer team and target dates', () => {
    const initiative = Initiative.start();
    initiative.run(() => decidePioneer(PIONEER));
    initiative.run(() => decideTarget('integration', '2027-02-01'));
    expect(initiative.record).toMatchObject({
      pioneerTeamRef: PIONEER,
      targets: { integration: '2027-02-01' },
    });
    initiative.run(() => decidePioneer(null));
    initiative.run(() => decideTarget('integration', null));
    expect(initiative.record.pioneerTeamRef).toBeUndefined();
    expect(initiative.record.targets).toEqual({});
    expect(replay(ENTITY, initiative.events)).toEqual(initiative.record);
  });

  it('adds, updates and removes cohorts, in order', () => {
    const initiative = Initiative.start();
    const wave = {
      name: 'Wave 1',
      targetDate: '2027-03-01',
      teamRefs: TEAMS.slice(0, 2),
    };
    initiative.run(r => decideAddCohort(r, wave));
    initiative.run(r => decideAddCohort(r, { ...wave, name: 'Wave 2' }));
    expect(initiative.record.cohorts.map(c => [c.id, c.name])).toEqual([
      ['cohort-2', 'Wave 1'],
      ['cohort-3', 'Wave 2'],
    ]);
    initiative.run(r =>
      decideUpdateCohort(r, 'cohort-2', { ...wave, teamRefs: TEAMS }),
    );
    expect(initiative.record.cohorts[0]).toEqual({
      id: 'cohort-2',
      ...wave,
      teamRefs: TEAMS,
    });
    for (const work of [
      () => decideUpdateCohort(initiative.record, 'cohort-9', wave),
      () => decideRemoveCohort(initiative.record, 'cohort-9'),
    ]) {
      expect(refusal(work)).toBeInstanceOf(NotFoundError);
    }
    initiative.run(r => decideRemoveCohort(r, 'cohort-2'));
    expect(initiative.record.cohorts.map(c => c.id)).toEqual(['cohort-3']);
    for (let i = 1; i < PHASE_LIMITS.cohorts; i++) {
      initiative.run(r => decideAddCohort(r, wave));
    }
    expect(
      refusal(() => decideAddCohort(initiative.record, wave)),
    ).toBeInstanceOf(InputError);
  });
});
