import { TrustLedgerEntry } from '@freeboard/backstage-plugin-common';
import { DecisionState } from '../decisions/store';
import { PhaseEvent, PhaseEventData } from '../phases/domain/events';
import { InitiativeRecord } from '../phases/domain/record';
import {
  contributionOf,
  expiringWaivers,
  overdueReviews,
  phaseNotifications,
  trustNotifications,
} from './rules';

const CI = 'component:default/ci-pipelines';
const LEAD = 'user:default/lead';
const SECURITY = 'group:default/security';
const TEAM_A = 'group:default/team-a';
const LEVELS = { healthy: 20, strong: 60 };

function record(overrides: Partial<InitiativeRecord> = {}): InitiativeRecord {
  return {
    entityRef: CI,
    version: 3,
    startedAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-02T00:00:00.000Z',
    iteration: 1,
    phase: 'discovery',
    criteria: [],
    marks: {},
    signoffs: [],
    dates: {},
    targets: {},
    cohorts: [],
    ...overrides,
  };
}

function event(data: PhaseEventData, reason?: string): PhaseEvent {
  return {
    version: 3,
    occurredAt: '2026-11-02T00:00:00.000Z',
    actorRef: LEAD,
    ...(reason ? { reason } : {}),
    data,
  };
}

describe('phase notifications', () => {
  it('sends a requested sign-off to the stakeholder group, not to the requester', () => {
    const [n, ...rest] = phaseNotifications(
      CI,
      [
        event({
          type: 'signoff-requested',
          phase: 'discovery',
          groupRef: SECURITY,
        }),
      ],
      record(),
    );
    expect(rest).toEqual([]);
    expect(n).toMatchObject({
      kind: 'signoffRequested',
      recipients: [SECURITY],
      excludeRef: LEAD,
      link: '/catalog/default/component/ci-pipelines/phases',
      severity: 'high',
      scope: `freeboard:signoffRequested:${CI}:${SECURITY}`,
    });
    expect(n.title).toContain('ci-pipelines');
    expect(n.title).toContain('Discovery');
  });

  it.each([
    ['approved', 'given', 'normal'],
    ['rejected', 'rejected', 'high'],
  ] as const)(
    'sends a %s sign-off to the initiative owners',
    (decision, word, severity) => {
      const [n] = phaseNotifications(
        CI,
        [
          {
            ...event({
              type: 'signoff-decided',
              phase: 'discovery',
              groupRef: SECURITY,
              decision,
              comment: 'Threat model reviewed',
            }),
            actorRef: 'user:default/sam',
          },
        ],
        record(),
      );
      expect(n).toMatchObject({
        kind: 'signoffDecided',
        recipients: [CI],
        excludeRef: 'user:default/sam',
        severity,
        scope: `freeboard:signoffDecided:${CI}:${SECURITY}`,
      });
      expect(n.title).toContain(word);
      expect(n.description).toContain('Threat model reviewed');
    },
  );

  it('sends an advance and a step back to the owners and the pioneer team', () => {
    const notifications = phaseNotifications(
      CI,
      [
        event({
          type: 'advanced',
          from: 'discovery',
          to: 'integration',
          iteration: 1,
        }),
        event(
          { type: 'stepped-back', from: 'integration', to: 'discovery' },
          'Golden paths were wrong',
        ),
      ],
      record({ pioneerTeamRef: TEAM_A }),
    );
    expect(notifications.map(n => [n.kind, n.recipients, n.scope])).toEqual([
      ['phaseChanged', [CI, TEAM_A], `freeboard:phaseChanged:${CI}`],
      ['phaseChanged', [CI, TEAM_A], `freeboard:phaseChanged:${CI}`],
    ]);
    expect(notifications[0].title).toContain('advanced to Integration');
    expect(notifications[1].title).toContain('stepped back to Discovery');
    expect(notifications[1].description).toContain('Golden paths were wrong');
  });

  it('sends a phase change to the owners alone without a pioneer team', () => {
    const [n] = phaseNotifications(
      CI,
      [
        event({
          type: 'advanced',
          from: 'discovery',
          to: 'integration',
          iteration: 1,
        }),
      ],
      record(),
    );
    expect(n.recipients).toEqual([CI]);
  });

  it('stays quiet about every other change', () => {
    expect(
      phaseNotifications(
        CI,
        [
          event({
            type: 'criterion-set',
            id: 'discovery.outcomes',
            state: 'done',
          }),
          event({ type: 'pioneer-set', teamRef: TEAM_A }),
          event({ type: 'target-set', phase: 'discovery', date: '2027-01-01' }),
          event({ type: 'criterion-removed', id: 'own-4' }),
        ],
        record(),
      ),
    ).toEqual([]);
  });
});

function entry(overrides: Partial<TrustLedgerEntry> = {}): TrustLedgerEntry {
  return {
    id: '7',
    entityRef: CI,
    direction: 'spend',
    category: 'migration',
    amount: 10,
    title: 'Move to the new runners',
    occurredAt: '2026-11-21T12:00:00.000Z',
    recordedAt: '2026-11-21T12:00:00.000Z',
    recordedBy: LEAD,
    source: 'manual',
    ...overrides,
  };
}

const kinds = (ns: Array<{ kind: string }>) => ns.map(n => n.kind);

describe('trust notifications', () => {
  it('tells the owners when the level falls to thin', () => {
    const [n, ...rest] = trustNotifications(
      entry(),
      { entity: { before: 25, after: 15 } },
      LEVELS,
    );
    expect(rest).toEqual([]);
    expect(n).toMatchObject({
      kind: 'trustLevelFell',
      recipients: [CI],
      excludeRef: LEAD,
      severity: 'high',
      link: '/catalog/default/component/ci-pipelines/trust-credits',
      scope: `freeboard:trustLevelFell:${CI}`,
    });
    expect(n.title).toContain('thin');
  });

  it('tells the owners, critically, when the level falls to overdrawn, even from thin', () => {
    const [n] = trustNotifications(
      entry(),
      { entity: { before: 5, after: -5 } },
      LEVELS,
    );
    expect(n).toMatchObject({ kind: 'trustLevelFell', severity: 'critical' });
    expect(n.title).toContain('overdrawn');
  });

  it('says nothing while the level stays, rises, or falls but stays healthy', () => {
    for (const [before, after] of [
      [15, 12],
      [-5, -8],
      [15, 25],
      [70, 30],
    ]) {
      expect(
        trustNotifications(entry(), { entity: { before, after } }, LEVELS),
      ).toEqual([]);
    }
  });

  it('tells the owners and the team when a consumer becomes overdrawn, and the team of the spend', () => {
    const notifications = trustNotifications(
      entry({ consumerRef: TEAM_A }),
      {
        entity: { before: 80, after: 70 },
        consumer: { before: 4, after: -6 },
      },
      LEVELS,
    );
    expect(
      notifications.map(n => [n.kind, n.recipients, n.severity, n.scope]),
    ).toEqual([
      [
        'consumerOverdrawn',
        [CI, TEAM_A],
        'high',
        `freeboard:consumerOverdrawn:${CI}:${TEAM_A}`,
      ],
      [
        'spendRecorded',
        [TEAM_A],
        'normal',
        `freeboard:spendRecorded:${CI}:${TEAM_A}`,
      ],
    ]);
  });

  it('does not repeat the overdraft of a consumer already overdrawn', () => {
    expect(
      kinds(
        trustNotifications(
          entry({ consumerRef: TEAM_A }),
          {
            entity: { before: 80, after: 70 },
            consumer: { before: -1, after: -11 },
          },
          LEVELS,
        ),
      ),
    ).toEqual(['spendRecorded']);
  });

  it('tells a team of a spend against it, but not of an earning or a correction', () => {
    const around = {
      entity: { before: 80, after: 90 },
      consumer: { before: 5, after: 15 },
    };
    expect(
      kinds(trustNotifications(entry({ consumerRef: TEAM_A }), around, LEVELS)),
    ).toEqual(['spendRecorded']);
    expect(
      trustNotifications(
        entry({ consumerRef: TEAM_A, direction: 'earn' }),
        around,
        LEVELS,
      ),
    ).toEqual([]);
    expect(
      trustNotifications(
        entry({ consumerRef: TEAM_A, revertsEntryId: '3' }),
        around,
        LEVELS,
      ),
    ).toEqual([]);
    // Without a consumer, there is no team to tell.
    expect(trustNotifications(entry(), around, LEVELS)).toEqual([]);
  });

  it('works the balance before an entry out of the balance after it', () => {
    const at = new Date('2026-11-21T12:00:00.000Z');
    expect(contributionOf(entry(), at, 180)).toBe(-10);
    expect(contributionOf(entry({ direction: 'earn' }), at, 180)).toBe(10);
    // An entry that happened one half-life ago counts half.
    const old = entry({ occurredAt: '2026-05-25T12:00:00.000Z' });
    expect(contributionOf(old, at, 180)).toBeCloseTo(-5, 6);
  });
});

describe('reminders', () => {
  const NOW = new Date('2026-11-21T12:00:00.000Z');

  function state(
    entityRef: string,
    values: DecisionState['values'],
    problems?: string[],
  ): DecisionState {
    return {
      entityRef,
      values,
      ...(problems ? { problems } : {}),
      observedAt: NOW,
    };
  }

  it('announces each overdue review to the owners, keyed by its date', () => {
    const reminders = overdueReviews(
      [
        state(CI, { decision: 'sink', reviewBy: '2026-11-20' }),
        state('component:default/due-today', {
          decision: 'float',
          reviewBy: '2026-11-21',
        }),
        state('component:default/later', {
          decision: 'float',
          reviewBy: '2027-01-01',
        }),
        state('component:default/no-decision', { reviewBy: '2026-01-01' }),
        state(
          'component:default/invalid',
          { decision: 'sink', reviewBy: '2026-01-01' },
          ['bad'],
        ),
      ],
      NOW,
    );
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({
      eventKey: `reviewOverdue:${CI}:2026-11-20`,
      entityRef: CI,
      notification: {
        kind: 'reviewOverdue',
        recipients: [CI],
        link: '/catalog/default/component/ci-pipelines',
        severity: 'high',
        scope: `freeboard:reviewOverdue:${CI}`,
      },
    });
  });

  it('announces waivers that expire within 7 days to the owners, keyed by the expiry', () => {
    const waived = (waiverExpiresAt: string) => ({
      state: 'waived' as const,
      by: LEAD,
      at: '2026-11-01T00:00:00.000Z',
      waiverExpiresAt,
    });
    const criteria = ['a', 'b', 'c', 'd'].map(id => ({
      id,
      phase: 'discovery' as const,
      title: `Criterion ${id}`,
      source: 'own' as const,
    }));
    const reminders = expiringWaivers(
      [
        record({
          criteria,
          marks: {
            a: waived('2026-11-25T00:00:00.000Z'),
            b: waived('2026-11-29T00:00:00.000Z'),
            c: waived('2026-11-20T00:00:00.000Z'),
            d: { state: 'done', by: LEAD, at: '2026-11-01T00:00:00.000Z' },
          },
        }),
      ],
      NOW,
    );
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({
      eventKey: `waiverExpiring:${CI}:a:2026-11-25T00:00:00.000Z`,
      notification: {
        kind: 'waiverExpiring',
        recipients: [CI],
        link: '/catalog/default/component/ci-pipelines/phases',
        scope: `freeboard:waiverExpiring:${CI}:a`,
      },
    });
    expect(reminders[0].notification.description).toContain('Criterion a');
  });
});
