import { CriterionMeasure, MvpPhase } from '@freeboard/backstage-plugin-common';

/** A criterion as the initiative holds it (template criteria copied at start). */
export interface CriterionDefinition {
  /** `<phase>.<template id>` for template criteria, `own-<version>` for own ones. */
  id: string;
  phase: MvpPhase;
  title: string;
  description?: string;
  source: 'template' | 'own';
  measure?: CriterionMeasure;
}

/** An adoption wave as written. */
export interface CohortDefinition {
  id: string;
  name: string;
  /** `YYYY-MM-DD`. */
  targetDate: string;
  teamRefs: string[];
}

/**
 * What changed, one event each. Events are append-only; an initiative's state
 * is the fold of its events (`applyEvent`), so history and time travel come
 * from the same facts as the current state.
 */
export type PhaseEventData =
  | {
      type: 'started';
      /** The template criteria and configured sign-offs, copied at start. */
      criteria: CriterionDefinition[];
      signoffs: Array<{ phase: MvpPhase; groupRef: string }>;
    }
  | { type: 'advanced'; from: MvpPhase; to: MvpPhase; iteration: number }
  | { type: 'stepped-back'; from: MvpPhase; to: MvpPhase }
  | { type: 'criterion-added'; criterion: CriterionDefinition }
  | { type: 'criterion-removed'; id: string }
  | {
      type: 'criterion-set';
      id: string;
      state: 'done' | 'open' | 'waived';
      /** ISO 8601; waivers only. */
      waiverExpiresAt?: string;
    }
  | { type: 'signoff-requested'; phase: MvpPhase; groupRef: string }
  | {
      type: 'signoff-decided';
      phase: MvpPhase;
      groupRef: string;
      decision: 'approved' | 'rejected';
      comment?: string;
    }
  | { type: 'pioneer-set'; teamRef: string | null }
  | { type: 'target-set'; phase: MvpPhase; date: string | null }
  | { type: 'cohort-added'; cohort: CohortDefinition }
  | { type: 'cohort-updated'; cohort: CohortDefinition }
  | { type: 'cohort-removed'; id: string };

/** The type of an event. */
export type PhaseEventType = PhaseEventData['type'];

/** An event as stored: what changed, who changed it, when and why. */
export interface PhaseEvent {
  /** The initiative's version after this event: 1 for `started`, then +1. */
  version: number;
  /** ISO 8601. */
  occurredAt: string;
  actorRef: string;
  reason?: string;
  data: PhaseEventData;
}

/** An event about to be appended; the store assigns its version. */
export type NewPhaseEvent = Omit<PhaseEvent, 'version'>;
