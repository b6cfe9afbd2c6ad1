import { createApiRef } from '@backstage/core-plugin-api';
import {
  AddCriterionRequest,
  CohortRequest,
  ConsumerView,
  DecisionHistoryPage,
  DecisionView,
  OwnerRollup,
  PortfolioFilters,
  PortfolioPage,
  PortfolioQuery,
  PortfolioSummary,
  ThicknessReport,
  InitiativeState,
  ListTrustEntriesOptions,
  MvpPhase,
  PhaseBlocker,
  PhaseHistoryPage,
  PhasesConfig,
  PhaseTransitionRequest,
  PhaseWriteResult,
  SetCriterionRequest,
  SignoffDecisionRequest,
  SignoffRequest,
  PreflightRequest,
  PreflightResult,
  PulseRequest,
  PulseResult,
  PulseWithdrawal,
  RecordTrustEntryRequest,
  TrustConfig,
  TrustEntriesPage,
  TrustEntryResult,
  TrustLeaderboardOptions,
  TrustLeaderboardPage,
  TrustSummary,
  TrustTrend,
} from '@freeboard/backstage-plugin-common';

/*
 * The request and response types of the routes are the HTTP contract in
 * `@freeboard/backstage-plugin-common`, shared with the backend; only what
 * stays in the browser (such as how to send a request) is defined here.
 */

/**
 * Options of {@link FreeboardApi.recordTrustEntry}.
 *
 * @public
 */
export interface RecordTrustEntryOptions {
  /**
   * Sent as the `Idempotency-Key` header: repeating a request with the same
   * key and body records it once. A fresh key is generated when absent.
   */
  idempotencyKey?: string;
}

/**
 * Options of {@link FreeboardApi.getInitiative}.
 *
 * @public
 */
export interface GetInitiativeOptions {
  /** Rebuild the state as of this time (ISO 8601) instead of now. */
  asOf?: string;
}

/**
 * Options of {@link FreeboardApi.listPhaseHistory}.
 *
 * @public
 */
export interface ListPhaseHistoryOptions {
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * Options of the phase routes that delete: a DELETE has no body, so the
 * version goes in the query.
 *
 * @public
 */
export interface PhaseDeleteOptions {
  /** The initiative's version on screen; a stale one is a 409. */
  expectedVersion?: number;
}

/**
 * Request to choose (or, with `null`, clear) an initiative's pioneer team.
 *
 * @public
 */
export interface SetPioneerTeamRequest {
  teamRef: string | null;
  expectedVersion?: number;
}

/**
 * Request to set (or, with `null`, clear) a phase's target date.
 *
 * @public
 */
export interface SetPhaseTargetRequest {
  phase: MvpPhase;
  /** `YYYY-MM-DD`, or `null` to clear it. */
  date: string | null;
  expectedVersion?: number;
}

/** The formats the steering report exports in. @public */
export type PhasesReportFormat = 'markdown' | 'json';

/**
 * A 409 from a phases write, with what the backend sent along: the
 * initiative's current `state`, and either the `blockers` that stop an
 * advance or the `currentVersion` when the request's `expectedVersion` was
 * stale. Other 409s (e.g. a sign-off already requested) carry neither.
 *
 * @public
 */
export class PhaseConflictError extends Error {
  /** Always 409, like the response it comes from. */
  readonly statusCode = 409;
  /** What stops the initiative advancing; empty unless blocked. */
  readonly blockers: PhaseBlocker[];
  /** The initiative's state now, when the backend sent it. */
  readonly state?: InitiativeState;
  /** Set when the write named a version that is no longer current. */
  readonly currentVersion?: number;

  /** `message` is the server's own, e.g. "The initiative cannot advance: …". */
  constructor(
    message: string,
    details: {
      blockers?: PhaseBlocker[];
      state?: InitiativeState;
      currentVersion?: number;
    } = {},
  ) {
    super(message);
    this.name = 'PhaseConflictError';
    this.blockers = details.blockers ?? [];
    this.state = details.state;
    this.currentVersion = details.currentVersion;
  }

  /** The write named an old version: someone else changed the initiative. */
  get stale(): boolean {
    return this.currentVersion !== undefined;
  }

  /** The initiative cannot leave its phase yet. */
  get blocked(): boolean {
    return this.blockers.length > 0;
  }
}

/**
 * Client of the Freeboard backend: trust credits and MVP phases. Entity refs
 * may be given in any case; they are addressed in lower case. A string that
 * is not an entity ref at all makes the call reject before any request.
 *
 * Phase writes answer the initiative's new state; a 409 rejects with a
 * {@link PhaseConflictError}.
 *
 * @public
 */
export interface FreeboardApi {
  /** The backend's categories, thresholds and limits. */
  getTrustConfig(): Promise<TrustConfig>;

  /** Balance, level, totals, consumers and pulses of one entity. */
  getTrustSummary(entityRef: string): Promise<TrustSummary>;

  /** One page of the entity's ledger, newest first. */
  listTrustEntries(
    entityRef: string,
    options?: ListTrustEntriesOptions,
  ): Promise<TrustEntriesPage>;

  /** Appends an earning or spending entry to the entity's ledger. */
  recordTrustEntry(
    entityRef: string,
    request: RecordTrustEntryRequest,
    options?: RecordTrustEntryOptions,
  ): Promise<TrustEntryResult>;

  /**
   * Appends a correction that cancels the entry. Fails with a 409 for a
   * pulse (its sender withdraws it instead), a correction, or an entry
   * already reverted.
   */
  revertTrustEntry(
    entityRef: string,
    entryId: string,
    reason: string,
  ): Promise<TrustEntryResult>;

  /** Projects a planned spend on each consumer team, without recording it. */
  runPreflight(
    entityRef: string,
    request: PreflightRequest,
  ): Promise<PreflightResult>;

  /** Sends the signed-in user's pulse; it replaces their pulse of the week. */
  sendPulse(entityRef: string, request: PulseRequest): Promise<PulseResult>;

  /**
   * Withdraws the signed-in user's counted pulse of the week, if they have
   * one; `withdrawn` says whether there was one.
   */
  withdrawPulse(entityRef: string): Promise<PulseWithdrawal>;

  /** The balance at the end of each of the last `days` days (default 90). */
  getTrustTrend(entityRef: string, days?: number): Promise<TrustTrend>;

  /** Summaries of several entities; those the caller cannot see are left out. */
  getTrustScores(entityRefs: string[]): Promise<TrustSummary[]>;

  /** Entities with ledgers ordered by balance. */
  getTrustLeaderboard(
    options?: TrustLeaderboardOptions,
  ): Promise<TrustLeaderboardPage>;

  /** Phase templates, default sign-offs and waiver lengths. */
  getPhasesConfig(): Promise<PhasesConfig>;

  /**
   * The entity's MVP initiative, now or as of a past time. An initiative not
   * started answers `started: false` with the template criteria.
   */
  getInitiative(
    entityRef: string,
    options?: GetInitiativeOptions,
  ): Promise<InitiativeState>;

  /** Starts the initiative at Discovery, iteration 1. */
  startInitiative(entityRef: string): Promise<PhaseWriteResult>;

  /** Advances to the next phase, or steps back (a reason required). */
  transitionInitiative(
    entityRef: string,
    request: PhaseTransitionRequest,
  ): Promise<PhaseWriteResult>;

  /** Adds one of the entity's own exit criteria to a phase. */
  addPhaseCriterion(
    entityRef: string,
    request: AddCriterionRequest,
  ): Promise<PhaseWriteResult>;

  /** Removes one of the entity's own exit criteria. */
  removePhaseCriterion(
    entityRef: string,
    criterionId: string,
    options?: PhaseDeleteOptions,
  ): Promise<PhaseWriteResult>;

  /** Ticks, unticks or waives an exit criterion. */
  setPhaseCriterion(
    entityRef: string,
    criterionId: string,
    request: SetCriterionRequest,
  ): Promise<PhaseWriteResult>;

  /** Asks a group to sign off a phase. */
  requestPhaseSignoff(
    entityRef: string,
    request: SignoffRequest,
  ): Promise<PhaseWriteResult>;

  /** Approves or rejects a sign-off on behalf of a group the user is in. */
  decidePhaseSignoff(
    entityRef: string,
    request: SignoffDecisionRequest,
  ): Promise<PhaseWriteResult>;

  /** Chooses or clears the pioneer team. */
  setPioneerTeam(
    entityRef: string,
    request: SetPioneerTeamRequest,
  ): Promise<PhaseWriteResult>;

  /** Sets or clears a phase's target date. */
  setPhaseTarget(
    entityRef: string,
    request: SetPhaseTargetRequest,
  ): Promise<PhaseWriteResult>;

  /** Adds an adoption cohort (a wave of teams with a target date). */
  addAdoptionCohort(
    entityRef: string,
    request: CohortRequest,
  ): Promise<PhaseWriteResult>;

  /** Replaces an adoption cohort's name, target date and teams. */
  updateAdoptionCohort(
    entityRef: string,
    cohortId: string,
    request: CohortRequest,
  ): Promise<PhaseWriteResult>;

  /** Removes an adoption cohort. */
  removeAdoptionCohort(
    entityRef: string,
    cohortId: string,
    options?: PhaseDeleteOptions,
  ): Promise<PhaseWriteResult>;

  /** One page of the initiative's history, newest first. */
  listPhaseHistory(
    entityRef: string,
    options?: ListPhaseHistoryOptions,
  ): Promise<PhaseHistoryPage>;

  /** The steering report, as Markdown or JSON text. */
  getPhasesReport(
    entityRef: string,
    format: PhasesReportFormat,
  ): Promise<string>;

  /** A page of an entity's float-or-sink decision history, newest first. */
  listDecisionHistory(
    entityRef: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<DecisionHistoryPage>;

  /** A capability's decision, review status, consumers and retirement progress. */
  getDecision(entityRef: string): Promise<DecisionView>;

  /** A page of the portfolio table, with totals over the filtered view. */
  getPortfolio(query?: PortfolioQuery): Promise<PortfolioPage>;

  /** The portfolio's filtered view as CSV text (every row, no paging). */
  exportPortfolioCsv(
    filters?: PortfolioFilters & Pick<PortfolioQuery, 'sort' | 'order'>,
  ): Promise<string>;

  /** The portfolio's panels over everything the caller can see. */
  getPortfolioSummary(): Promise<PortfolioSummary>;

  /** What a group owns, its descendant groups included, weakest first. */
  getOwnerRollup(groupRef: string): Promise<OwnerRollup>;

  /** The thinnest-viable-platform meter, for all or for one system. */
  getThickness(options?: {
    systemRef?: string;
    days?: number;
  }): Promise<ThicknessReport>;

  /**
   * "Your balance with the platform": the capabilities a team (a group, or
   * a component's owner group) depends on, with the team's own balances.
   */
  getConsumerView(entityRef: string): Promise<ConsumerView>;
}

/**
 * The {@link FreeboardApi}: provided by the Freeboard plugin in both frontend
 * systems.
 *
 * @public
 */
export const freeboardApiRef = createApiRef<FreeboardApi>({
  id: 'plugin.freeboard.service',
});
