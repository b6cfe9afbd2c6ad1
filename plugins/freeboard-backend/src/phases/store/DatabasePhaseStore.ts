import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { isPostgres, isUniqueViolation } from '../../shared/database';
import { NewPhaseEvent, PhaseEvent, PhaseEventData } from '../domain/events';
import { InitiativeRecord, applyEvent } from '../domain/record';
import { DatabaseAdoptionStore } from './DatabaseAdoptionStore';
import {
  AdoptionStore,
  AppendResult,
  PhaseStore,
  StaleVersionError,
} from './PhaseStore';
import {
  EVENTS,
  EventRow,
  INITIATIVES,
  InitiativeRow,
  asStored,
  chunks,
  eventOf,
  eventRow,
  initiativeRow,
  recordOf,
} from './rows';

/** The columns `eventOf` reads. */
const EVENT_COLUMNS: Array<keyof EventRow> = [
  'version',
  'occurred_at',
  'actor_ref',
  'reason',
  'data',
];

/**
 * An event with its version, its time normalised to a canonical ISO string
 * (what the timestamp columns give back) and never before `notBefore`.
 *
 * A replica whose clock is behind the last event's time writes at that time
 * instead: occurred_at then never decreases with the version, so the events
 * until any time are a prefix of the history and replay cleanly.
 */
function stamped(
  event: NewPhaseEvent,
  version: number,
  notBefore: number,
): PhaseEvent {
  const ms = Date.parse(event.occurredAt);
  if (!Number.isFinite(ms)) {
    throw new Error(`Invalid event time ${JSON.stringify(event.occurredAt)}`);
  }
  return {
    version,
    occurredAt: new Date(Math.max(ms, notBefore)).toISOString(),
    actorRef: event.actorRef,
    ...(event.reason !== undefined ? { reason: event.reason } : {}),
    data: event.data,
  };
}

/** The versioned update found another version: someone wrote in between. */
class VersionMoved extends Error {}

/** Initiatives as events plus their projection, in Knex (SQLite, PostgreSQL). */
class DatabasePhaseStore implements PhaseStore {
  private readonly isPostgres: boolean;

  constructor(private readonly db: Knex) {
    this.isPostgres = isPostgres(db);
  }

  async getRecord(entityRef: string): Promise<InitiativeRecord | undefined> {
    const row = await this.db<InitiativeRow>(INITIATIVES)
      .where({ entity_ref: entityRef })
      .first('record');
    return row ? recordOf(row) : undefined;
  }

  async getRecords(entityRefs: string[]): Promise<InitiativeRecord[]> {
    const records: InitiativeRecord[] = [];
    for (const slice of chunks([...new Set(entityRefs)], 500)) {
      const rows = await this.db<InitiativeRow>(INITIATIVES)
        .whereIn('entity_ref', slice)
        .select('record');
      records.push(...rows.map(recordOf));
    }
    return records;
  }

  async start(
    entityRef: string,
    event: Omit<NewPhaseEvent, 'data'> & {
      data: Extract<PhaseEventData, { type: 'started' }>;
    },
  ): Promise<AppendResult> {
    const first = stamped(event, 1, -Infinity);
    const record = applyEvent(undefined, first, entityRef);
    try {
      await this.db.transaction(async tx => {
        await tx(INITIATIVES).insert(initiativeRow(record));
        await tx(EVENTS).insert(eventRow(entityRef, first));
      });
    } catch (error) {
      // Two starts at once: the primary key lets one in, whichever commits
      // first; the other waits for it (PostgreSQL) and then fails here.
      if (isUniqueViolation(error)) {
        throw new ConflictError(`${entityRef} has already started`);
      }
      throw error;
    }
    return { record: asStored(record), events: [first] };
  }

  async append(
    entityRef: string,
    expectedVersion: number | undefined,
    decide: (record: InitiativeRecord) => Omit<NewPhaseEvent, never>[],
  ): Promise<AppendResult> {
    try {
      return await this.db.transaction(async tx => {
        let query = tx<InitiativeRow>(INITIATIVES)
          .where({ entity_ref: entityRef })
          .first('record', 'version');
        // PostgreSQL: hold the row so concurrent appends queue up and each
        // decides on the record the previous one wrote. SQLite's single
        // connection serialises transactions already.
        if (this.isPostgres) query = query.forUpdate();
        const row = await query;
        if (!row) {
          throw new NotFoundError(`${entityRef} has not started`);
        }
        const current = recordOf(row);
        const oldVersion = Number(row.version);
        if (expectedVersion !== undefined && expectedVersion !== oldVersion) {
          throw new StaleVersionError(oldVersion);
        }
        const decided = decide(current);
        // Fold onto a fresh copy: `decide` may have changed the one it got.
        let record = recordOf(row);
        if (decided.length === 0) return { record, events: [] };
        const events: PhaseEvent[] = [];
        let notBefore = Date.parse(record.updatedAt);
        for (const [index, next] of decided.entries()) {
          const event = stamped(next, oldVersion + index + 1, notBefore);
          notBefore = Date.parse(event.occurredAt);
          record = applyEvent(record, event, entityRef);
          events.push(event);
        }
        for (const slice of chunks(events, 100)) {
          await tx(EVENTS).insert(slice.map(e => eventRow(entityRef, e)));
        }
        const { entity_ref: _key, ...changes } = initiativeRow(record);
        const updated = await tx(INITIATIVES)
          .where({ entity_ref: entityRef, version: oldVersion })
          .update(changes);
        if (updated !== 1) throw new VersionMoved();
        return { record: asStored(record), events };
      });
    } catch (error) {
      // Belt and braces for a writer that got past the row lock: the events'
      // unique (entity, version) or the versioned update refuses the second.
      if (isUniqueViolation(error) || error instanceof VersionMoved) {
        throw new StaleVersionError(await this.versionOf(entityRef));
      }
      throw error;
    }
  }

  private async versionOf(entityRef: string): Promise<number> {
    const row = await this.db<InitiativeRow>(INITIATIVES)
      .where({ entity_ref: entityRef })
      .first('version');
    return row ? Number(row.version) : 0;
  }

  async listEvents(
    entityRef: string,
    options: { limit: number; beforeVersion?: number },
  ): Promise<PhaseEvent[]> {
    let query = this.db<EventRow>(EVENTS)
      .where({ entity_ref: entityRef })
      .orderBy('version', 'desc')
      .limit(options.limit)
      .select<EventRow[]>(EVENT_COLUMNS);
    if (options.beforeVersion !== undefined) {
      query = query.where('version', '<', options.beforeVersion);
    }
    return (await query).map(eventOf);
  }

  async eventsUntil(entityRef: string, asOf: Date): Promise<PhaseEvent[]> {
    const rows = await this.db<EventRow>(EVENTS)
      .where({ entity_ref: entityRef })
      .where('occurred_at', '<=', asOf)
      .orderBy('version', 'asc')
      // Only what a replay reads: as-of views may fold thousands of events.
      .select<EventRow[]>(EVENT_COLUMNS);
    return rows.map(eventOf);
  }

  async listInitiatives(options: {
    limit: number;
    afterEntityRef?: string;
  }): Promise<string[]> {
    let query = this.db<InitiativeRow>(INITIATIVES)
      .orderBy('entity_ref', 'asc')
      .limit(options.limit);
    if (options.afterEntityRef !== undefined) {
      query = query.where('entity_ref', '>', options.afterEntityRef);
    }
    return (await query.select('entity_ref')).map(r => r.entity_ref);
  }
}

/** The phase and adoption stores over one migrated database. */
export function createDatabasePhaseStores(options: { client: Knex }): {
  phases: PhaseStore;
  adoption: AdoptionStore;
} {
  return {
    phases: new DatabasePhaseStore(options.client),
    adoption: new DatabaseAdoptionStore(options.client),
  };
}
