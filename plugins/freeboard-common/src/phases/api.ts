import { TrustLevel } from '../trust/types';
import {
  CriterionKind,
  CriterionMeasure,
  CriterionSource,
  CriterionState,
  MvpPhase,
} from './types';

/**
 * One exit criterion of a phase, with who settled it, when and why.
 *
 * @public
 */
export interface PhaseCriterion {
  /** `template:<id>` for template criteria; a generated id for own ones. */
  id: string;
  title: string;
  description?: string;
  kind: CriterionKind;
  source: CriterionSource;
  measure?: CriterionMeasure;
  state: CriterionState;
  /** For a measured criterion: what was measured, in words ("3 of 5 teams"). */
  measured?: string;
  /** Who last ticked, unticked or waived it, when, and why. */
  changedBy?: string;
  changedAt?: string;
  reason?: string;
  /** A waiver's expiry (ISO 8601). */
  waiverExpiresAt?: string;
}

/**
 * A stakeholder group's sign-off on a phase.
 *
 * @public
 */
export interface PhaseSignoff {
  groupRef: string;
  state: 'pending' | 'approved' | 'rejected';
  /** `config` when every initiative needs it; `requested` when a lead asked. */
  origin: 'config' | 'requested';
  requestedBy?: string;
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
}

/**
 * One phase of the current iteration.
 *
 * @public
 */
export interface InitiativePhaseState {
  id: MvpPhase;
  status: 'done' | 'current' | 'upcoming';
  enteredAt?: string;
  exitedAt?: string;
  /** Target date (`YYYY-MM-DD`). */
  targetDate?: string;
  criteria: PhaseCriterion[];
  signoffs: PhaseSignoff[];
}

/**
 * What stops the initiative leaving its current phase.
 *
 * @public
 */
export interface PhaseBlocker {
  kind: 'criterion' | 'signoff';
  /** The criterion id or the group ref. */
  id: string;
  /** In words: "Golden paths chosen is open", "group:default/security has not signed off". */
  title: string;
}

/**
 * How one team stands with the entity, measured from the catalog.
 *
 * @public
 */
export interface TeamAdoption {
  teamRef: string;
  state: 'adopted' | 'not-yet' | 'lost';
  /** When the daily snapshot first saw it adopted (ISO 8601). */
  adoptedSince?: string;
  /** When the snapshot saw the adoption disappear. */
  lostAt?: string;
  /** The team's components that depend on or consume the entity, now. */
  via: string[];
}

/**
 * An adoption wave: teams onboarded together, by a target date.
 *
 * @public
 */
export interface AdoptionCohort {
  id: string;
  name: string;
  /** `YYYY-MM-DD`. */
  targetDate: string;
  /** 1-based position among the cohorts. */
  order: number;
  teamRefs: string[];
  adopted: number;
  total: number;
}

/**
 * Adoption measured from the catalog: every team with a component on the
 * entity, and the teams of the cohorts.
 *
 * @public
 */
export interface InitiativeAdoption {
  /** Cohort teams and other adopting teams, as far as the caller can see. */
  teams: TeamAdoption[];
  adoptedTeams: number;
  cohortTeams: number;
  cohortTeamsAdopted: number;
  /** Adopted teams per day from the daily snapshots, oldest first. */
  curve: Array<{ day: string; adopted: number }>;
}

/**
 * An initiative's state, as `GET /phases/entities/:kind/:namespace/:name`
 * answers it.
 *
 * @public
 */
export interface InitiativeState {
  entityRef: string;
  started: boolean;
  iteration: number;
  phase: MvpPhase;
  /** Increases by one with every change; send it back as `expectedVersion`. */
  version: number;
  startedAt?: string;
  pioneerTeamRef?: string;
  /** The phases of the current iteration, in order. */
  phases: InitiativePhaseState[];
  /** What blocks advancing now; empty when the initiative may advance. */
  blockers: PhaseBlocker[];
  cohorts: AdoptionCohort[];
  adoption: InitiativeAdoption;
  /** The entity's trust level, used by `trust-level` criteria. */
  trustLevel?: TrustLevel;
  /** Set when the state was rebuilt as of a past time. */
  asOf?: string;
}

/**
 * Request to move an initiative: to the next phase, or back (with a reason).
 *
 * @public
 */
export interface PhaseTransitionRequest {
  to: MvpPhase;
  expectedVersion: number;
  reason?: string;
  /**
   * Inferred when left out. From Adoption, `to: 'discovery'` advances to the
   * next iteration unless `direction` is `'back'`.
   */
  direction?: 'advance' | 'back';
}

/**
 * Request to tick, untick or waive a criterion.
 *
 * @public
 */
export interface SetCriterionRequest {
  state: 'done' | 'open' | 'waived';
  reason?: string;
  /** ISO 8601 date or timestamp; defaults to the configured waiver length. */
  waiverExpiresAt?: string;
  expectedVersion?: number;
}

/**
 * Request to add one of the entity's own criteria.
 *
 * @public
 */
export interface AddCriterionRequest {
  phase: MvpPhase;
  title: string;
  description?: string;
  expectedVersion?: number;
}

/**
 * Request a sign-off, or decide one.
 *
 * @public
 */
export interface SignoffRequest {
  phase: MvpPhase;
  groupRef: string;
  expectedVersion?: number;
}

/**
 * A group member's decision on a sign-off.
 *
 * @public
 */
export interface SignoffDecisionRequest extends SignoffRequest {
  decision: 'approve' | 'reject';
  comment?: string;
}

/**
 * An adoption cohort as written.
 *
 * @public
 */
export interface CohortRequest {
  name: string;
  targetDate: string;
  teamRefs: string[];
  expectedVersion?: number;
}

/**
 * One event of an initiative's history.
 *
 * @public
 */
export interface PhaseHistoryEvent {
  /** The initiative's version this event produced. */
  version: number;
  type: string;
  occurredAt: string;
  actorRef: string;
  reason?: string;
  /** The change in words. */
  summary: string;
  data: Record<string, unknown>;
}

/**
 * A page of history, newest first.
 *
 * @public
 */
export interface PhaseHistoryPage {
  items: PhaseHistoryEvent[];
  nextCursor?: string;
}

/**
 * What a write answers: the event(s) it appended and the new state.
 *
 * @public
 */
export interface PhaseWriteResult {
  state: InitiativeState;
}
