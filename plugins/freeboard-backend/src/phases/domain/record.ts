import { MVP_PHASES, MvpPhase } from '@freeboard/backstage-plugin-common';
import {
  CohortDefinition,
  CriterionDefinition,
  PhaseEvent,
  PhaseEventData,
} from './events';

/** Who last ticked, unticked or waived a criterion, and how. */
export interface CriterionMark {
  state: 'done' | 'open' | 'waived';
  by: string;
  at: string;
  reason?: string;
  waiverExpiresAt?: string;
}

/** A sign-off of the current iteration. */
export interface SignoffRecord {
  phase: MvpPhase;
  groupRef: string;
  origin: 'config' | 'requested';
  requestedBy?: string;
  state: 'pending' | 'approved' | 'rejected';
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
}

/** When the current iteration entered and left a phase. */
export interface PhaseDates {
  enteredAt?: string;
  exitedAt?: string;
}

/**
 * An initiative's projection: the fold of its events. The store keeps it
 * beside the events so a read is one row; `replay` rebuilds it.
 */
export interface InitiativeRecord {
  entityRef: string;
  version: number;
  startedAt: string;
  updatedAt: string;
  iteration: number;
  phase: MvpPhase;
  pioneerTeamRef?: string;
  /** Every phase's criteria, in the order they were added. */
  criteria: CriterionDefinition[];
  /** Marks of the current iteration, by criterion id. */
  marks: Record<string, CriterionMark>;
  signoffs: SignoffRecord[];
  dates: Partial<Record<MvpPhase, PhaseDates>>;
  /** Target dates of the current iteration (`YYYY-MM-DD`). */
  targets: Partial<Record<MvpPhase, string>>;
  cohorts: CohortDefinition[];
}

export function phaseIndex(phase: MvpPhase): number {
  return MVP_PHASES.indexOf(phase);
}

/** The phase after `phase`; after the last, the first (a new iteration). */
export function nextPhase(phase: MvpPhase): MvpPhase {
  return MVP_PHASES[(phaseIndex(phase) + 1) % MVP_PHASES.length];
}

function resetSignoff(signoff: SignoffRecord): SignoffRecord {
  return {
    phase: signoff.phase,
    groupRef: signoff.groupRef,
    origin: signoff.origin,
    requestedBy: signoff.requestedBy,
    state: 'pending',
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/**
 * Applies one event to a record (undefined before `started`). Pure: the same
 * events always fold into the same record. Events were checked when they
 * were decided (`commands.ts`); an event that does not fit is a bug.
 */
export function applyEvent(
  record: InitiativeRecord | undefined,
  event: PhaseEvent,
  entityRef: string,
): InitiativeRecord {
  const data: PhaseEventData = event.data;
  const at = event.occurredAt;
  if (data.type === 'started') {
    if (record) throw new Error(`${entityRef} was started twice`);
    return {
      entityRef,
      version: event.version,
      startedAt: at,
      updatedAt: at,
      iteration: 1,
      phase: 'discovery',
      criteria: data.criteria,
      marks: {},
      signoffs: data.signoffs.map(s => ({
        phase: s.phase,
        groupRef: s.groupRef,
        origin: 'config',
        state: 'pending',
      })),
      dates: { discovery: { enteredAt: at } },
      targets: {},
      cohorts: [],
    };
  }
  if (!record) throw new Error(`${entityRef} has an event before its start`);
  const next: InitiativeRecord = {
    ...record,
    version: event.version,
    updatedAt: at,
  };
  switch (data.type) {
    case 'advanced': {
      if (data.iteration !== record.iteration) {
        // Leaving Adoption: a new iteration starts at Discovery, afresh.
        next.iteration = data.iteration;
        next.phase = data.to;
        next.marks = {};
        next.signoffs = record.signoffs.map(resetSignoff);
        next.dates = { [data.to]: { enteredAt: at } };
        next.targets = {};
        return next;
      }
      next.phase = data.to;
      next.dates = {
        ...record.dates,
        [data.from]: { ...record.dates[data.from], exitedAt: at },
        [data.to]: { enteredAt: at },
      };
      return next;
    }
    case 'stepped-back': {
      const to = phaseIndex(data.to);
      next.phase = data.to;
      // The phase returned to and every later one are entered afresh: their
      // sign-offs must be given again; ticks stay.
      next.signoffs = record.signoffs.map(s =>
        phaseIndex(s.phase) >= to ? resetSignoff(s) : s,
      );
      const dates: Partial<Record<MvpPhase, PhaseDates>> = {};
      for (const [phase, value] of Object.entries(record.dates)) {
        if (phaseIndex(phase as MvpPhase) < to) {
          dates[phase as MvpPhase] = value;
        }
      }
      dates[data.to] = { enteredAt: at };
      next.dates = dates;
      return next;
    }
    case 'criterion-added':
      next.criteria = [...record.criteria, data.criterion];
      return next;
    case 'criterion-removed': {
      next.criteria = record.criteria.filter(c => c.id !== data.id);
      const { [data.id]: _removed, ...marks } = record.marks;
      next.marks = marks;
      return next;
    }
    case 'criterion-set':
      next.marks = {
        ...record.marks,
        [data.id]: withoutUndefined({
          state: data.state,
          by: event.actorRef,
          at,
          reason: event.reason,
          waiverExpiresAt:
            data.state === 'waived' ? data.waiverExpiresAt : undefined,
        }),
      };
      return next;
    case 'signoff-requested':
      next.signoffs = [
        ...record.signoffs,
        {
          phase: data.phase,
          groupRef: data.groupRef,
          origin: 'requested',
          requestedBy: event.actorRef,
          state: 'pending',
        },
      ];
      return next;
    case 'signoff-decided':
      next.signoffs = record.signoffs.map(s =>
        s.phase === data.phase && s.groupRef === data.groupRef
          ? withoutUndefined({
              ...resetSignoff(s),
              state: data.decision,
              decidedBy: event.actorRef,
              decidedAt: at,
              comment: data.comment,
            })
          : s,
      );
      return next;
    case 'pioneer-set':
      next.pioneerTeamRef = data.teamRef ?? undefined;
      if (!next.pioneerTeamRef) delete next.pioneerTeamRef;
      return next;
    case 'target-set': {
      const targets = { ...record.targets };
      if (data.date) targets[data.phase] = data.date;
      else delete targets[data.phase];
      next.targets = targets;
      return next;
    }
    case 'cohort-added':
      next.cohorts = [...record.cohorts, data.cohort];
      return next;
    case 'cohort-updated':
      next.cohorts = record.cohorts.map(c =>
        c.id === data.cohort.id ? data.cohort : c,
      );
      return next;
    case 'cohort-removed':
      next.cohorts = record.cohorts.filter(c => c.id !== data.id);
      return next;
    default: {
      const unknown: never = data;
      throw new Error(`Unknown phase event ${JSON.stringify(unknown)}`);
    }
  }
}

/** Folds events (oldest first) into the record they make; undefined if none. */
export function replay(
  entityRef: string,
  events: PhaseEvent[],
): InitiativeRecord | undefined {
  let record: InitiativeRecord | undefined;
  for (const event of events) record = applyEvent(record, event, entityRef);
  return record;
}
