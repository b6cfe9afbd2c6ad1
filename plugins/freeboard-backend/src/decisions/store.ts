import {
  DecisionEventType as WireDecisionEventType,
  DecisionField as WireDecisionField,
} from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import { toDate } from '../shared/database';

/*
 * The decision history's storage: append-only events per entity and, per
 * entity, the annotation values last seen, which the recorder compares the
 * catalog against.
 */

export const DECISION_EVENTS = 'freeboard_decision_events';
export const DECISION_STATE = 'freeboard_decision_state';

/** The five decision annotations, by their key in FLOAT_OR_SINK_ANNOTATIONS. */
export const DECISION_FIELDS = [
  'decision',
  'baseCapability',
  'rationale',
  'reviewBy',
  'replacedBy',
] as const;

export type DecisionField = (typeof DECISION_FIELDS)[number] &
  WireDecisionField;

/** The annotation values an entity carries; absent annotations are left out. */
export type DecisionValues = Partial<Record<DecisionField, string>>;

export type DecisionEventType = WireDecisionEventType;

/** An event as the recorder produces it, before it has an id. */
export interface NewDecisionEvent {
  type: DecisionEventType;
  field?: DecisionField;
  oldValue?: string;
  newValue?: string;
  problems?: string[];
}

export interface DecisionEvent extends NewDecisionEvent {
  id: number;
  entityRef: string;
  observedAt: Date;
}

/** What the recorder last saw of one entity. */
export interface DecisionState {
  entityRef: string;
  values: DecisionValues;
  /** The problems last recorded as an `invalid` event; absent when valid. */
  problems?: string[];
  observedAt: Date;
}

/**
 * What one run learned about one entity: the events to append and its new
 * state (`null`: the entity no longer carries a decision, forget it).
 */
export interface DecisionObservation {
  entityRef: string;
  events: NewDecisionEvent[];
  state: { values: DecisionValues; problems?: string[] } | null;
}

export interface DecisionHistoryStore {
  /** States in entity-ref order, `limit` after `afterEntityRef`. */
  listStates(options: {
    limit: number;
    afterEntityRef?: string;
  }): Promise<DecisionState[]>;
  /** Appends the events and writes the states of a batch, all or nothing. */
  apply(observations: DecisionObservation[], observedAt: Date): Promise<void>;
  /** An entity's events, newest first, those with ids below `beforeId`. */
  listEvents(
    entityRef: string,
    options: { limit: number; beforeId?: number },
  ): Promise<DecisionEvent[]>;
}

type Timestamp = Date | string | number;

type StateRow = {
  entity_ref: string;
  annotations: string;
  problems: string | null;
  observed_at: Timestamp;
};

type EventRow = {
  id: number | string;
  entity_ref: string;
  type: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  problems: string | null;
  observed_at: Timestamp;
};

/** Rows per insert: 8 columns stay under SQLite's 999 bound variables. */
const INSERT_CHUNK = 100;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/** Only known fields with string values survive a read of stored JSON. */
export function toDecisionValues(raw: unknown): DecisionValues {
  const values: DecisionValues = {};
  if (typeof raw !== 'object' || raw === null) return values;
  for (const field of DECISION_FIELDS) {
    const value = (raw as Record<string, unknown>)[field];
    if (typeof value === 'string') values[field] = value;
  }
  return values;
}

function parseProblems(raw: string | null): string[] | undefined {
  if (raw === null) return undefined;
  const parsed = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed.map(String) : undefined;
}

/** The decision history in Knex (SQLite, PostgreSQL). */
export class DatabaseDecisionHistoryStore implements DecisionHistoryStore {
  constructor(private readonly db: Knex) {}

  async listStates(options: {
    limit: number;
    afterEntityRef?: string;
  }): Promise<DecisionState[]> {
    let query = this.db<StateRow>(DECISION_STATE)
      .orderBy('entity_ref', 'asc')
      .limit(options.limit);
    if (options.afterEntityRef !== undefined) {
      query = query.where('entity_ref', '>', options.afterEntityRef);
    }
    const rows = await query;
    return rows.map(row => ({
      entityRef: row.entity_ref,
      values: toDecisionValues(JSON.parse(row.annotations)),
      ...(row.problems !== null
        ? { problems: parseProblems(row.problems) }
        : {}),
      observedAt: toDate(row.observed_at),
    }));
  }

  async apply(
    observations: DecisionObservation[],
    observedAt: Date,
  ): Promise<void> {
    if (observations.length === 0) return;
    const events = observations.flatMap(o =>
      o.events.map(event => ({
        entity_ref: o.entityRef,
        type: event.type,
        field: event.field ?? null,
        old_value: event.oldValue ?? null,
        new_value: event.newValue ?? null,
        problems: event.problems ? JSON.stringify(event.problems) : null,
        observed_at: observedAt,
      })),
    );
    const kept: StateRow[] = [];
    const forgotten: string[] = [];
    for (const o of observations) {
      if (o.state === null) {
        forgotten.push(o.entityRef);
      } else {
        kept.push({
          entity_ref: o.entityRef,
          annotations: JSON.stringify(o.state.values),
          problems: o.state.problems?.length
            ? JSON.stringify(o.state.problems)
            : null,
          observed_at: observedAt,
        });
      }
    }
    await this.db.transaction(async tx => {
      for (const slice of chunks(events, INSERT_CHUNK)) {
        await tx(DECISION_EVENTS).insert(slice);
      }
      for (const slice of chunks(kept, INSERT_CHUNK)) {
        await tx(DECISION_STATE)
          .insert(slice)
          .onConflict('entity_ref')
          .merge(['annotations', 'problems', 'observed_at']);
      }
      for (const slice of chunks(forgotten, 500)) {
        await tx(DECISION_STATE).whereIn('entity_ref', slice).delete();
      }
    });
  }

  async listEvents(
    entityRef: string,
    options: { limit: number; beforeId?: number },
  ): Promise<DecisionEvent[]> {
    let query = this.db<EventRow>(DECISION_EVENTS)
      .where({ entity_ref: entityRef })
      .orderBy('id', 'desc')
      .limit(options.limit);
    if (options.beforeId !== undefined) {
      query = query.where('id', '<', options.beforeId);
    }
    const rows = await query;
    return rows.map(row => ({
      id: Number(row.id),
      entityRef: row.entity_ref,
      type: row.type as DecisionEventType,
      ...(row.field !== null ? { field: row.field as DecisionField } : {}),
      ...(row.old_value !== null ? { oldValue: row.old_value } : {}),
      ...(row.new_value !== null ? { newValue: row.new_value } : {}),
      ...(row.problems !== null
        ? { problems: parseProblems(row.problems) }
        : {}),
      observedAt: toDate(row.observed_at),
    }));
  }
}
