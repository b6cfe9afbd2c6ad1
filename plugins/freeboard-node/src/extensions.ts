import { createExtensionPoint } from '@backstage/backend-plugin-api';
import {
  MvpPhase,
  TrustCategory,
  TrustDirection,
  TrustLedgerEntry,
} from '@freeboard/backstage-plugin-common';

/**
 * An entry that a backend module writes to a trust ledger. Refs must be full
 * entity refs (`kind:namespace/name`).
 *
 * @public
 */
export interface TrustLedgerWrite {
  entityRef: string;
  direction: TrustDirection;
  category: string;
  amount: number;
  title: string;
  description?: string;
  consumerRef?: string;
  evidenceUrl?: string;
  occurredAt?: Date;
  /** The user or service the entry is recorded on behalf of. */
  recordedBy: string;
}

/**
 * What a backend module gets to write trust-credit entries with. Entries it
 * writes carry the module's id as their source.
 *
 * @public
 */
export interface TrustLedgerWriter {
  /** Whether no entry has been recorded yet, on any entity. */
  isEmpty(): Promise<boolean>;
  /**
   * Appends an entry to the ledger, validated and checked like an API
   * request: an unknown entity or consumer is refused with an InputError.
   */
  record(entry: TrustLedgerWrite): Promise<TrustLedgerEntry>;
}

/**
 * Lets backend modules extend the Freeboard backend's trust credits.
 *
 * @public
 */
export interface FreeboardTrustExtensionPoint {
  /**
   * Adds ledger categories beyond the configured ones, for entries that a
   * module records itself. An id that is already known stops the start-up.
   */
  addCategories(...categories: TrustCategory[]): void;

  /**
   * Runs `task` once the ledger is ready, with a writer whose entries carry
   * `moduleId` as their source (see `isValidModuleId`; another id stops the
   * start-up). Start-up waits for it, so keep it short. With several backend
   * replicas, the replicas run a module's task one at a time, never together,
   * so a task that checks `isEmpty()` first writes its entries once.
   */
  addLedgerTask(
    moduleId: string,
    task: (writer: TrustLedgerWriter) => Promise<void>,
  ): void;
}

/**
 * The extension point of the Freeboard backend's trust credits.
 *
 * @public
 */
export const freeboardTrustExtensionPoint =
  createExtensionPoint<FreeboardTrustExtensionPoint>({
    id: 'freeboard.trust',
  });

/**
 * What one imported event changed. The shapes follow the phases API's writes;
 * the backend checks each against the initiative as the events before it left
 * it, as it checks an API request, except that blockers are not evaluated: an
 * `advanced` event records that the initiative did advance.
 *
 * Ids that the backend assigns follow from an event's position: the event at
 * index `i` of the history becomes version `i + 1`, and a `criterion-added`
 * or `cohort-added` event at that index creates the criterion `own-<i + 1>` or
 * the cohort `cohort-<i + 1>`. Template criteria are `<phase>.<template id>`
 * (`discovery.golden-paths`). Dates are `YYYY-MM-DD`; refs are entity refs.
 *
 * - `started`: the first event, and only the first. The initiative starts in
 *   Discovery, iteration 1, with the configured template criteria and
 *   sign-offs.
 * - `advanced`: to the next phase; from Adoption to Discovery starts the next
 *   iteration.
 * - `stepped-back`: to an earlier phase of the same iteration; the event's
 *   `reason` is required.
 * - `criterion-added`, `criterion-removed`: the entity's own criteria.
 * - `criterion-set`: tick (`done`), untick (`open`) or waive a manual
 *   criterion; a waiver needs the event's `reason` and may give its expiry
 *   (by default the configured number of days after the event).
 * - `signoff-requested`, `signoff-decided`: a group's sign-off on a phase. The
 *   decision is recorded as given: the backend cannot know who belonged to
 *   the group then, so a module should only import decisions by members.
 * - `pioneer-set`, `target-set`: `null` clears.
 * - `cohort-added`, `cohort-updated`, `cohort-removed`: adoption waves.
 *
 * @public
 */
export type ImportedPhaseEventData =
  | { type: 'started' }
  | { type: 'advanced'; to: MvpPhase }
  | { type: 'stepped-back'; to: MvpPhase }
  | {
      type: 'criterion-added';
      phase: MvpPhase;
      title: string;
      description?: string;
    }
  | { type: 'criterion-removed'; id: string }
  | {
      type: 'criterion-set';
      id: string;
      state: 'done' | 'open' | 'waived';
      waiverExpiresAt?: Date;
    }
  | { type: 'signoff-requested'; phase: MvpPhase; groupRef: string }
  | {
      type: 'signoff-decided';
      phase: MvpPhase;
      groupRef: string;
      decision: 'approve' | 'reject';
      comment?: string;
    }
  | { type: 'pioneer-set'; teamRef: string | null }
  | { type: 'target-set'; phase: MvpPhase; date: string | null }
  | {
      type: 'cohort-added';
      name: string;
      targetDate: string;
      teamRefs: string[];
    }
  | {
      type: 'cohort-updated';
      id: string;
      name: string;
      targetDate: string;
      teamRefs: string[];
    }
  | { type: 'cohort-removed'; id: string };

/**
 * One event of an initiative's history, as a module imports it (from a
 * spreadsheet, Jira, or a demo's story).
 *
 * @public
 */
export interface ImportedPhaseEvent {
  /** When it happened: not before the previous event, not in the future. */
  occurredAt: Date;
  /** Who did it: a user entity ref (`user:default/ada`). */
  actorRef: string;
  /** Why; required to step back and to waive. */
  reason?: string;
  /** What changed. */
  data: ImportedPhaseEventData;
}

/**
 * What a backend module gets to import initiatives' histories with.
 *
 * @public
 */
export interface PhasesModuleWriter {
  /** Whether the entity's initiative has started (by import or by a lead). */
  hasInitiative(entityRef: string): Promise<boolean>;
  /**
   * Writes an initiative's whole history, oldest event first; the first must
   * be `started`. The history is checked in full before anything is written:
   * a bad event is refused with an InputError that names its index, an
   * entity or group the catalog does not hold likewise. An initiative that
   * has already started is refused with a ConflictError; a module that runs
   * at every start-up checks `hasInitiative` first.
   */
  importInitiative(
    entityRef: string,
    events: ImportedPhaseEvent[],
  ): Promise<void>;
}

/**
 * Lets backend modules extend the Freeboard backend's MVP phases.
 *
 * @public
 */
export interface FreeboardPhasesExtensionPoint {
  /**
   * Runs `task` once the phases store is ready, after the backend has
   * started, with a writer that imports initiatives' histories. `moduleId`
   * names the task in logs (see `isValidModuleId`; another id stops the
   * start-up). With several backend replicas, the replicas run a module's
   * task one at a time, never together, so a task that checks
   * `hasInitiative` first imports each initiative once.
   */
  addInitiativeTask(
    moduleId: string,
    task: (writer: PhasesModuleWriter) => Promise<void>,
  ): void;
}

/**
 * The extension point of the Freeboard backend's MVP phases.
 *
 * @public
 */
export const freeboardPhasesExtensionPoint =
  createExtensionPoint<FreeboardPhasesExtensionPoint>({
    id: 'freeboard.phases',
  });
