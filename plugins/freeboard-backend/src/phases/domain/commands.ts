import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  MVP_PHASES,
  MvpPhase,
  PhaseBlocker,
  PhasesConfig,
} from '@freeboard/backstage-plugin-common';
import {
  CohortDefinition,
  CriterionDefinition,
  PhaseEventData,
} from './events';
import { InitiativeRecord, nextPhase, phaseIndex } from './record';

/*
 * Commands decide, from an initiative's record and a validated request, which
 * events to append; they throw instead when the state does not allow it.
 * They are pure: the store runs them inside the transaction that appends,
 * against the record it has just locked.
 */

/** Leaving a phase is blocked; the 409 names each blocker. */
export class PhaseBlockedError extends ConflictError {
  constructor(readonly blockers: PhaseBlocker[]) {
    super(
      `The initiative cannot advance: ${blockers.map(b => b.title).join('; ')}`,
    );
    this.name = 'ConflictError';
  }
}

/** Most criteria a phase may hold, most cohorts, most teams per cohort. */
export const PHASE_LIMITS = {
  criteriaPerPhase: 50,
  cohorts: 20,
  teamsPerCohort: 200,
  signoffsPerPhase: 20,
} as const;

export function decideStart(config: PhasesConfig): PhaseEventData {
  const criteria: CriterionDefinition[] = [];
  for (const phase of MVP_PHASES) {
    for (const t of config.templates[phase]) {
      criteria.push({
        id: `${phase}.${t.id}`,
        phase,
        title: t.title,
        ...(t.description ? { description: t.description } : {}),
        source: 'template',
        ...(t.measure ? { measure: t.measure } : {}),
      });
    }
  }
  const signoffs = MVP_PHASES.flatMap(phase =>
    config.signoffs[phase].map(groupRef => ({ phase, groupRef })),
  );
  return { type: 'started', criteria, signoffs };
}

/**
 * Advance to the next phase (only when nothing blocks), or step back to an
 * earlier phase of the same iteration (a reason required).
 */
export function decideTransition(
  record: InitiativeRecord,
  to: MvpPhase,
  reason: string | undefined,
  blockers: PhaseBlocker[],
  direction?: 'advance' | 'back',
): PhaseEventData {
  const from = record.phase;
  // From Adoption, Discovery is both the next phase (a new iteration) and an
  // earlier one; `direction: 'back'` says which is meant.
  if (to === nextPhase(from) && direction !== 'back') {
    if (blockers.length > 0) throw new PhaseBlockedError(blockers);
    const iteration =
      from === MVP_PHASES[MVP_PHASES.length - 1]
        ? record.iteration + 1
        : record.iteration;
    return { type: 'advanced', from, to, iteration };
  }
  if (direction === 'advance') {
    throw new ConflictError(
      `to: from ${from} the initiative advances to ${nextPhase(
        from,
      )}, not ${to}`,
    );
  }
  if (phaseIndex(to) < phaseIndex(from)) {
    if (!reason) throw new InputError('reason: is required to step back');
    return { type: 'stepped-back', from, to };
  }
  if (to === from) {
    throw new ConflictError(`to: the initiative is already in ${to}`);
  }
  throw new ConflictError(
    `to: from ${from} the initiative can advance to ${nextPhase(
      from,
    )} or step back to an earlier phase, not move to ${to}`,
  );
}

export function decideAddCriterion(
  record: InitiativeRecord,
  input: { phase: MvpPhase; title: string; description?: string },
): PhaseEventData {
  const inPhase = record.criteria.filter(c => c.phase === input.phase);
  if (inPhase.length >= PHASE_LIMITS.criteriaPerPhase) {
    throw new InputError(
      `phase: ${input.phase} already has ${PHASE_LIMITS.criteriaPerPhase} criteria, the most it may have`,
    );
  }
  return {
    type: 'criterion-added',
    criterion: {
      // The version this event will get: unique within the initiative, and
      // the same when the events are replayed.
      id: `own-${record.version + 1}`,
      phase: input.phase,
      title: input.title,
      ...(input.description ? { description: input.description } : {}),
      source: 'own',
    },
  };
}

function findCriterion(record: InitiativeRecord, id: string) {
  const criterion = record.criteria.find(c => c.id === id);
  if (!criterion) {
    throw new NotFoundError(`No criterion ${id} on ${record.entityRef}`);
  }
  return criterion;
}

export function decideRemoveCriterion(
  record: InitiativeRecord,
  id: string,
): PhaseEventData {
  const criterion = findCriterion(record, id);
  if (criterion.source !== 'own') {
    throw new ConflictError(
      `id: "${criterion.title}" comes from the template; waive it instead of removing it`,
    );
  }
  return { type: 'criterion-removed', id };
}

export function decideSetCriterion(
  record: InitiativeRecord,
  id: string,
  input: {
    state: 'done' | 'open' | 'waived';
    reason?: string;
    waiverExpiresAt?: Date;
  },
  config: Pick<PhasesConfig, 'waiverDefaultDays' | 'waiverMaxDays'>,
  now: Date,
): PhaseEventData {
  const criterion = findCriterion(record, id);
  if (criterion.measure) {
    throw new ConflictError(
      `id: "${criterion.title}" is measured from the catalog; it cannot be ticked, unticked or waived by hand`,
    );
  }
  if (input.state !== 'waived') {
    if (input.waiverExpiresAt) {
      throw new InputError(
        'waiverExpiresAt: is only accepted with state waived',
      );
    }
    return { type: 'criterion-set', id, state: input.state };
  }
  if (!input.reason) throw new InputError('reason: is required to waive');
  const day = 86_400_000;
  const expires =
    input.waiverExpiresAt ??
    new Date(now.getTime() + config.waiverDefaultDays * day);
  if (expires.getTime() <= now.getTime()) {
    throw new InputError('waiverExpiresAt: must be in the future');
  }
  if (expires.getTime() > now.getTime() + config.waiverMaxDays * day) {
    throw new InputError(
      `waiverExpiresAt: must be at most ${config.waiverMaxDays} days ahead`,
    );
  }
  return {
    type: 'criterion-set',
    id,
    state: 'waived',
    waiverExpiresAt: expires.toISOString(),
  };
}

function findSignoff(
  record: InitiativeRecord,
  phase: MvpPhase,
  groupRef: string,
) {
  return record.signoffs.find(
    s => s.phase === phase && s.groupRef === groupRef,
  );
}

export function decideRequestSignoff(
  record: InitiativeRecord,
  phase: MvpPhase,
  groupRef: string,
): PhaseEventData {
  if (findSignoff(record, phase, groupRef)) {
    throw new ConflictError(
      `groupRef: ${groupRef} is already asked to sign off ${phase}`,
    );
  }
  if (
    record.signoffs.filter(s => s.phase === phase).length >=
    PHASE_LIMITS.signoffsPerPhase
  ) {
    throw new InputError(
      `phase: ${phase} already has ${PHASE_LIMITS.signoffsPerPhase} sign-offs, the most it may have`,
    );
  }
  return { type: 'signoff-requested', phase, groupRef };
}

export function decideSignoff(
  record: InitiativeRecord,
  input: {
    phase: MvpPhase;
    groupRef: string;
    decision: 'approve' | 'reject';
    comment?: string;
  },
): PhaseEventData {
  if (!findSignoff(record, input.phase, input.groupRef)) {
    throw new NotFoundError(
      `No sign-off of ${input.groupRef} is asked for on ${input.phase}`,
    );
  }
  return {
    type: 'signoff-decided',
    phase: input.phase,
    groupRef: input.groupRef,
    decision: input.decision === 'approve' ? 'approved' : 'rejected',
    ...(input.comment ? { comment: input.comment } : {}),
  };
}

export function decidePioneer(teamRef: string | null): PhaseEventData {
  return { type: 'pioneer-set', teamRef };
}

export function decideTarget(
  phase: MvpPhase,
  date: string | null,
): PhaseEventData {
  return { type: 'target-set', phase, date };
}

export function decideAddCohort(
  record: InitiativeRecord,
  input: Omit<CohortDefinition, 'id'>,
): PhaseEventData {
  if (record.cohorts.length >= PHASE_LIMITS.cohorts) {
    throw new InputError(
      `body: the initiative already has ${PHASE_LIMITS.cohorts} cohorts, the most it may have`,
    );
  }
  return {
    type: 'cohort-added',
    cohort: { id: `cohort-${record.version + 1}`, ...input },
  };
}

function findCohort(record: InitiativeRecord, id: string) {
  const cohort = record.cohorts.find(c => c.id === id);
  if (!cohort)
    throw new NotFoundError(`No cohort ${id} on ${record.entityRef}`);
  return cohort;
}

export function decideUpdateCohort(
  record: InitiativeRecord,
  id: string,
  input: Omit<CohortDefinition, 'id'>,
): PhaseEventData {
  findCohort(record, id);
  return { type: 'cohort-updated', cohort: { id, ...input } };
}

export function decideRemoveCohort(
  record: InitiativeRecord,
  id: string,
): PhaseEventData {
  findCohort(record, id);
  return { type: 'cohort-removed', id };
}
