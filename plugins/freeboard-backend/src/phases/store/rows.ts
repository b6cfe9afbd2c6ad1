import { toDate } from '../../shared/database';
import { PhaseEvent } from '../domain/events';
import { InitiativeRecord } from '../domain/record';

/*
 * Row shapes of the phase tables and the conversions between rows and domain
 * values, kept apart from the queries so columns do not leak into domain types.
 */

export const INITIATIVES = 'freeboard_phase_initiatives';
export const EVENTS = 'freeboard_phase_events';
export const ADOPTION = 'freeboard_phase_adoption';
export const ADOPTION_DAYS = 'freeboard_phase_adoption_days';

/** Timestamps come back as Dates (pg) or epoch milliseconds (SQLite). */
type Timestamp = Date | string | number;

export type InitiativeRow = {
  entity_ref: string;
  version: number;
  iteration: number;
  phase: string;
  record: string;
  started_at: Timestamp;
  updated_at: Timestamp;
};

export type EventRow = {
  entity_ref: string;
  version: number;
  type: string;
  occurred_at: Timestamp;
  actor_ref: string;
  reason: string | null;
  data: string;
};

export type AdoptionRowData = {
  entity_ref: string;
  team_ref: string;
  adopted_since: Timestamp;
  lost_at: Timestamp | null;
};

/** The row that holds `record`; timestamps bound as Dates for both engines. */
export function initiativeRow(record: InitiativeRecord): InitiativeRow {
  return {
    entity_ref: record.entityRef,
    version: record.version,
    iteration: record.iteration,
    phase: record.phase,
    record: JSON.stringify(record),
    started_at: new Date(record.startedAt),
    updated_at: new Date(record.updatedAt),
  };
}

export function recordOf(row: Pick<InitiativeRow, 'record'>): InitiativeRecord {
  return JSON.parse(row.record);
}

export function eventRow(entityRef: string, event: PhaseEvent): EventRow {
  return {
    entity_ref: entityRef,
    version: event.version,
    type: event.data.type,
    occurred_at: new Date(event.occurredAt),
    actor_ref: event.actorRef,
    reason: event.reason ?? null,
    data: JSON.stringify(event.data),
  };
}

export function eventOf(row: EventRow): PhaseEvent {
  return {
    version: Number(row.version),
    occurredAt: toDate(row.occurred_at).toISOString(),
    actorRef: row.actor_ref,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    data: JSON.parse(row.data),
  };
}

/** A value as it reads back from JSON: no undefined properties. */
export function asStored<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** `items` in slices of `size`, to stay under the engines' bind limits. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
