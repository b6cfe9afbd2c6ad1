import { ConflictError, InputError } from '@backstage/errors';
import { MVP_PHASES, MvpPhase } from '@freeboard/backstage-plugin-common';
import {
  ALL_MET,
  DATA,
  DAY_MS,
  FINANCE,
  Initiative,
  NOTHING_MEASURED,
  PIONEER,
  SECURITY,
} from '../store/__testUtils__/initiatives';
import {
  PhaseBlockedError,
  decideRequestSignoff,
  decideSetCriterion,
  decideSignoff,
  decideTarget,
  decideTransition,
} from './commands';
import { InitiativeRecord, nextPhase, phaseIndex } from './record';

/*
 * The state machine, from every phase: which transitions are allowed, which
 * are refused and how, and what an allowed one does to the record.
 */

/** An initiative of iteration 1 in `phase`, with nothing blocking it. */
function inPhase(phase: MvpPhase): Initiative {
  const initiative = Initiative.ready().advance(phaseIndex(phase));
  expect(initiative.record.phase).toBe(phase);
  return initiative.clear();
}

function refusal(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

function blockedBy(initiative: Initiative, measurements = ALL_MET) {
  const error = refusal(() =>
    decideTransition(
      initiative.record,
      nextPhase(initiative.record.phase),
      undefined,
      initiative.blockers(measurements),
    ),
  );
  expect(error).toBeInstanceOf(PhaseBlockedError);
  expect(error).toBeInstanceOf(ConflictError);
  // The framework answers 409 from the name.
  expect(error.name).toBe('ConflictError');
  return (error as PhaseBlockedError).blockers;
}

const titleOf = (record: InitiativeRecord, phase: MvpPhase) =>
  record.criteria.find(c => c.phase === phase && !c.measure)!;

describe('phase transitions', () => {
  describe.each(MVP_PHASES.slice(0, 3))('from %s', phase => {
    const to = nextPhase(phase);

    it(`advances to ${to} when nothing blocks`, () => {
      const initiative = inPhase(phase);
      const before = initiative.record;
      expect(initiative.blockers()).toEqual([]);
      initiative.later(DAY_MS);
      const event = initiative.run(r =>
        decideTransition(r, to, undefined, initiative.blockers()),
      );
      expect(event.data).toEqual({
        type: 'advanced',
        from: phase,
        to,
        iteration: 1,
      });
      const after = initiative.record;
      expect(after).toMatchObject({ phase: to, iteration: 1 });
      expect(after.dates[phase]).toEqual({
        enteredAt: before.dates[phase]!.enteredAt,
        exitedAt: initiative.now.toISOString(),
      });
      expect(after.dates[to]).toEqual({
        enteredAt: initiative.now.toISOString(),
      });
      // Marks and sign-offs of the phase left stay as they were.
      expect(after.marks).toEqual(before.marks);
      expect(after.signoffs).toEqual(before.signoffs);
    });
  });

  describe.each(MVP_PHASES)('from %s', phase => {
    it('refuses to advance while a manual criterion is open, naming it', () => {
      const initiative = inPhase(phase);
      const criterion = titleOf(initiative.record, phase);
      initiative.run(r =>
        decideSetCriterion(
          r,
          criterion.id,
          { state: 'open' },
          {
            waiverDefaultDays: 90,
            waiverMaxDays: 365,
          },
          initiative.now,
        ),
      );
      expect(blockedBy(initiative)).toEqual([
        {
          kind: 'criterion',
          id: criterion.id,
          title: `"${criterion.title}" is open`,
        },
      ]);
    });

    it('refuses to advance past an expired waiver, naming it', () => {
      const initiative = inPhase(phase);
      const criterion = titleOf(initiative.record, phase);
      initiative.run(
        r =>
          decideSetCriterion(
            r,
            criterion.id,
            {
              state: 'waived',
              reason: 'Not needed for the MVP',
              waiverExpiresAt: new Date(initiative.now.getTime() + DAY_MS),
            },
            { waiverDefaultDays: 90, waiverMaxDays: 365 },
            initiative.now,
          ),
        { reason: 'Not needed for the MVP' },
      );
      // Waived and unexpired: nothing blocks.
      expect(initiative.blockers()).toEqual([]);
      initiative.later(DAY_MS);
      const blockers = blockedBy(initiative);
      expect(blockers).toHaveLength(1);
      expect(blockers[0]).toMatchObject({
        kind: 'criterion',
        id: criterion.id,
      });
      expect(blockers[0].title).toContain(criterion.title);
      expect(blockers[0].title).toMatch(/waiver .* expired/);
    });

    it('refuses to advance while a sign-off is pending or rejected, naming the group', () => {
      const initiative = inPhase(phase);
      initiative.run(r => decideRequestSignoff(r, phase, 'group:default/ops'));
      expect(blockedBy(initiative)).toEqual([
        {
          kind: 'signoff',
          id: 'group:default/ops',
          title: 'group:default/ops has not signed off',
        },
      ]);
      initiative.run(r =>
        decideSignoff(r, {
          phase,
          groupRef: 'group:default/ops',
          decision: 'reject',
          comment: 'No runbook',
        }),
      );
      expect(blockedBy(initiative)).toEqual([
        {
          kind: 'signoff',
          id: 'group:default/ops',
          title: 'group:default/ops rejected the sign-off',
        },
      ]);
      // A rejection blocks until the group approves.
      initiative.run(r =>
        decideSignoff(r, {
          phase,
          groupRef: 'group:default/ops',
          decision: 'approve',
        }),
      );
      expect(initiative.blockers()).toEqual([]);
    });

    it('refuses to move to the phase it is in', () => {
      const initiative = inPhase(phase);
      const error = refusal(() =>
        decideTransition(initiative.record, phase, 'why not', []),
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).not.toBeInstanceOf(PhaseBlockedError);
      expect(error.message).toMatch(/^to: /);
    });

    const later = MVP_PHASES.filter(p => phaseIndex(p) > phaseIndex(phase) + 1);
    if (later.length > 0) {
      it.each(later)('refuses to skip ahead to %s', skipped => {
        const initiative = inPhase(phase);
        const error = refusal(() =>
          decideTransition(initiative.record, skipped, 'hurry', []),
        );
        expect(error).toBeInstanceOf(ConflictError);
        expect(error).not.toBeInstanceOf(PhaseBlockedError);
        expect(error.message).toContain(`not move to ${skipped}`);
      });
    }

    // From Adoption, "discovery" is the next phase (a new iteration), so it
    // cannot be stepped back to; see the last test.
    const earlier = MVP_PHASES.filter(
      p => phaseIndex(p) < phaseIndex(phase) && p !== nextPhase(phase),
    );
    if (earlier.length > 0) {
      it.each(earlier)(
        'steps back to %s with a reason, and not without',
        back => {
          const initiative = inPhase(phase);
          const refused = refusal(() =>
            decideTransition(initiative.record, back, undefined, []),
          );
          expect(refused).toBeInstanceOf(InputError);
          expect(refused.message).toMatch(/^reason: /);
          expect(
            refusal(() => decideTransition(initiative.record, back, '', [])),
          ).toBeInstanceOf(InputError);

          const before = initiative.record;
          initiative.later(DAY_MS);
          // Blockers do not stop a step back.
          const event = initiative.run(
            r =>
              decideTransition(
                r,
                back,
                'The golden path does not fit',
                initiative.blockers(NOTHING_MEASURED),
              ),
            { reason: 'The golden path does not fit' },
          );
          expect(event.data).toEqual({
            type: 'stepped-back',
            from: phase,
            to: back,
          });
          expect(event.reason).toBe('The golden path does not fit');
          const after = initiative.record;
          expect(after).toMatchObject({ phase: back, iteration: 1 });
          // Ticks stay; the phase returned to is entered afresh; later dates go.
          expect(after.marks).toEqual(before.marks);
          const kept = MVP_PHASES.filter(p => phaseIndex(p) < phaseIndex(back));
          expect(after.dates).toEqual({
            ...Object.fromEntries(kept.map(p => [p, before.dates[p]])),
            [back]: { enteredAt: initiative.now.toISOString() },
          });
        },
      );
    }
  });

  it('from adoption advances to discovery of iteration 2, afresh', () => {
    const initiative = inPhase('adoption');
    initiative.run(() => decideTarget('discovery', '2027-01-01'));
    const before = initiative.record;
    expect(Object.keys(before.marks).length).toBeGreaterThan(10);
    initiative.later(DAY_MS);
    const event = initiative.run(r =>
      decideTransition(r, 'discovery', undefined, initiative.blockers()),
    );
    expect(event.data).toEqual({
      type: 'advanced',
      from: 'adoption',
      to: 'discovery',
      iteration: 2,
    });
    const after = initiative.record;
    expect(after).toMatchObject({ phase: 'discovery', iteration: 2 });
    expect(after.marks).toEqual({});
    expect(after.targets).toEqual({});
    expect(after.dates).toEqual({
      discovery: { enteredAt: initiative.now.toISOString() },
    });
    expect(after.signoffs.map(s => [s.phase, s.groupRef, s.state])).toEqual([
      ['discovery', SECURITY, 'pending'],
      ['discovery', DATA, 'pending'],
      ['discovery', FINANCE, 'pending'],
    ]);
    expect(after.signoffs.some(s => s.decidedBy || s.comment)).toBe(false);
    // What the initiative is stays: its criteria, pioneer team and cohorts.
    expect(after.criteria).toEqual(before.criteria);
    expect(after.pioneerTeamRef).toBe(PIONEER);
    expect(after.cohorts).toEqual(before.cohorts);

    // Iteration 2 blocks on its own, fresh criteria and sign-offs.
    expect(blockedBy(initiative).map(b => b.id)).toEqual([
      'discovery.technical-outcomes',
      'discovery.golden-paths',
      'discovery.project-management',
      'discovery.production-out-of-scope',
      'discovery.stakeholders-engaged',
      SECURITY,
      DATA,
      FINANCE,
    ]);
    initiative.advance(1);
    expect(initiative.record).toMatchObject({
      phase: 'integration',
      iteration: 2,
    });
  });

  it('from adoption, "discovery" means the next iteration unless direction says back', () => {
    const initiative = inPhase('adoption');
    const criterion = titleOf(initiative.record, 'adoption');
    initiative.apply({
      type: 'criterion-set',
      id: criterion.id,
      state: 'open',
    });
    // Even with a reason, an open criterion blocks: it is an advance.
    expect(
      refusal(() =>
        decideTransition(
          initiative.record,
          'discovery',
          'Back to the drawing board',
          initiative.blockers(),
        ),
      ),
    ).toBeInstanceOf(PhaseBlockedError);
    // Said explicitly, it steps back to Discovery of the same iteration.
    expect(
      decideTransition(
        initiative.record,
        'discovery',
        'Back to the drawing board',
        initiative.blockers(),
        'back',
      ),
    ).toEqual({ type: 'stepped-back', from: 'adoption', to: 'discovery' });
    // And an advance that is not to the next phase is refused.
    expect(
      refusal(() =>
        decideTransition(
          initiative.record,
          'integration',
          undefined,
          [],
          'advance',
        ),
      ),
    ).toBeInstanceOf(ConflictError);
  });

  it('names every blocker of a fresh initiative, measured ones with what was measured', () => {
    const initiative = Initiative.start();
    expect(blockedBy(initiative, NOTHING_MEASURED)).toEqual([
      {
        kind: 'criterion',
        id: 'discovery.technical-outcomes',
        title: '"Technical outcomes agreed" is open',
      },
      {
        kind: 'criterion',
        id: 'discovery.golden-paths',
        title: '"Golden paths chosen" is open',
      },
      {
        kind: 'criterion',
        id: 'discovery.pioneer-selected',
        title: '"Pioneer team selected" is not met: No pioneer team yet',
      },
      {
        kind: 'criterion',
        id: 'discovery.project-management',
        title: '"Project management aligned" is open',
      },
      {
        kind: 'criterion',
        id: 'discovery.production-out-of-scope',
        title:
          '"Production environments confirmed out of scope for the MVP" is open',
      },
      {
        kind: 'criterion',
        id: 'discovery.stakeholders-engaged',
        title: '"Stakeholders engaged" is open',
      },
      {
        kind: 'signoff',
        id: SECURITY,
        title: `${SECURITY} has not signed off`,
      },
      { kind: 'signoff', id: DATA, title: `${DATA} has not signed off` },
      { kind: 'signoff', id: FINANCE, title: `${FINANCE} has not signed off` },
    ]);
  });

  it.each([
    [
      'deployment',
      'pioneer-adopted',
      /Pioneer team adopted it.*has not adopted it yet/,
    ],
    [
      'adoption',
      'first-cohort-onboarded',
      /First cohort onboarded.*0 of 3 teams adopted \(needs 80%\)/,
    ],
  ] as const)(
    'refuses to leave %s while its measured criterion %s is unmet',
    (phase, id, title) => {
      const initiative = inPhase(phase);
      const blockers = blockedBy(initiative, {
        ...NOTHING_MEASURED,
        adoptedTeams: new Set(),
      });
      expect(blockers).toEqual([
        {
          kind: 'criterion',
          id: `${phase}.${id}`,
          title: expect.stringMatching(title),
        },
      ]);
    },
  );

  describe('stepping back', () => {
    it('resets the sign-offs of the phase returned to and later ones, and keeps earlier ones and ticks', () => {
      const initiative = Initiative.ready();
      initiative.run(r =>
        decideRequestSignoff(r, 'integration', 'group:default/ops'),
      );
      initiative.run(r =>
        decideRequestSignoff(r, 'deployment', 'group:default/qa'),
      );
      initiative.run(r =>
        decideRequestSignoff(r, 'adoption', 'group:default/comms'),
      );
      initiative.advance(2).clear();
      // Sign the adoption one early: sign-offs of any phase may be given.
      initiative.apply({
        type: 'signoff-decided',
        phase: 'adoption',
        groupRef: 'group:default/comms',
        decision: 'approved',
      });
      expect(initiative.record.phase).toBe('deployment');
      expect(
        initiative.record.signoffs.every(s => s.state === 'approved'),
      ).toBe(true);
      const marks = initiative.record.marks;

      initiative
        .later(DAY_MS)
        .run(r => decideTransition(r, 'integration', 'Missing a queue', []), {
          reason: 'Missing a queue',
        });
      const after = initiative.record;
      expect(after.marks).toEqual(marks);
      expect(after.signoffs.map(s => [s.phase, s.groupRef, s.state])).toEqual([
        ['discovery', SECURITY, 'approved'],
        ['discovery', DATA, 'approved'],
        ['discovery', FINANCE, 'approved'],
        ['integration', 'group:default/ops', 'pending'],
        ['deployment', 'group:default/qa', 'pending'],
        ['adoption', 'group:default/comms', 'pending'],
      ]);
      // A requested sign-off stays requested by whom it was.
      expect(after.signoffs[3]).toMatchObject({
        origin: 'requested',
        requestedBy: 'user:default/ada',
      });
      expect(after.signoffs[3].decidedBy).toBeUndefined();

      // Ticks stayed, so only the reset sign-off blocks leaving integration.
      expect(blockedBy(initiative).map(b => b.id)).toEqual([
        'group:default/ops',
      ]);
    });
  });
});
