import { Knex } from 'knex';

const SENT = 'freeboard_notifications_sent';

/**
 * What time-based notifications were sent, one row per event key. Claiming
 * is an insert-or-ignore on the unique key, so of any number of runs (re-runs,
 * replicas, overlapping schedules) exactly one claims an event.
 */
export class SentStore {
  constructor(private readonly db: Knex) {}

  /** Claims the event; true only for the one caller that inserted it. */
  async claim(
    event: { eventKey: string; kind: string; entityRef: string },
    at: Date,
  ): Promise<boolean> {
    const inserted = await this.db(SENT)
      .insert({
        event_key: event.eventKey,
        kind: event.kind,
        entity_ref: event.entityRef,
        sent_at: at,
      })
      .onConflict('event_key')
      .ignore()
      .returning('event_key');
    return inserted.length > 0;
  }

  /** Gives a claim back (its send failed), so a later run tries again. */
  async release(eventKey: string): Promise<void> {
    await this.db(SENT).where({ event_key: eventKey }).delete();
  }

  /** Deletes claims older than `before`; returns how many went. */
  async prune(before: Date): Promise<number> {
    return this.db(SENT).where('sent_at', '<', before).delete();
  }
}
