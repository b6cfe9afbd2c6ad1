import {
  CriterionMeasure,
  InitiativePhaseState,
  MVP_PHASES,
  MvpPhase,
  PhaseBlocker,
  PhaseCriterion,
  PhaseSignoff,
  TrustLevel,
} from '@freeboard/backstage-plugin-common';
import { CohortDefinition, CriterionDefinition } from './events';
import { InitiativeRecord, phaseIndex } from './record';

/** What measured criteria are measured against, at one moment. */
export interface Measurements {
  /** Teams (group refs) that have adopted the entity. */
  adoptedTeams: ReadonlySet<string>;
  /** The entity's trust level; undefined when it has no ledger. */
  trustLevel?: TrustLevel;
  /** Whether the entity carries a valid float-or-sink decision. */
  decisionValid: boolean;
}

const TRUST_ORDER: TrustLevel[] = ['overdrawn', 'thin', 'healthy', 'strong'];

/** Whether a measured criterion holds, and what was measured, in words. */
export function measure(
  criterion: CriterionMeasure,
  context: {
    pioneerTeamRef?: string;
    cohorts: CohortDefinition[];
    measurements: Measurements;
  },
): { met: boolean; measured: string } {
  const { pioneerTeamRef, cohorts, measurements } = context;
  switch (criterion.type) {
    case 'pioneer-selected':
      return pioneerTeamRef
        ? { met: true, measured: `Pioneer team: ${pioneerTeamRef}` }
        : { met: false, measured: 'No pioneer team yet' };
    case 'pioneer-adopted':
      if (!pioneerTeamRef) {
        return { met: false, measured: 'No pioneer team yet' };
      }
      return measurements.adoptedTeams.has(pioneerTeamRef)
        ? { met: true, measured: `${pioneerTeamRef} has adopted it` }
        : { met: false, measured: `${pioneerTeamRef} has not adopted it yet` };
    case 'cohort-adopted': {
      const cohort = cohorts[criterion.cohort - 1];
      if (!cohort) {
        return { met: false, measured: `No cohort ${criterion.cohort} yet` };
      }
      const adopted = cohort.teamRefs.filter(t =>
        measurements.adoptedTeams.has(t),
      ).length;
      const total = cohort.teamRefs.length;
      const met = total > 0 && adopted * 100 >= criterion.percent * total;
      return {
        met,
        measured: `${cohort.name}: ${adopted} of ${total} teams adopted (needs ${criterion.percent}%)`,
      };
    }
    case 'trust-level': {
      const level = measurements.trustLevel;
      if (!level) return { met: false, measured: 'No trust ledger yet' };
      const met =
        TRUST_ORDER.indexOf(level) >= TRUST_ORDER.indexOf(criterion.level);
      return {
        met,
        measured: `Trust is ${level} (needs ${criterion.level} or better)`,
      };
    }
    case 'float-or-sink-decided':
      return measurements.decisionValid
        ? { met: true, measured: 'A float-or-sink decision is recorded' }
        : { met: false, measured: 'No valid float-or-sink decision' };
    default: {
      const unknown: never = criterion;
      throw new Error(`Unknown measure ${JSON.stringify(unknown)}`);
    }
  }
}

function evaluateCriterion(
  definition: CriterionDefinition,
  record: InitiativeRecord,
  measurements: Measurements,
  now: Date,
): PhaseCriterion {
  const base: PhaseCriterion = {
    id: definition.id,
    title: definition.title,
    ...(definition.description ? { description: definition.description } : {}),
    kind: definition.measure ? 'measured' : 'manual',
    source: definition.source,
    ...(definition.measure ? { measure: definition.measure } : {}),
    state: 'open',
  };
  if (definition.measure) {
    const result = measure(definition.measure, {
      pioneerTeamRef: record.pioneerTeamRef,
      cohorts: record.cohorts,
      measurements,
    });
    return {
      ...base,
      state: result.met ? 'done' : 'open',
      measured: result.measured,
    };
  }
  const mark = record.marks[definition.id];
  if (!mark) return base;
  const expired =
    mark.state === 'waived' &&
    mark.waiverExpiresAt !== undefined &&
    Date.parse(mark.waiverExpiresAt) <= now.getTime();
  return {
    ...base,
    state: expired ? 'expired' : mark.state,
    changedBy: mark.by,
    changedAt: mark.at,
    ...(mark.reason ? { reason: mark.reason } : {}),
    ...(mark.waiverExpiresAt ? { waiverExpiresAt: mark.waiverExpiresAt } : {}),
  };
}

function phaseStatus(
  index: number,
  current: number,
): InitiativePhaseState['status'] {
  if (index < current) return 'done';
  return index === current ? 'current' : 'upcoming';
}

/**
 * The phases of the current iteration with their criteria and sign-offs
 * evaluated at `now`, and what blocks leaving the current phase.
 */
export function evaluate(
  record: InitiativeRecord,
  measurements: Measurements,
  now: Date,
): { phases: InitiativePhaseState[]; blockers: PhaseBlocker[] } {
  const current = phaseIndex(record.phase);
  const phases = MVP_PHASES.map((id, index): InitiativePhaseState => {
    const dates = record.dates[id] ?? {};
    const signoffs = record.signoffs
      .filter(s => s.phase === id)
      .map(
        (s): PhaseSignoff => ({
          groupRef: s.groupRef,
          state: s.state,
          origin: s.origin,
          ...(s.requestedBy ? { requestedBy: s.requestedBy } : {}),
          ...(s.decidedBy ? { decidedBy: s.decidedBy } : {}),
          ...(s.decidedAt ? { decidedAt: s.decidedAt } : {}),
          ...(s.comment ? { comment: s.comment } : {}),
        }),
      );
    return {
      id,
      status: phaseStatus(index, current),
      ...(dates.enteredAt ? { enteredAt: dates.enteredAt } : {}),
      ...(dates.exitedAt ? { exitedAt: dates.exitedAt } : {}),
      ...(record.targets[id] ? { targetDate: record.targets[id] } : {}),
      criteria: record.criteria
        .filter(c => c.phase === id)
        .map(c => evaluateCriterion(c, record, measurements, now)),
      signoffs,
    };
  });
  return { phases, blockers: blockersOf(phases[current]) };
}

/** What blocks leaving `phase`, each named. */
export function blockersOf(phase: InitiativePhaseState): PhaseBlocker[] {
  const blockers: PhaseBlocker[] = [];
  for (const c of phase.criteria) {
    if (c.state === 'open') {
      blockers.push({
        kind: 'criterion',
        id: c.id,
        title:
          c.kind === 'measured'
            ? `"${c.title}" is not met: ${c.measured}`
            : `"${c.title}" is open`,
      });
    } else if (c.state === 'expired') {
      blockers.push({
        kind: 'criterion',
        id: c.id,
        title: `The waiver of "${
          c.title
        }" expired on ${c.waiverExpiresAt?.slice(0, 10)}`,
      });
    }
  }
  for (const s of phase.signoffs) {
    if (s.state !== 'approved') {
      blockers.push({
        kind: 'signoff',
        id: s.groupRef,
        title:
          s.state === 'rejected'
            ? `${s.groupRef} rejected the sign-off`
            : `${s.groupRef} has not signed off`,
      });
    }
  }
  return blockers;
}

/** Phases for an initiative that has not started: the template criteria, all open. */
export function notStartedPhases(
  criteria: CriterionDefinition[],
  signoffs: Array<{ phase: MvpPhase; groupRef: string }>,
  measurements: Measurements,
  now: Date,
): InitiativePhaseState[] {
  const draft: InitiativeRecord = {
    entityRef: '',
    version: 0,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    iteration: 1,
    phase: 'discovery',
    criteria,
    marks: {},
    signoffs: signoffs.map(s => ({ ...s, origin: 'config', state: 'pending' })),
    dates: {},
    targets: {},
    cohorts: [],
  };
  return evaluate(draft, measurements, now).phases.map(p => ({
    ...p,
    status: 'upcoming',
  }));
}
