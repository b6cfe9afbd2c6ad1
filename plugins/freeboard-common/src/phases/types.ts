import { TrustLevel } from '../trust/types';

/**
 * The phases of an MVP initiative, in order. Leaving the last completes an
 * iteration and starts the next one at the first.
 *
 * @public
 */
export const MVP_PHASES = [
  'discovery',
  'integration',
  'deployment',
  'adoption',
] as const;

/**
 * One phase of an MVP initiative.
 *
 * @public
 */
export type MvpPhase = (typeof MVP_PHASES)[number];

/**
 * How a criterion is settled: ticked by a lead, or measured from data.
 *
 * @public
 */
export type CriterionKind = 'manual' | 'measured';

/**
 * Where a criterion comes from: the configured template or the entity's own.
 *
 * @public
 */
export type CriterionSource = 'template' | 'own';

/**
 * A criterion's state. `expired` is a waiver past its expiry: it blocks again.
 *
 * @public
 */
export type CriterionState = 'open' | 'done' | 'waived' | 'expired';

/**
 * What a measured criterion measures.
 *
 * - `pioneer-selected`: the initiative has a pioneer team.
 * - `pioneer-adopted`: the pioneer team has adopted the entity.
 * - `cohort-adopted`: at least `percent` % of the teams of cohort number
 *   `cohort` (1-based, in order) have adopted it.
 * - `trust-level`: the entity's trust level is at least `level`.
 * - `float-or-sink-decided`: the entity carries a valid decision annotation.
 *
 * @public
 */
export type CriterionMeasure =
  | { type: 'pioneer-selected' }
  | { type: 'pioneer-adopted' }
  | { type: 'cohort-adopted'; cohort: number; percent: number }
  | { type: 'trust-level'; level: TrustLevel }
  | { type: 'float-or-sink-decided' };

/**
 * One criterion of a phase template, as configured in
 * `freeboard.phases.templates`.
 *
 * @public
 */
export interface PhaseCriterionTemplate {
  /** Stable id within its phase: letters, digits and dashes. */
  id: string;
  title: string;
  description?: string;
  /** Present on measured criteria, which cannot be ticked by hand. */
  measure?: CriterionMeasure;
}

/**
 * The phases' configuration, as `GET /phases/config` answers it.
 *
 * @public
 */
export interface PhasesConfig {
  /** Template criteria per phase. */
  templates: Record<MvpPhase, PhaseCriterionTemplate[]>;
  /** Group refs whose sign-off every initiative needs, per phase. */
  signoffs: Record<MvpPhase, string[]>;
  /** Days a waiver lasts when no expiry is given. */
  waiverDefaultDays: number;
  /** The longest a waiver may last, in days. */
  waiverMaxDays: number;
}
