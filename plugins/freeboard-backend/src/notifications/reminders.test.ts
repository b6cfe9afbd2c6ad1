import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseDecisionHistoryStore } from '../decisions/store';
import { InitiativeRecord } from '../phases/domain/record';
import { PhaseStore } from '../phases/store/PhaseStore';
import { NOTIFICATION_KINDS } from './kinds';
import { NotificationSender } from './NotificationSender';
import { SENT_RETENTION_DAYS, sendReminders } from './reminders';
import { SentStore } from './SentStore';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

const NOW = new Date('2026-11-21T12:00:00.000Z');
const DAY = 86_400_000;
const CI = 'component:default/ci-pipelines';
const ALL_ON = Object.fromEntries(
  NOTIFICATION_KINDS.map(k => [k, true]),
) as any;

/** Two reviews overdue, one not yet; one waiver expiring in 3 days. */
async function seed(knex: Knex) {
  const state = (entityRef: string, reviewBy: string) => ({
    entity_ref: entityRef,
    annotations: JSON.stringify({ decision: 'sink', reviewBy }),
    problems: null,
    observed_at: NOW,
  });
  await knex('freeboard_decision_state').insert([
    state(CI, '2026-11-01'),
    state('component:default/docs', '2026-10-01'),
    state('component:default/later', '2027-06-01'),
  ]);
}

const RECORD: InitiativeRecord = {
  entityRef: CI,
  version: 4,
  startedAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-02T00:00:00.000Z',
  iteration: 1,
  phase: 'discovery',
  criteria: [
    {
      id: 'discovery.outcomes',
      phase: 'discovery',
      title: 'Outcomes agreed',
      source: 'template',
    },
  ],
  marks: {
    'discovery.outcomes': {
      state: 'waived',
      by: 'user:default/lead',
      at: '2026-11-02T00:00:00.000Z',
      waiverExpiresAt: new Date(NOW.getTime() + 3 * DAY).toISOString(),
    },
  },
  signoffs: [],
  dates: {},
  targets: {},
  cohorts: [],
};

/** The initiatives' reads the reminders use. */
const phases = {
  listInitiatives: async ({ afterEntityRef }: { afterEntityRef?: string }) =>
    afterEntityRef ? [] : [CI],
  getRecords: async (refs: string[]) => (refs.includes(CI) ? [RECORD] : []),
} as unknown as PhaseStore;

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('reminders on %s', databaseId => {
  let knex: Knex;
  beforeEach(async () => {
    knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory: migrationsDir });
    await seed(knex);
  });
  afterEach(async () => {
    await knex.destroy();
  });

  function run(send: jest.Mock, kinds = ALL_ON) {
    const logger = mockServices.logger.mock();
    return sendReminders({
      phases,
      decisions: new DatabaseDecisionHistoryStore(knex),
      sent: new SentStore(knex),
      sender: new NotificationSender({
        notifications: { send },
        logger,
        config: { kinds },
      }),
      logger,
      now: () => NOW,
    });
  }

  it('sends each event once, however many runs race for it', async () => {
    const send = jest.fn(async () => {});
    const results = await Promise.all([run(send), run(send), run(send)]);
    const titles = (send.mock.calls as any[]).map(
      ([options]) => options.payload.title,
    );
    expect(titles.sort()).toEqual([
      'A waiver of ci-pipelines expires on 2026-11-24',
      'The float-or-sink review of ci-pipelines is overdue',
      'The float-or-sink review of docs is overdue',
    ]);
    expect(
      results.reduce((n, r) => n + r.reviewsOverdue + r.waiversExpiring, 0),
    ).toBe(3);
    // A later run, as on the next day: nothing new.
    await run(send);
    expect(send).toHaveBeenCalledTimes(3);
    const keys = (
      await knex('freeboard_notifications_sent')
        .orderBy('event_key')
        .select('event_key')
    ).map(r => r.event_key);
    expect(keys).toEqual([
      `reviewOverdue:${CI}:2026-11-01`,
      'reviewOverdue:component:default/docs:2026-10-01',
      `waiverExpiring:${CI}:discovery.outcomes:${RECORD.marks['discovery.outcomes'].waiverExpiresAt}`,
    ]);
  });

  it('sends a review moved to a new date that passes in turn', async () => {
    const send = jest.fn(async () => {});
    await run(send);
    await knex('freeboard_decision_state')
      .where({ entity_ref: CI })
      .update({
        annotations: JSON.stringify({
          decision: 'sink',
          reviewBy: '2026-11-15',
        }),
      });
    await run(send);
    expect(send).toHaveBeenCalledTimes(4);
  });

  it('gives the claim back when the send fails, so the next run sends it', async () => {
    const failing = jest.fn(async () => {
      throw new Error('notifications backend down');
    });
    await run(failing);
    expect(failing).toHaveBeenCalledTimes(3);
    expect(await knex('freeboard_notifications_sent').select()).toEqual([]);
    const send = jest.fn(async () => {});
    await run(send);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('neither sends nor claims a kind switched off', async () => {
    const send = jest.fn(async () => {});
    await run(send, { ...ALL_ON, reviewOverdue: false });
    expect(send).toHaveBeenCalledTimes(1);
    await run(send);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('forgets claims after the retention', async () => {
    const sent = new SentStore(knex);
    const old = new Date(NOW.getTime() - (SENT_RETENTION_DAYS + 1) * DAY);
    expect(
      await sent.claim(
        { eventKey: 'old', kind: 'reviewOverdue', entityRef: CI },
        old,
      ),
    ).toBe(true);
    expect(
      await sent.claim(
        { eventKey: 'old', kind: 'reviewOverdue', entityRef: CI },
        NOW,
      ),
    ).toBe(false);
    await run(jest.fn(async () => {}));
    expect(
      await knex('freeboard_notifications_sent').where({ event_key: 'old' }),
    ).toEqual([]);
  });
});
