import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { toDate } from './database';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

const LEDGER = '20261121000000_trust_ledger.js';
const SECRETS = '20261122000000_secrets_and_locks.js';
const PHASES = '20261123000000_phases.js';
const DECISIONS = '20261124000000_decision_history.js';
const PORTFOLIO = '20261125000000_portfolio.js';
const CONSUMER_VIEW = '20261126000000_consumer_view.js';
const NOTIFICATIONS = '20261127000000_notifications.js';
const TASK_RUNS = '20261128000000_task_runs.js';
const PORTFOLIO_TABLES = [
  'freeboard_capabilities',
  'freeboard_capability_consumers',
  'freeboard_groups',
  'freeboard_capability_log',
];
const DECISION_TABLES = [
  'freeboard_decision_events',
  'freeboard_decision_state',
];
const PHASE_TABLES = [
  'freeboard_phase_initiatives',
  'freeboard_phase_events',
  'freeboard_phase_adoption',
  'freeboard_phase_adoption_days',
];

async function up(knex: Knex, name: string) {
  await knex.migrate.up({ directory: migrationsDir, name });
}

async function down(knex: Knex, name: string) {
  await knex.migrate.down({ directory: migrationsDir, name });
}

async function count(knex: Knex, table: string) {
  const [{ n }] = await knex(table).count({ n: '*' });
  return Number(n);
}

/** A row in each portfolio table, and the keys that refuse a second one. */
async function portfolioData(knex: Knex) {
  const ref = 'component:default/ci-pipelines';
  const at = new Date(Date.UTC(2026, 10, 25, 12, 0, 0, 123));
  const capability = {
    entity_ref: ref,
    kind: 'component',
    title: 'CI pipelines',
    owner_ref: 'group:default/platform-dx',
    system_ref: 'system:default/idp',
    decision: 'sink',
    base_capability: 'Hosted CI runners',
    replaced_by: null,
    review_by: '2027-03-31',
    problems: null,
    consumer_teams: 6,
    refreshed_at: at,
  };
  await knex('freeboard_capabilities').insert(capability);
  expect(
    await failure(knex('freeboard_capabilities').insert(capability)),
  ).toMatch(/unique|duplicate/i);
  const consumer = { team_ref: 'group:default/payments', entity_ref: ref };
  await knex('freeboard_capability_consumers').insert(consumer);
  expect(
    await failure(knex('freeboard_capability_consumers').insert(consumer)),
  ).toMatch(/unique|duplicate/i);
  await knex('freeboard_groups').insert({
    group_ref: 'group:default/platform-dx',
    parent_ref: 'group:default/platform-team',
  });
  const log = {
    entity_ref: ref,
    day: '2026-11-25',
    category: 'kept',
    weight: 6,
  };
  await knex('freeboard_capability_log').insert(log);
  expect(await failure(knex('freeboard_capability_log').insert(log))).toMatch(
    /unique|duplicate/i,
  );
  const [row] = await knex('freeboard_capabilities').where({ entity_ref: ref });
  expect(toDate(row.refreshed_at).getTime()).toBe(at.getTime());
}

async function failure(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return String(error);
  }
  return 'no error';
}

/**
 * A row in each phase table, and the keys that refuse a second one; dates
 * with milliseconds read back exactly.
 */
async function phaseData(knex: Knex, now: Date) {
  const ref = 'component:default/ci-pipelines';
  const at = new Date(Date.UTC(2026, 10, 23, 12, 0, 0, 123));
  await knex('freeboard_phase_initiatives').insert({
    entity_ref: ref,
    version: 1,
    iteration: 1,
    phase: 'discovery',
    record: '{}',
    started_at: at,
    updated_at: at,
  });
  const event = {
    entity_ref: ref,
    version: 1,
    type: 'started',
    occurred_at: at,
    actor_ref: 'user:default/ada',
    reason: null,
    data: '{}',
  };
  await knex('freeboard_phase_events').insert(event);
  await knex('freeboard_phase_adoption').insert({
    entity_ref: ref,
    team_ref: 'group:default/payments',
    adopted_since: now,
    lost_at: null,
  });
  await knex('freeboard_phase_adoption_days').insert({
    entity_ref: ref,
    day: '2026-11-23',
    adopted: 1,
  });
  for (const [table, row] of [
    [
      'freeboard_phase_initiatives',
      {
        entity_ref: ref,
        version: 2,
        iteration: 1,
        phase: 'integration',
        record: '{}',
        started_at: at,
        updated_at: at,
      },
    ],
    ['freeboard_phase_events', { ...event, type: 'advanced' }],
    [
      'freeboard_phase_adoption',
      {
        entity_ref: ref,
        team_ref: 'group:default/payments',
        adopted_since: now,
      },
    ],
    [
      'freeboard_phase_adoption_days',
      { entity_ref: ref, day: '2026-11-23', adopted: 2 },
    ],
  ] as const) {
    expect(await failure(knex(table).insert(row))).toMatch(/unique|duplicate/i);
  }
  // Another version of the same initiative is a new event.
  await knex('freeboard_phase_events').insert({ ...event, version: 2 });
  const [stored] = await knex('freeboard_phase_events')
    .where({ version: 1 })
    .select('occurred_at');
  expect(toDate(stored.occurred_at).toISOString()).toBe(at.toISOString());
}

/**
 * An event and a state row; the state's key refuses a second row, events of
 * one entity do not, and dates with milliseconds read back exactly.
 */
async function decisionData(knex: Knex) {
  const ref = 'component:default/ci-pipelines';
  const at = new Date(Date.UTC(2026, 10, 24, 12, 0, 0, 456));
  const event = {
    entity_ref: ref,
    type: 'changed',
    field: 'decision',
    old_value: 'sink',
    new_value: 'float',
    problems: null,
    observed_at: at,
  };
  await knex('freeboard_decision_events').insert(event);
  await knex('freeboard_decision_events').insert({
    ...event,
    type: 'invalid',
    field: null,
    problems: '["bad"]',
  });
  const state = {
    entity_ref: ref,
    annotations: '{"decision":"float"}',
    problems: null,
    observed_at: at,
  };
  await knex('freeboard_decision_state').insert(state);
  expect(await failure(knex('freeboard_decision_state').insert(state))).toMatch(
    /unique|duplicate/i,
  );
  const rows = await knex('freeboard_decision_events')
    .where({ entity_ref: ref })
    .orderBy('id', 'asc')
    .select('id', 'type', 'observed_at');
  expect(rows.map(r => r.type)).toEqual(['changed', 'invalid']);
  expect(Number(rows[1].id)).toBeGreaterThan(Number(rows[0].id));
  expect(toDate(rows[0].observed_at).toISOString()).toBe(at.toISOString());
}

/**
 * A sent event; its key refuses a second row, and its time reads back
 * exactly.
 */
async function notificationsData(knex: Knex) {
  const at = new Date(Date.UTC(2026, 10, 27, 12, 0, 0, 789));
  const sent = {
    event_key: 'reviewOverdue:component:default/ci-pipelines:2026-11-01',
    kind: 'reviewOverdue',
    entity_ref: 'component:default/ci-pipelines',
    sent_at: at,
  };
  await knex('freeboard_notifications_sent').insert(sent);
  expect(
    await failure(knex('freeboard_notifications_sent').insert(sent)),
  ).toMatch(/unique|duplicate/i);
  const [row] = await knex('freeboard_notifications_sent').select('sent_at');
  expect(toDate(row.sent_at).toISOString()).toBe(at.toISOString());
}

/**
 * A finished and a running run of one task; ids grow, the running one has
 * no end yet, and times with milliseconds read back exactly.
 */
async function taskRunsData(knex: Knex) {
  const at = new Date(Date.UTC(2026, 10, 28, 12, 0, 0, 321));
  const run = {
    task_id: 'freeboard-decisions-history',
    instance: 'backend-0:4242',
    started_at: at,
    finished_at: new Date(at.getTime() + 1500),
    outcome: 'succeeded',
  };
  await knex('freeboard_task_runs').insert(run);
  await knex('freeboard_task_runs').insert({
    ...run,
    started_at: new Date(at.getTime() + 600_000),
    finished_at: null,
    outcome: 'running',
  });
  expect(
    await failure(
      knex('freeboard_task_runs').insert({ ...run, outcome: null }),
    ),
  ).toMatch(/null/i);
  const rows = await knex('freeboard_task_runs')
    .where({ task_id: run.task_id })
    .orderBy('started_at', 'asc')
    .select('id', 'started_at', 'finished_at', 'outcome', 'error');
  expect(rows.map(r => r.outcome)).toEqual(['succeeded', 'running']);
  expect(Number(rows[1].id)).toBeGreaterThan(Number(rows[0].id));
  expect(toDate(rows[0].started_at).toISOString()).toBe(at.toISOString());
  expect(rows[1].finished_at).toBeNull();
  expect(rows[1].error).toBeNull();
}

const idOf = (row: unknown) =>
  typeof row === 'object' && row !== null ? (row as { id: number }).id : row;

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'go up one by one and down again with data on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      try {
        expect(await knex.migrate.list({ directory: migrationsDir })).toEqual([
          [],
          [
            expect.objectContaining({ file: LEDGER }),
            expect.objectContaining({ file: SECRETS }),
            expect.objectContaining({ file: PHASES }),
            expect.objectContaining({ file: DECISIONS }),
            expect.objectContaining({ file: PORTFOLIO }),
            expect.objectContaining({ file: CONSUMER_VIEW }),
            expect.objectContaining({ file: NOTIFICATIONS }),
            expect.objectContaining({ file: TASK_RUNS }),
          ],
        ]);

        // The ledger.
        await up(knex, LEDGER);
        expect(await knex.schema.hasTable('freeboard_secrets')).toBe(false);
        const [ref] = await knex('freeboard_refs')
          .insert({ ref: 'component:default/ci-pipelines' })
          .returning('id');
        const entityId = idOf(ref);
        const now = new Date();
        const [inserted] = await knex('trust_entries')
          .insert({
            entity_id: entityId,
            direction: 'earn',
            category: 'pain-point-removed',
            amount: 5,
            title: 'Cached builds',
            occurred_at: now,
            recorded_at: now,
            recorded_by_id: entityId,
            source: 'manual',
          })
          .returning('id');
        const entryId = idOf(inserted);
        // An entry can be reverted only once.
        const revert = {
          entity_id: entityId,
          direction: 'spend',
          category: 'pain-point-removed',
          amount: 5,
          title: 'Revert',
          occurred_at: now,
          recorded_at: now,
          recorded_by_id: entityId,
          source: 'manual',
          reverts_entry_id: entryId,
        };
        await knex('trust_entries').insert(revert);
        expect(await failure(knex('trust_entries').insert(revert))).toMatch(
          /unique/i,
        );
        await knex('trust_landmark').insert({
          id: 1,
          landmark_ms: now.getTime(),
          half_life_days: 180,
        });
        expect(await count(knex, 'trust_entries')).toBe(2);

        // Secrets and locks, on top of the ledger with data.
        await up(knex, SECRETS);
        await knex('freeboard_secrets').insert({
          name: 'cursor-key',
          value: 'k'.repeat(44),
        });
        expect(
          await failure(
            knex('freeboard_secrets').insert({
              name: 'cursor-key',
              value: 'other',
            }),
          ),
        ).toMatch(/unique|duplicate/i);
        await knex('freeboard_locks').insert({
          name: 'trust-ledger-task:seed',
          holder: 'a',
          expires_at: now,
        });
        expect(
          await failure(
            knex('freeboard_locks').insert({
              name: 'trust-ledger-task:seed',
              holder: 'b',
              expires_at: now,
            }),
          ),
        ).toMatch(/unique|duplicate/i);
        expect(await count(knex, 'trust_entries')).toBe(2);

        // Phases, on top of both with data.
        await up(knex, PHASES);
        await phaseData(knex, now);

        // Decision history, on top of all with data, down and up again.
        await up(knex, DECISIONS);
        await decisionData(knex);

        // The portfolio and the consumer view's indexes, on top of all.
        await up(knex, PORTFOLIO);
        await portfolioData(knex);
        await up(knex, CONSUMER_VIEW);
        expect(await count(knex, 'trust_entries')).toBe(2);

        // What notifications were sent, once per event, on top of all.
        await up(knex, NOTIFICATIONS);
        await notificationsData(knex);

        // The scheduled tasks' runs, on top of all.
        await up(knex, TASK_RUNS);
        await taskRunsData(knex);
        expect(await knex.migrate.list({ directory: migrationsDir })).toEqual([
          [
            expect.objectContaining({ name: LEDGER }),
            expect.objectContaining({ name: SECRETS }),
            expect.objectContaining({ name: PHASES }),
            expect.objectContaining({ name: DECISIONS }),
            expect.objectContaining({ name: PORTFOLIO }),
            expect.objectContaining({ name: CONSUMER_VIEW }),
            expect.objectContaining({ name: NOTIFICATIONS }),
            expect.objectContaining({ name: TASK_RUNS }),
          ],
          [],
        ]);
        await down(knex, TASK_RUNS);
        expect(await knex.schema.hasTable('freeboard_task_runs')).toBe(false);
        expect(await count(knex, 'freeboard_notifications_sent')).toBe(1);
        await up(knex, TASK_RUNS);
        expect(await count(knex, 'freeboard_task_runs')).toBe(0);
        await taskRunsData(knex);
        await down(knex, TASK_RUNS);
        await down(knex, NOTIFICATIONS);
        expect(await knex.schema.hasTable('freeboard_notifications_sent')).toBe(
          false,
        );
        expect(await count(knex, 'freeboard_capabilities')).toBe(1);
        await up(knex, NOTIFICATIONS);
        expect(await count(knex, 'freeboard_notifications_sent')).toBe(0);
        await notificationsData(knex);
        await down(knex, NOTIFICATIONS);
        await down(knex, CONSUMER_VIEW);
        expect(await count(knex, 'trust_entries')).toBe(2);
        await down(knex, PORTFOLIO);
        for (const table of PORTFOLIO_TABLES) {
          expect(await knex.schema.hasTable(table)).toBe(false);
        }
        await up(knex, PORTFOLIO);
        expect(await count(knex, 'freeboard_capabilities')).toBe(0);
        await portfolioData(knex);
        await down(knex, PORTFOLIO);

        await down(knex, DECISIONS);
        for (const table of DECISION_TABLES) {
          expect(await knex.schema.hasTable(table)).toBe(false);
        }
        expect(await count(knex, 'freeboard_phase_events')).toBe(2);
        await up(knex, DECISIONS);
        expect(await count(knex, 'freeboard_decision_events')).toBe(0);
        await decisionData(knex);
        await down(knex, DECISIONS);

        // Down one step: the tables below keep their data; up again is empty.
        await down(knex, PHASES);
        for (const table of PHASE_TABLES) {
          expect(await knex.schema.hasTable(table)).toBe(false);
        }
        expect(await count(knex, 'freeboard_secrets')).toBe(1);
        expect(await count(knex, 'trust_entries')).toBe(2);
        await up(knex, PHASES);
        expect(await count(knex, 'freeboard_phase_events')).toBe(0);
        await phaseData(knex, now);
        await down(knex, PHASES);

        // Down one step: the ledger keeps its data.
        await down(knex, SECRETS);
        expect(await knex.schema.hasTable('freeboard_secrets')).toBe(false);
        expect(await knex.schema.hasTable('freeboard_locks')).toBe(false);
        expect(await count(knex, 'trust_entries')).toBe(2);
        expect(await count(knex, 'trust_landmark')).toBe(1);

        // And up again, then all the way down.
        await up(knex, SECRETS);
        expect(await count(knex, 'freeboard_secrets')).toBe(0);
        await down(knex, SECRETS);
        await down(knex, LEDGER);
        for (const table of [
          'freeboard_refs',
          'trust_entries',
          'trust_landmark',
          'trust_totals',
          'trust_consumer_totals',
          'trust_daily',
          'trust_pulses',
          'trust_idempotency',
        ]) {
          expect(await knex.schema.hasTable(table)).toBe(false);
        }

        // From nothing to the latest in one go, as a new installation does.
        await knex.migrate.latest({ directory: migrationsDir });
        expect(await knex.schema.hasTable('freeboard_locks')).toBe(true);
        for (const table of [
          ...PHASE_TABLES,
          ...DECISION_TABLES,
          'freeboard_notifications_sent',
          'freeboard_task_runs',
        ]) {
          expect(await knex.schema.hasTable(table)).toBe(true);
        }
        await knex.migrate.rollback({ directory: migrationsDir }, true);
        expect(await knex.schema.hasTable('freeboard_refs')).toBe(false);
        for (const table of [
          ...PHASE_TABLES,
          ...DECISION_TABLES,
          'freeboard_task_runs',
        ]) {
          expect(await knex.schema.hasTable(table)).toBe(false);
        }
      } finally {
        await knex.destroy();
      }
    },
  );
});
