import { NewPhaseEvent, PhaseEvent, PhaseEventData } from '../domain/events';
import { InitiativeRecord } from '../domain/record';

/**
 * The initiative's version did not match `expectedVersion`: someone else
 * changed it first. The service answers 409 with the current state.
 */
export class StaleVersionError extends Error {
  constructor(readonly currentVersion: number) {
    super(`The initiative has changed; its version is now ${currentVersion}`);
    this.name = 'StaleVersionError';
  }
}

/** What an append wrote. */
export interface AppendResult {
  record: InitiativeRecord;
  events: PhaseEvent[];
}

/**
 * Initiatives as append-only events plus a projection (the fold of the
 * events) kept in the same transaction, so reads are one row and history
 * can be replayed.
 */
export interface PhaseStore {
  /** The projection, or undefined when the initiative has not started. */
  getRecord(entityRef: string): Promise<InitiativeRecord | undefined>;

  /** Projections of many initiatives (missing ones left out). */
  getRecords(entityRefs: string[]): Promise<InitiativeRecord[]>;

  /**
   * Starts an initiative: appends `started` as version 1. ConflictError
   * when it has already started (also when two start at once).
   */
  start(
    entityRef: string,
    event: Omit<NewPhaseEvent, 'data'> & {
      data: Extract<PhaseEventData, { type: 'started' }>;
    },
  ): Promise<AppendResult>;

  /**
   * Appends the events `decide` returns for the current record, in one
   * transaction that holds the initiative (row lock on PostgreSQL), so the
   * decision cannot see a stale record. NotFoundError when the initiative has
   * not started; StaleVersionError when `expectedVersion` is given and is
   * not the current version; whatever `decide` throws, with nothing written.
   */
  append(
    entityRef: string,
    expectedVersion: number | undefined,
    decide: (record: InitiativeRecord) => Omit<NewPhaseEvent, never>[],
  ): Promise<AppendResult>;

  /** Events, newest first, with versions below `beforeVersion` if given. */
  listEvents(
    entityRef: string,
    options: { limit: number; beforeVersion?: number },
  ): Promise<PhaseEvent[]>;

  /** Every event that occurred at or before `asOf`, oldest first. */
  eventsUntil(entityRef: string, asOf: Date): Promise<PhaseEvent[]>;

  /** Entity refs of started initiatives, in pages (for scheduled tasks). */
  listInitiatives(options: {
    limit: number;
    afterEntityRef?: string;
  }): Promise<string[]>;
}

/** One team's adoption of an initiative, as the daily snapshots saw it. */
export interface AdoptionRow {
  teamRef: string;
  /** First day of the current run of adoption. */
  adoptedSince: Date;
  /** Set when a later snapshot no longer saw the team adopted. */
  lostAt?: Date;
}

/** Daily adoption snapshots: "adopted since", lost adoptions, the curve. */
export interface AdoptionStore {
  /** Every team the snapshots have seen adopt the entity. */
  getAdoption(entityRef: string): Promise<AdoptionRow[]>;

  /** Adopted-team counts per day (`YYYY-MM-DD`), oldest first. */
  getCurve(
    entityRef: string,
    since?: string,
  ): Promise<Array<{ day: string; adopted: number }>>;

  /**
   * Records what the catalog shows today: teams newly adopted get
   * `adoptedSince = now`, teams no longer adopted get `lostAt = now`, teams
   * adopted again start a new run; the day's count is upserted. Idempotent
   * for the same day.
   */
  recordSnapshot(
    entityRef: string,
    adoptedTeams: string[],
    now: Date,
  ): Promise<void>;
}
