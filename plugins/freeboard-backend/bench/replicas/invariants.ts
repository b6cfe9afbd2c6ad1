import { Knex } from 'knex';
import { replay } from '../../src/phases/domain/record';
import { createDatabasePhaseStores } from '../../src/phases/store/DatabasePhaseStore';
import { toDate } from '../../src/shared/database';
import {
  basisOf,
  bruteForceSums,
  storedSums,
  sumMismatches,
} from '../../src/trust/store/__testUtils__/trustStores';
import { FaultWindow } from './traffic';
import { Acknowledged } from './workload';

/*
 * What must hold after the load, read straight from the database the three
 * replicas shared. Each check names what it counted and every violation.
 */

export interface Check {
  name: string;
  /** How many things it looked at. */
  checked: number;
  violations: string[];
}

const FIRST = 20;

function check(name: string, checked: number, violations: string[]): Check {
  return { name, checked, violations: violations.slice(0, FIRST) };
}

/** Running sums, per-consumer sums and daily rows against the ledger. */
export async function trustSumsCheck(db: Knex): Promise<Check> {
  const at = new Date();
  const { halfLifeDays } = await basisOf(db);
  const stored = await storedSums(db, at);
  const expected = await bruteForceSums(db, at, halfLifeDays);
  const checked =
    expected.totals.size + expected.consumers.size + expected.daily.size;
  return check(
    'trust running sums, per-consumer sums and daily rows equal a recomputation from the ledger',
    checked,
    sumMismatches(stored, expected),
  );
}

/** Every key at most one entry; every acknowledged key exactly its entry. */
export async function idempotencyCheck(
  db: Knex,
  acknowledged: Acknowledged,
): Promise<Check> {
  const rows: { id: string | number; title: string }[] = await db(
    'trust_entries',
  )
    .where('title', 'like', 'Replica load %')
    .select('id', 'title');
  const byTitle = new Map<string, string[]>();
  for (const row of rows) {
    byTitle.set(row.title, [...(byTitle.get(row.title) ?? []), String(row.id)]);
  }
  const violations: string[] = [...acknowledged.replayMismatches];
  for (const [key, sent] of acknowledged.keysSent) {
    const ids = byTitle.get(sent.title) ?? [];
    if (ids.length > 1) violations.push(`key ${key}: ${ids.length} entries`);
    const ack = acknowledged.entries.get(key);
    if (ack && !(ids.length === 1 && ids[0] === ack.entryId)) {
      violations.push(
        `key ${key}: acknowledged entry ${ack.entryId}, ledger holds [${ids}]`,
      );
    }
  }
  return check(
    'per idempotency key at most one entry; every acknowledged entry is in the ledger',
    acknowledged.keysSent.size,
    violations,
  );
}

/** Every acknowledged revert is in the ledger, and nothing is reverted twice. */
export async function revertsCheck(
  db: Knex,
  acknowledged: Acknowledged,
): Promise<Check> {
  const violations: string[] = [];
  for (const [original, revert] of acknowledged.reverts) {
    const row = await db('trust_entries').where('id', revert).first();
    if (!row || String(row.reverts_entry_id) !== original) {
      violations.push(`revert ${revert} of ${original} is not in the ledger`);
    }
  }
  const twice = await db('trust_entries')
    .whereNotNull('reverts_entry_id')
    .groupBy('reverts_entry_id')
    .havingRaw('count(*) > 1')
    .select('reverts_entry_id');
  violations.push(
    ...twice.map(r => `entry ${r.reverts_entry_id} reverted twice`),
  );
  return check(
    'every acknowledged revert is in the ledger; no entry reverted twice',
    acknowledged.reverts.size,
    violations,
  );
}

/** One counted pulse per user, entity and window. */
export async function pulsesCheck(db: Knex): Promise<Check> {
  const [{ n }] = await db('trust_pulses').count({ n: '*' });
  const doubles = await db('trust_pulses')
    .groupBy('entity_id', 'user_id', 'window_start')
    .havingRaw('count(*) > 1')
    .select('entity_id', 'user_id', 'window_start');
  return check(
    'one counted pulse per user, entity and 7-day window',
    Number(n),
    doubles.map(
      d => `entity ${d.entity_id} user ${d.user_id} window ${d.window_start}`,
    ),
  );
}

/** Each initiative's stored projection against a replay of its events. */
export async function projectionsCheck(db: Knex): Promise<Check> {
  const { phases } = createDatabasePhaseStores({ client: db });
  const refs: string[] = (
    await db('freeboard_phase_initiatives').select('entity_ref')
  ).map(r => r.entity_ref);
  const violations: string[] = [];
  for (const ref of refs) {
    const events = (
      await phases.listEvents(ref, { limit: 1_000_000 })
    ).reverse();
    const gaps = events.findIndex((e, i) => e.version !== i + 1);
    if (gaps >= 0)
      violations.push(`${ref}: event versions have a gap at ${gaps + 1}`);
    const stored = await phases.getRecord(ref);
    const replayed = replay(ref, events);
    if (JSON.stringify(stored) !== JSON.stringify(replayed)) {
      violations.push(
        `${ref}: the projection (version ${stored?.version}) differs from a replay of ${events.length} events`,
      );
    }
  }
  return check(
    'every phase projection equals a replay of its events, versions without gaps',
    refs.length,
    violations,
  );
}

/** Every acknowledged phase write is an event with the version it answered. */
export async function phaseWritesCheck(
  db: Knex,
  acknowledged: Acknowledged,
): Promise<Check> {
  const violations: string[] = [];
  for (const write of acknowledged.phaseWrites) {
    const row = await db('freeboard_phase_events')
      .where({ entity_ref: write.entityRef, version: write.version })
      .first('version');
    if (!row) {
      violations.push(
        `${write.operation} on ${write.entityRef} answered version ${write.version}, which is not stored`,
      );
    }
  }
  return check(
    'every acknowledged phase write is stored with the version it answered',
    acknowledged.phaseWrites.length,
    violations,
  );
}

/** Of concurrent starts and transitions from one version, exactly one won. */
export async function contestsCheck(
  db: Knex,
  acknowledged: Acknowledged,
): Promise<Check> {
  const violations: string[] = [];
  let decided = 0;
  for (const contest of acknowledged.contests) {
    const won = contest.contenders.filter(
      c => c.status === 200 || c.status === 201,
    );
    const unanswered = contest.contenders.filter(
      c => c.status === 0 || c.status >= 500,
    );
    const label = `${contest.kind} of ${contest.entityRef} from version ${contest.fromVersion}`;
    if (won.length > 1) violations.push(`${label}: ${won.length} winners`);
    if (won.length === 0 && unanswered.length === 0) {
      violations.push(
        `${label}: no winner (${contest.contenders
          .map(c => c.status)
          .join(', ')})`,
      );
    }
    if (contest.kind === 'transition') {
      const event = await db('freeboard_phase_events')
        .where({
          entity_ref: contest.entityRef,
          version: contest.fromVersion + 1,
        })
        .first('reason', 'type');
      const reasons = contest.contenders.map(c => c.reason);
      if (won.length === 1 && event?.reason !== won[0].reason) {
        violations.push(
          `${label}: the stored event is not the winner's (${event?.reason})`,
        );
      }
      // A version-(n+1) event from a transition must be one contender's.
      if (event && /transition|advanced|stepped/i.test(String(event.type))) {
        if (!reasons.includes(event.reason)) {
          violations.push(`${label}: the stored transition is nobody's`);
        }
      }
    }
    if (won.length === 1) decided += 1;
  }
  return check(
    `of concurrent starts and transitions from one version exactly one wins (${decided} decided by a 2xx)`,
    acknowledged.contests.length,
    violations,
  );
}

export interface TaskRun {
  task_id: string;
  instance: string;
  started_at: Date;
  finished_at: Date | null;
  outcome: string;
}

/** A run as the report shows it: who, when (s into the load), how long. */
function describeRun(run: TaskRun, origin: number): string {
  const start = toDate(run.started_at).getTime();
  const took = run.finished_at
    ? `${toDate(run.finished_at).getTime() - start} ms`
    : 'unfinished';
  return `${run.instance} at ${((start - origin) / 1000).toFixed(
    1,
  )} s, ${took}, ${run.outcome}`;
}

/**
 * Every scheduled task ran once per period across the replicas: its runs
 * never overlap, no two start within one period (but the one catch-up the
 * scheduler makes right after a late run), and no period is skipped except
 * around a fault (a replica killed mid-run holds the task until its
 * timeout).
 */
export async function scheduledTasksCheck(
  db: Knex,
  options: {
    taskIds: string[];
    periodMs: number;
    timeoutMs: number;
    /** The window the check covers, in epoch ms. */
    from: number;
    to: number;
    faults: FaultWindow[];
    /** Epoch ms the fault windows are relative to. */
    faultOrigin: number;
  },
): Promise<{ check: Check; runs: Map<string, TaskRun[]> }> {
  const rows: TaskRun[] = await db('freeboard_task_runs')
    .whereIn('task_id', options.taskIds)
    .orderBy([
      { column: 'task_id' },
      { column: 'started_at' },
      { column: 'id' },
    ])
    .select('task_id', 'instance', 'started_at', 'finished_at', 'outcome');
  const all = new Map<string, TaskRun[]>();
  for (const id of options.taskIds) all.set(id, []);
  for (const row of rows) all.get(row.task_id)!.push(row);
  const startOf = (run: TaskRun) => toDate(run.started_at).getTime();
  const inWindow = (run: TaskRun) =>
    startOf(run) >= options.from && startOf(run) <= options.to;
  const runs = new Map(
    [...all.entries()].map(([task, list]) => [task, list.filter(inWindow)]),
  );
  // A fault's effects last until a run it killed has timed out.
  const nearFault = (a: number, b: number) =>
    options.faults.some(
      f =>
        options.faultOrigin + f.from <= b + options.periodMs &&
        options.faultOrigin + f.to + options.timeoutMs >= a - options.periodMs,
    );
  const violations: string[] = [];
  let checked = 0;
  let catchUps = 0;
  const periods = Math.floor((options.to - options.from) / options.periodMs);
  for (const [task, list] of all) {
    const counted = runs.get(task)!.length;
    if (counted === 0) {
      violations.push(`${task}: never ran`);
      continue;
    }
    if (counted > periods + 2) {
      violations.push(`${task}: ${counted} runs in ${periods} periods`);
    }
    for (let i = 1; i < list.length; i++) {
      if (!inWindow(list[i])) continue;
      checked += 1;
      const start = startOf(list[i]);
      const prevStart = startOf(list[i - 1]);
      const prevEnd = list[i - 1].finished_at
        ? toDate(list[i - 1].finished_at!).getTime()
        : undefined;
      if (prevEnd !== undefined && start < prevEnd) {
        violations.push(
          `${task}: runs overlap: ${describeRun(
            list[i - 1],
            options.faultOrigin,
          )}; then ${describeRun(list[i], options.faultOrigin)}`,
        );
      }
      // Polling may start a run late by up to 5 s (a third of a period
      // here), a run of the same period would follow within 5 s. A run
      // later than that (after a fault, or a run that outlasted its period)
      // makes Backstage's scheduler set the next start to the moment it
      // ends, so exactly one catch-up run follows at once.
      const previousWasLate =
        i >= 2 && prevStart - startOf(list[i - 2]) > 1.5 * options.periodMs;
      if (start - prevStart < options.periodMs / 2) {
        if (previousWasLate) catchUps += 1;
        else {
          violations.push(
            `${task}: two runs in one period, ${
              start - prevStart
            } ms apart: ${describeRun(
              list[i - 1],
              options.faultOrigin,
            )}; then ${describeRun(list[i], options.faultOrigin)}`,
          );
        }
      }
      const gap = start - prevStart;
      const allowed = nearFault(prevStart, start)
        ? options.timeoutMs + 3 * options.periodMs
        : 2 * options.periodMs;
      if (gap > allowed) {
        violations.push(
          `${task}: no run for ${gap} ms after ${describeRun(
            list[i - 1],
            options.faultOrigin,
          )}`,
        );
      }
    }
  }
  return {
    check: check(
      `every scheduled task ran once per period across the three replicas (${catchUps} catch-up runs after a late one)`,
      checked,
      violations,
    ),
    runs,
  };
}
