import { MvpPhase, PhasesConfig } from '@freeboard/backstage-plugin-common';
import { DEFAULT_PHASE_SIGNOFFS, DEFAULT_PHASE_TEMPLATES } from '../../config';
import { decideStart, decideTransition } from '../../domain/commands';
import { Measurements, evaluate } from '../../domain/evaluate';
import { NewPhaseEvent, PhaseEvent, PhaseEventData } from '../../domain/events';
import { InitiativeRecord, applyEvent, nextPhase } from '../../domain/record';

/*
 * Fixtures shared by the phase domain and store tests: the default
 * configuration, a catalog's worth of refs, and a pure in-memory initiative
 * that applies decided events at a clock the test moves.
 */

export const ENTITY = 'component:default/ci-pipelines';
export const LEAD = 'user:default/ada';
export const SECURITY = 'group:default/security';
export const DATA = 'group:default/data-governance';
export const FINANCE = 'group:default/finance';
export const ARCHITECTS = 'group:default/architects';
export const PIONEER = 'group:default/payments';
export const TEAMS = [
  'group:default/checkout',
  'group:default/search',
  'group:default/mobile',
  'group:default/billing',
  'group:default/growth',
];
export const T0 = new Date('2026-11-21T12:00:00.000Z');
export const DAY_MS = 86_400_000;

export const CONFIG: PhasesConfig = {
  templates: DEFAULT_PHASE_TEMPLATES,
  signoffs: DEFAULT_PHASE_SIGNOFFS,
  waiverDefaultDays: 90,
  waiverMaxDays: 365,
};

/** Every measured criterion met (with the pioneer and cohort of `ready`). */
export const ALL_MET: Measurements = {
  adoptedTeams: new Set([PIONEER, ...TEAMS]),
  trustLevel: 'strong',
  decisionValid: true,
};

export const NOTHING_MEASURED: Measurements = {
  adoptedTeams: new Set(),
  decisionValid: false,
};

/**
 * Events that tick every open manual criterion of the current phase and
 * approve every sign-off of it: what leads and stakeholders do before
 * advancing.
 */
export function clearing(
  record: InitiativeRecord,
  occurredAt: string,
  actorRef = LEAD,
): NewPhaseEvent[] {
  const events: NewPhaseEvent[] = [];
  for (const c of record.criteria) {
    if (
      c.phase === record.phase &&
      !c.measure &&
      record.marks[c.id]?.state !== 'done'
    ) {
      events.push({
        occurredAt,
        actorRef,
        data: { type: 'criterion-set', id: c.id, state: 'done' },
      });
    }
  }
  for (const s of record.signoffs) {
    if (s.phase === record.phase && s.state !== 'approved') {
      events.push({
        occurredAt,
        actorRef,
        data: {
          type: 'signoff-decided',
          phase: s.phase,
          groupRef: s.groupRef,
          decision: 'approved',
        },
      });
    }
  }
  return events;
}

/** The transition event to `to`, decided as the service decides it. */
export function transition(
  record: InitiativeRecord,
  to: MvpPhase,
  options: {
    occurredAt: string;
    reason?: string;
    measurements?: Measurements;
  },
): NewPhaseEvent {
  const { blockers } = evaluate(
    record,
    options.measurements ?? ALL_MET,
    new Date(options.occurredAt),
  );
  return {
    occurredAt: options.occurredAt,
    actorRef: LEAD,
    ...(options.reason ? { reason: options.reason } : {}),
    data: decideTransition(record, to, options.reason, blockers),
  };
}

/** A pure initiative: events decided and folded in memory, at `now`. */
export class Initiative {
  readonly events: PhaseEvent[] = [];
  now: Date;
  private current: InitiativeRecord | undefined;

  private constructor(at: Date) {
    this.now = at;
  }

  /** Started with `config`, at `at`. */
  static start(config: PhasesConfig = CONFIG, at: Date = T0): Initiative {
    const initiative = new Initiative(at);
    initiative.apply(decideStart(config));
    return initiative;
  }

  /** Started, with a pioneer team and a first cohort, so measures can be met. */
  static ready(config: PhasesConfig = CONFIG): Initiative {
    const initiative = Initiative.start(config);
    initiative.apply({ type: 'pioneer-set', teamRef: PIONEER });
    initiative.apply({
      type: 'cohort-added',
      cohort: {
        id: 'cohort-3',
        name: 'Wave 1',
        targetDate: '2027-03-01',
        teamRefs: TEAMS.slice(0, 3),
      },
    });
    return initiative;
  }

  get record(): InitiativeRecord {
    if (!this.current) throw new Error('not started');
    return this.current;
  }

  /** Moves the clock on. */
  later(ms: number): this {
    this.now = new Date(this.now.getTime() + ms);
    return this;
  }

  apply(
    data: PhaseEventData,
    options: { reason?: string; actorRef?: string } = {},
  ): PhaseEvent {
    const event: PhaseEvent = {
      version: (this.current?.version ?? 0) + 1,
      occurredAt: this.now.toISOString(),
      actorRef: options.actorRef ?? LEAD,
      ...(options.reason ? { reason: options.reason } : {}),
      data,
    };
    this.current = applyEvent(this.current, event, ENTITY);
    this.events.push(event);
    return event;
  }

  /** Applies what `decide` returns for the current record (it may throw). */
  run(
    decide: (record: InitiativeRecord) => PhaseEventData,
    options: { reason?: string; actorRef?: string } = {},
  ): PhaseEvent {
    return this.apply(decide(this.record), options);
  }

  blockers(measurements: Measurements = ALL_MET) {
    return evaluate(this.record, measurements, this.now).blockers;
  }

  /** Ticks and approves everything the current phase needs. */
  clear(): this {
    for (const e of clearing(this.record, this.now.toISOString())) {
      this.apply(e.data);
    }
    return this;
  }

  /** Clears the current phase and advances, `times` times. */
  advance(times = 1, measurements: Measurements = ALL_MET): this {
    for (let i = 0; i < times; i++) {
      this.clear().later(60_000);
      const blockers = this.blockers(measurements);
      this.run(r =>
        decideTransition(r, nextPhase(r.phase), undefined, blockers),
      );
      this.later(60_000);
    }
    return this;
  }
}
