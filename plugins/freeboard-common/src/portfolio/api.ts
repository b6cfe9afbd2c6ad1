import { FloatOrSinkDecision } from '../floatOrSink';
import { MvpPhase } from '../phases/types';
import { TrustLevel } from '../trust/types';

/**
 * How a capability counts in the platform's thickness: `kept` duplicates a
 * base capability and stays (sink with a base capability), `floating` is
 * being retired in favour of the base, `unique` is kept and duplicates
 * nothing (sink without a base capability).
 *
 * @public
 */
export type ThicknessCategory = 'unique' | 'kept' | 'floating';

/**
 * The review of a float-or-sink decision: due on its `review-by` date and
 * overdue from the day after until the date moves.
 *
 * @public
 */
export interface DecisionReview {
  /** `YYYY-MM-DD` */
  reviewBy: string;
  /** Days until the review is due; negative once it has passed. */
  dueInDays: number;
  /** Days past the review date; set only when overdue (at least 1). */
  overdueDays?: number;
}

/**
 * A capability's decision as the portfolio and the decision view show it.
 *
 * @public
 */
export interface CapabilityDecision extends FloatOrSinkDecision {
  review?: DecisionReview;
}

/**
 * One row of the portfolio table: a platform capability.
 *
 * @public
 */
export interface PortfolioRow {
  entityRef: string;
  /** `metadata.title`, else `metadata.name`. */
  title: string;
  ownerRef?: string;
  systemRef?: string;
  trust: {
    balance: number;
    level: TrustLevel;
    entryCount: number;
    /** Balances at the end of each of the last 8 weeks, oldest first, today last. */
    trend: number[];
  };
  phase?: {
    phase: MvpPhase;
    /** Exit criteria of the current phase done or waived. */
    criteriaDone: number;
    criteriaTotal: number;
  };
  decision?: CapabilityDecision;
  /** Set when the decision annotations are invalid: the processor's messages. */
  decisionProblems?: string[];
  /** Teams with a component depending on the capability or consuming its APIs. */
  consumerTeams: number;
  /** Teams the adoption snapshots see adopting the initiative now (0 before any adopts); absent when the capability is no initiative. */
  adoptedTeams?: number;
}

/**
 * The sort keys of the portfolio. `attention` (the default) lists overdue
 * reviews first, most overdue first, then the lowest balances.
 *
 * @public
 */
export type PortfolioSort = (typeof PORTFOLIO_SORTS)[number];

/**
 * The sort keys of the portfolio, in the order a user is offered them.
 *
 * @public
 */
export const PORTFOLIO_SORTS = [
  'attention',
  'title',
  'owner',
  'balance',
  'phase',
  'reviewBy',
  'consumers',
  'adoption',
] as const;

/**
 * Filters of the portfolio table, the CSV export and the totals.
 *
 * @public
 */
export interface PortfolioFilters {
  /** A group ref: capabilities it or any of its descendant groups own. */
  owner?: string;
  /** A system ref. */
  system?: string;
  /** `none`: no decision annotation; `invalid`: annotations with problems. */
  decision?: 'float' | 'sink' | 'none' | 'invalid';
  level?: TrustLevel;
  /** `none`: no initiative. */
  phase?: MvpPhase | 'none';
  overdue?: boolean;
  /** Case-insensitive text in the title, ref, owner or system. */
  q?: string;
}

/**
 * A page request of the portfolio table.
 *
 * @public
 */
export interface PortfolioQuery extends PortfolioFilters {
  sort?: PortfolioSort;
  order?: 'asc' | 'desc';
  /** 1 to 200; default 50. */
  limit?: number;
  /** Rows to skip; default 0. */
  offset?: number;
}

/**
 * Figures over every visible capability matching the filters.
 *
 * @public
 */
export interface PortfolioTotals {
  capabilities: number;
  balance: number;
  overdue: number;
  byLevel: Record<TrustLevel, number>;
  byDecision: { float: number; sink: number; none: number; invalid: number };
  byPhase: Record<MvpPhase | 'none', number>;
}

/**
 * A page of the portfolio table.
 *
 * @public
 */
export interface PortfolioPage {
  items: PortfolioRow[];
  /** Visible rows matching the filters, over all pages. */
  total: number;
  offset: number;
  limit: number;
  totals: PortfolioTotals;
}

/**
 * An overdue decision review, for the portfolio's panel.
 *
 * @public
 */
export interface OverdueReview {
  entityRef: string;
  title: string;
  ownerRef?: string;
  decision: 'float' | 'sink';
  reviewBy: string;
  overdueDays: number;
}

/**
 * A consumer team that has paid more trust than it received, across the
 * platform: who paid most, and where.
 *
 * @public
 */
export interface OverdrawnTeam {
  teamRef: string;
  /** Sum of the team's negative per-capability balances. */
  balance: number;
  /** Capabilities where the team is overdrawn, lowest balance first (at most 5). */
  capabilities: Array<{ entityRef: string; title: string; balance: number }>;
}

/**
 * Initiatives in one MVP phase and what blocks them.
 *
 * @public
 */
export interface PhaseGlance {
  phase: MvpPhase;
  initiatives: number;
  /** Initiatives with at least one open exit criterion or sign-off. */
  blocked: number;
  /** The most frequent blockers, most frequent first (at most 5). */
  blockers: Array<{ blocker: string; initiatives: number }>;
}

/**
 * One owner group's figures, its descendant groups' included.
 *
 * @public
 */
export interface GroupRollup {
  groupRef: string;
  parentRef?: string;
  /** Capabilities it or its descendants own. */
  capabilities: number;
  balance: number;
  /** The lowest level among its capabilities. */
  weakestLevel?: TrustLevel;
  overdue: number;
  floating: number;
}

/**
 * The portfolio page's panels, over every capability the caller can see.
 *
 * @public
 */
export interface PortfolioSummary {
  totals: PortfolioTotals;
  /** Most overdue first, at most 10. */
  overdueReviews: OverdueReview[];
  /** Most overdrawn first, at most 10. */
  overdrawnTeams: OverdrawnTeam[];
  phases: PhaseGlance[];
  /** Every group that owns capabilities or has a descendant that does. */
  groups: GroupRollup[];
}

/**
 * A capability in an owner group's rollup.
 *
 * @public
 */
export interface OwnedCapability {
  entityRef: string;
  title: string;
  ownerRef: string;
  balance: number;
  level: TrustLevel;
  entryCount: number;
  decision?: 'float' | 'sink';
  overdueDays?: number;
}

/**
 * What a group owns, its descendant groups' capabilities included: the
 * trust card of an owner group.
 *
 * @public
 */
export interface OwnerRollup extends GroupRollup {
  /** Weakest (lowest balance) first. */
  items: OwnedCapability[];
}

/**
 * Thickness figures of a set of capabilities. Weights are consumer teams
 * (at least 1 per capability): duplicating what fifty teams use costs more
 * than what two use.
 *
 * @public
 */
export interface ThicknessFigures {
  /** Capabilities with a valid decision. */
  capabilities: number;
  unique: number;
  kept: number;
  floating: number;
  weightedUnique: number;
  weightedKept: number;
  weightedFloating: number;
  /**
   * Share of the weighted platform that duplicates the base:
   * (kept + floating) / all, weighted; 0 when there is nothing.
   */
  thickness: number;
}

/**
 * A day of the thickness trend.
 *
 * @public
 */
export interface ThicknessPoint extends ThicknessFigures {
  /** `YYYY-MM-DD` (UTC) */
  day: string;
}

/**
 * The thinnest-viable-platform meter: today, per system, the trend of daily
 * snapshots and the projection once the pending floats complete.
 *
 * @public
 */
export interface ThicknessReport {
  all: ThicknessFigures;
  systems: Array<ThicknessFigures & { systemRef?: string }>;
  /** Today's figures with every floating capability retired. */
  projection: ThicknessFigures;
  /** Oldest first. */
  trend: ThicknessPoint[];
}

/**
 * A floating capability's retirement, measured from the catalog.
 *
 * @public
 */
export interface RetirementProgress {
  /** Teams still depending on the capability. */
  remainingTeams: string[];
  /** When `replaced-by` is an entity ref: teams on the replacement and no longer on the capability. */
  movedTeams: string[];
  /** The replacement, when it is an entity ref the caller can see. */
  replacementRef?: string;
  /** moved / (moved + remaining); 0 when there is no one. */
  progress: number;
}

/**
 * A capability's decision as the float-or-sink card shows it.
 *
 * @public
 */
export interface DecisionView {
  entityRef: string;
  decision?: CapabilityDecision;
  problems: string[];
  /** Teams depending on the capability. */
  consumerTeams: string[];
  /** Set on a floating capability. */
  retirement?: RetirementProgress;
}

/**
 * A capability a consumer team depends on, with the team's own balance.
 *
 * @public
 */
export interface ConsumerCapabilityBalance {
  entityRef: string;
  title: string;
  /** The team's per-consumer balance with the capability. */
  balance: number;
  level: TrustLevel;
  entryCount: number;
  /** The latest spend entry charged to the team on this capability. */
  lastCharge?: {
    title: string;
    category: string;
    amount: number;
    occurredAt: string;
  };
  decision?: 'float' | 'sink';
}

/**
 * "Your balance with the platform": a consumer team's view.
 *
 * @public
 */
export interface ConsumerView {
  teamRef: string;
  /** Set when asked for a component: the component whose owner team this is. */
  componentRef?: string;
  /** Lowest balance first. */
  items: ConsumerCapabilityBalance[];
}

/**
 * The decision annotations the history tracks, by their key in
 * `FLOAT_OR_SINK_ANNOTATIONS`.
 *
 * @public
 */
export type DecisionField =
  | 'decision'
  | 'baseCapability'
  | 'rationale'
  | 'reviewBy'
  | 'replacedBy';

/**
 * What happened to an entity's decision annotations: first seen, a field
 * changed, all removed, the entity left the catalog, or they became invalid.
 *
 * @public
 */
export type DecisionEventType =
  | 'first-seen'
  | 'changed'
  | 'removed'
  | 'entity-gone'
  | 'invalid';

/**
 * One event of an entity's decision history.
 *
 * @public
 */
export interface DecisionHistoryItem {
  id: number;
  type: DecisionEventType;
  field?: DecisionField;
  oldValue?: string;
  newValue?: string;
  problems?: string[];
  /** ISO 8601: when the recorder saw the change. */
  observedAt: string;
}

/**
 * A page of an entity's decision history, newest first.
 *
 * @public
 */
export interface DecisionHistoryPage {
  items: DecisionHistoryItem[];
  nextCursor?: string;
}
