import { ConflictError, InputError } from '@backstage/errors';
import {
  ImportedPhaseEvent,
  ImportedPhaseEventData,
} from '@freeboard/backstage-plugin-node';
import { Knex } from 'knex';
import { evaluate } from './domain/evaluate';
import { replay } from './domain/record';
import { createPhasesModuleWriter } from './moduleWriter';
import { CONFIG, DAY_MS } from './store/__testUtils__/initiatives';
import { phaseTestSetup } from './store/__testUtils__/phaseStores';

jest.setTimeout(120_000);

/*
 * Importing an initiative's history through the module writer, on SQLite and
 * PostgreSQL: a good history lands as events whose replay is the projection;
 * a bad one is refused, naming the event, with nothing written.
 */

const NOW = new Date('2026-11-21T12:00:00.000Z');
const ENTITY = 'component:default/kubernetes-runtime';
const ADA = 'user:default/ada.platform';
const SAM = 'user:default/sam.security';
const SECURITY = 'group:default/security';
const PAYMENTS = 'group:default/payments';

const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY_MS);

function ev(
  days: number,
  data: ImportedPhaseEventData,
  extra: Partial<ImportedPhaseEvent> = {},
): ImportedPhaseEvent {
  return { occurredAt: daysAgo(days), actorRef: ADA, data, ...extra };
}

/** Discovery done, Integration entered, a criterion of its own, a waiver. */
function history(): ImportedPhaseEvent[] {
  return [
    ev(100, { type: 'started' }),
    ev(99, { type: 'pioneer-set', teamRef: PAYMENTS }),
    ev(99, { type: 'target-set', phase: 'discovery', date: '2026-09-01' }),
    ...[
      'technical-outcomes',
      'golden-paths',
      'project-management',
      'production-out-of-scope',
    ].map(id =>
      ev(90, {
        type: 'criterion-set',
        id: `discovery.${id}`,
        state: 'done',
      }),
    ),
    ev(
      88,
      {
        type: 'criterion-set',
        id: 'discovery.stakeholders-engaged',
        state: 'waived',
      },
      { reason: 'Leadership engaged through the steering group' },
    ),
    ...['security', 'data-governance', 'finance'].map(g =>
      ev(
        85,
        {
          type: 'signoff-decided',
          phase: 'discovery',
          groupRef: `group:default/${g}`,
          decision: 'approve',
          comment: 'Fine by us',
        },
        { actorRef: g === 'security' ? SAM : `user:default/${g}` },
      ),
    ),
    ev(84, { type: 'advanced', to: 'integration' }),
    // Index 12 becomes version 13: the criterion is own-13.
    ev(80, {
      type: 'criterion-added',
      phase: 'integration',
      title: 'Network policies reviewed',
    }),
    ev(79, { type: 'criterion-set', id: 'own-13', state: 'done' }),
    ev(78, {
      type: 'cohort-added',
      name: 'Wave 1',
      targetDate: '2027-01-15',
      teamRefs: [PAYMENTS, 'group:default/checkout'],
    }),
    ev(77, {
      type: 'cohort-updated',
      id: 'cohort-15',
      name: 'Wave 1',
      targetDate: '2027-02-01',
      teamRefs: [PAYMENTS],
    }),
    ev(76, {
      type: 'signoff-requested',
      phase: 'integration',
      groupRef: SECURITY,
    }),
  ];
}

const { databases, setup } = phaseTestSetup();

describe.each(databases.eachSupportedId())('module imports on %p', id => {
  async function writerOn(existing?: Set<string>) {
    const { knex, phases } = await setup(id);
    const writer = createPhasesModuleWriter({
      phases,
      config: CONFIG,
      now: () => NOW,
      existing: existing
        ? async refs => new Set(refs.filter(r => existing.has(r)))
        : undefined,
    });
    return { knex, phases, writer };
  }

  const count = async (knex: Knex) => {
    const [{ n }] = await knex('freeboard_phase_events').count({ n: '*' });
    return Number(n);
  };

  it('imports a history whose replay is the projection', async () => {
    const { phases, writer } = await writerOn();
    expect(await writer.hasInitiative(ENTITY)).toBe(false);
    await writer.importInitiative(ENTITY, history());
    expect(
      await writer.hasInitiative('Component:default/Kubernetes-Runtime'),
    ).toBe(true);

    const record = (await phases.getRecord(ENTITY))!;
    const events = (await phases.listEvents(ENTITY, { limit: 100 })).reverse();
    expect(events).toHaveLength(history().length);
    expect(replay(ENTITY, events)).toEqual(record);
    expect(record).toMatchObject({
      version: 17,
      iteration: 1,
      phase: 'integration',
      pioneerTeamRef: PAYMENTS,
      startedAt: daysAgo(100).toISOString(),
      updatedAt: daysAgo(76).toISOString(),
      cohorts: [
        {
          id: 'cohort-15',
          name: 'Wave 1',
          targetDate: '2027-02-01',
          teamRefs: [PAYMENTS],
        },
      ],
    });
    expect(record.marks['discovery.stakeholders-engaged']).toEqual({
      state: 'waived',
      by: ADA,
      at: daysAgo(88).toISOString(),
      reason: 'Leadership engaged through the steering group',
      // The default waiver length, counted from when it was given.
      waiverExpiresAt: new Date(
        daysAgo(88).getTime() + 90 * DAY_MS,
      ).toISOString(),
    });
    expect(record.marks['own-13']).toMatchObject({ state: 'done' });
    expect(
      record.signoffs.find(
        s => s.phase === 'discovery' && s.groupRef === SECURITY,
      ),
    ).toMatchObject({ state: 'approved', decidedBy: SAM });
    // The requested security sign-off blocks Integration now.
    const { blockers } = evaluate(
      record,
      { adoptedTeams: new Set(), decisionValid: false },
      NOW,
    );
    expect(blockers.map(b => b.id)).toEqual([
      'integration.infrastructure-built',
      'integration.components-connected',
      SECURITY,
    ]);
    // The events keep their back-dated times, in order.
    expect(events.map(e => e.occurredAt)).toEqual(
      history().map(e => e.occurredAt.toISOString()),
    );
  });

  it('refuses an initiative that has started, changing nothing', async () => {
    const { knex, writer } = await writerOn();
    await writer.importInitiative(ENTITY, history().slice(0, 3));
    await expect(
      writer.importInitiative(ENTITY, history()),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await count(knex)).toBe(3);
  });

  const refusals: Array<[string, () => ImportedPhaseEvent[], string]> = [
    ['an empty history', () => [], 'events: must hold at least'],
    [
      'a history that does not start with started',
      () => history().slice(1),
      'events[0] (pioneer-set): the first event must be started',
    ],
    [
      'a second started',
      () => [...history(), ev(1, { type: 'started' })],
      'events[17] (started): only the first event may be started',
    ],
    [
      'an advance that skips a phase',
      () => [...history(), ev(1, { type: 'advanced', to: 'adoption' })],
      'events[17] (advanced): to: from integration the initiative advances to deployment, not adoption',
    ],
    [
      'a step back without a reason',
      () => [...history(), ev(1, { type: 'stepped-back', to: 'discovery' })],
      'events[17] (stepped-back): reason: is required to step back',
    ],
    [
      'a step back that goes forward',
      () => [
        ...history(),
        ev(1, { type: 'stepped-back', to: 'deployment' }, { reason: 'x' }),
      ],
      'events[17] (stepped-back): to: deployment is not earlier than integration',
    ],
    [
      'a tick of a measured criterion',
      () => [
        ...history(),
        ev(1, {
          type: 'criterion-set',
          id: 'discovery.pioneer-selected',
          state: 'done',
        }),
      ],
      'is measured from the catalog',
    ],
    [
      'a tick of an unknown criterion',
      () => [
        ...history(),
        ev(1, { type: 'criterion-set', id: 'own-99', state: 'done' }),
      ],
      'events[17] (criterion-set): No criterion own-99',
    ],
    [
      'a waiver without a reason',
      () => [
        ...history(),
        ev(1, {
          type: 'criterion-set',
          id: 'integration.infrastructure-built',
          state: 'waived',
        }),
      ],
      'reason: is required to waive',
    ],
    [
      'a waiver longer than the maximum',
      () => [
        ...history(),
        ev(
          1,
          {
            type: 'criterion-set',
            id: 'integration.infrastructure-built',
            state: 'waived',
            waiverExpiresAt: new Date(NOW.getTime() + 400 * DAY_MS),
          },
          { reason: 'later' },
        ),
      ],
      'waiverExpiresAt: must be at most 365 days ahead',
    ],
    [
      'a decision on a sign-off nobody asked for',
      () => [
        ...history(),
        ev(1, {
          type: 'signoff-decided',
          phase: 'deployment',
          groupRef: SECURITY,
          decision: 'approve',
        }),
      ],
      'No sign-off of group:default/security is asked for on deployment',
    ],
    [
      'events out of order',
      () => [...history(), ev(200, { type: 'pioneer-set', teamRef: null })],
      'events[17] (pioneer-set): occurredAt: must not be before the previous event',
    ],
    [
      'an event in the future',
      () => [...history(), ev(-1, { type: 'pioneer-set', teamRef: null })],
      'occurredAt: must not be in the future',
    ],
    [
      'an invalid date',
      () => [
        ...history(),
        {
          ...ev(1, { type: 'pioneer-set', teamRef: null }),
          occurredAt: new Date('x'),
        },
      ],
      'occurredAt: must be a valid Date',
    ],
    [
      'a bad actor ref',
      () => [
        ...history(),
        ev(
          1,
          { type: 'pioneer-set', teamRef: null },
          { actorRef: 'not a ref:' },
        ),
      ],
      'events[17] (pioneer-set): actorRef:',
    ],
    [
      'a pioneer that is not a group',
      () => [...history(), ev(1, { type: 'pioneer-set', teamRef: ADA })],
      'data.teamRef: must be a group',
    ],
    [
      'a control character',
      () => [
        ...history(),
        ev(1, {
          type: 'criterion-added',
          phase: 'integration',
          title: 'a\u0000b',
        }),
      ],
      'data.title: must not contain control characters',
    ],
    [
      'an unknown type',
      () => [...history(), ev(1, { type: 'teleported' } as any)],
      'events[17] (teleported): data.type: must be one of started, advanced',
    ],
    [
      'an unknown field',
      () => [
        ...history(),
        ev(1, { type: 'pioneer-set', teamRef: null, extra: 1 } as any),
      ],
      'extra: is not an accepted field',
    ],
    [
      'a bad target date',
      () => [
        ...history(),
        ev(1, { type: 'target-set', phase: 'integration', date: '2027-02-30' }),
      ],
      'data.date: must be a date YYYY-MM-DD',
    ],
    [
      'a cohort listing a team twice',
      () => [
        ...history(),
        ev(1, {
          type: 'cohort-added',
          name: 'Wave 2',
          targetDate: '2027-03-01',
          teamRefs: [PAYMENTS, PAYMENTS],
        }),
      ],
      'lists group:default/payments twice',
    ],
  ];

  it.each(refusals)(
    'refuses %s, writing nothing',
    async (_, events, message) => {
      const { knex, writer } = await writerOn();
      const attempt = writer.importInitiative(ENTITY, events());
      await expect(attempt).rejects.toBeInstanceOf(InputError);
      await expect(writer.importInitiative(ENTITY, events())).rejects.toThrow(
        message,
      );
      expect(await count(knex)).toBe(0);
      expect(await writer.hasInitiative(ENTITY)).toBe(false);
    },
  );

  it('refuses an entity or group the catalog does not hold', async () => {
    const { knex, writer } = await writerOn(
      new Set([ENTITY, PAYMENTS, SECURITY, 'group:default/data-governance']),
    );
    await expect(writer.importInitiative(ENTITY, history())).rejects.toThrow(
      'No entity group:default/finance, group:default/checkout in the catalog',
    );
    await expect(
      writer.importInitiative('component:default/ghost', history().slice(0, 2)),
    ).rejects.toThrow('No entity component:default/ghost in the catalog');
    expect(await count(knex)).toBe(0);
    await expect(writer.hasInitiative('not a ref:')).rejects.toBeInstanceOf(
      InputError,
    );
  });
});
