import { Knex } from 'knex';
import {
  ThicknessState,
  isoDay,
  thicknessCategoryOf,
  weightOf,
} from './figures';

/*
 * `freeboard_capability_log` is a change log: a capability has a row only on
 * the days its thickness category or weight changed, and a `none` row once
 * it has no valid decision or left the set of capabilities. Its state on day
 * D is its latest row with day <= D, so the trend is replayed from a few
 * rows per capability rather than from a row per capability and day.
 */

const TABLE = 'freeboard_capability_log';
/** Rows per insert (SQLite binds at most 999 values; 4 per row). */
const INSERT_CHUNK = 200;
/** Refs per `whereIn`. */
const REF_CHUNK = 1000;

/** A capability's state to log. */
export interface ThicknessLogRow {
  /** The normalized (lower-case) ref, as in `freeboard_capabilities`. */
  entityRef: string;
  /** `none` when the capability has no valid decision. */
  category: ThicknessState;
  /** Consumer teams, at least 1; ignored (stored as 0) for `none`. */
  weight: number;
}

interface LoggedState {
  category: ThicknessState;
  weight: number;
}

const same = (a: LoggedState | undefined, b: LoggedState) =>
  a === undefined
    ? b.category === 'none'
    : a.category === b.category &&
      (a.category === 'none' || a.weight === b.weight);

const stateOf = (row: { category: string; weight: number | string }) => ({
  category: row.category as ThicknessState,
  weight: Number(row.weight),
});

/**
 * Brings the log up to date for `day` (`YYYY-MM-DD`, UTC) with `rows`, the
 * COMPLETE current set of capabilities: a capability whose category or
 * weight differs from its latest row before `day` gets a row for `day`; one
 * logged before but missing from `rows` gets a `none` row. Running it again
 * on the same day corrects that day's row (or removes it when the state went
 * back to what the day before held), so the refresher and the daily snapshot
 * may both call it, in any order, any number of times. Returns the number of
 * rows written or removed.
 *
 * Exported for the portfolio refresher, which calls it after each refresh.
 */
export async function appendThicknessLog(
  db: Knex,
  rows: readonly ThicknessLogRow[],
  day: string,
): Promise<number> {
  const wanted = new Map<string, LoggedState>();
  for (const row of rows) {
    wanted.set(
      row.entityRef,
      row.category === 'none'
        ? { category: 'none', weight: 0 }
        : { category: row.category, weight: weightOf(row.weight) },
    );
  }
  return db.transaction(async tx => {
    // Each capability's latest row before `day`, and the rows of `day`.
    const before = new Map<string, LoggedState>();
    const latestBefore = await tx(`${TABLE} as l`)
      .where(
        'l.day',
        '=',
        tx(`${TABLE} as p`)
          .max('p.day')
          .where('p.entity_ref', tx.ref('l.entity_ref'))
          .where('p.day', '<', day),
      )
      .select('l.entity_ref', 'l.category', 'l.weight');
    for (const row of latestBefore) before.set(row.entity_ref, stateOf(row));
    const onDay = new Map<string, LoggedState>();
    for (const row of await tx(TABLE)
      .where({ day })
      .select('entity_ref', 'category', 'weight')) {
      onDay.set(row.entity_ref, stateOf(row));
    }

    const upserts: Array<Record<string, unknown>> = [];
    const deletes: string[] = [];
    const refs = new Set([...wanted.keys(), ...before.keys(), ...onDay.keys()]);
    for (const ref of refs) {
      // Left the set: no longer counted from today.
      const state = wanted.get(ref) ?? { category: 'none', weight: 0 };
      const existing = onDay.get(ref);
      if (same(before.get(ref), state)) {
        if (existing) deletes.push(ref);
      } else if (!existing || !same(existing, state)) {
        upserts.push({
          entity_ref: ref,
          day,
          category: state.category,
          weight: state.weight,
        });
      }
    }
    for (let i = 0; i < upserts.length; i += INSERT_CHUNK) {
      await tx(TABLE)
        .insert(upserts.slice(i, i + INSERT_CHUNK))
        .onConflict(['entity_ref', 'day'])
        .merge(['category', 'weight']);
    }
    for (let i = 0; i < deletes.length; i += REF_CHUNK) {
      await tx(TABLE)
        .where({ day })
        .whereIn('entity_ref', deletes.slice(i, i + REF_CHUNK))
        .delete();
    }
    return upserts.length + deletes.length;
  });
}

/**
 * The log rows of every capability in `freeboard_capabilities` now: its
 * category and weight, `none` without a valid decision.
 */
export async function currentThicknessRows(
  db: Knex,
): Promise<ThicknessLogRow[]> {
  const capabilities = await db('freeboard_capabilities').select(
    'entity_ref',
    'decision',
    'base_capability',
    'consumer_teams',
  );
  return capabilities.map(c => ({
    entityRef: c.entity_ref,
    category:
      thicknessCategoryOf({
        decision: c.decision,
        baseCapability: c.base_capability,
      }) ?? 'none',
    weight: weightOf(c.consumer_teams),
  }));
}

/** Logs today's state of every capability (the daily snapshot). */
export async function snapshotThickness(
  db: Knex,
  now: Date = new Date(),
): Promise<{ capabilities: number; written: number }> {
  const rows = await currentThicknessRows(db);
  const written = await appendThicknessLog(db, rows, isoDay(now));
  return { capabilities: rows.length, written };
}
