import {
  InitiativeState,
  PhaseHistoryEvent,
} from '@freeboard/backstage-plugin-common';
import { markdownText, steeringReport } from './report';

const GENERATED = new Date('2026-12-01T09:30:00.000Z');
const EVIL = 'Gate | one\nsecond line <script>alert(1)</script>';

/** An initiative in Adoption, iteration 1, with two cohorts. */
function adoptionState(): InitiativeState {
  return {
    entityRef: 'component:default/ci-pipelines',
    started: true,
    iteration: 1,
    phase: 'adoption',
    version: 42,
    startedAt: '2026-09-01T08:00:00.000Z',
    pioneerTeamRef: 'group:default/payments',
    phases: [
      {
        id: 'discovery',
        status: 'done',
        enteredAt: '2026-09-01T08:00:00.000Z',
        exitedAt: '2026-09-20T08:00:00.000Z',
        criteria: [
          {
            id: 'discovery.golden-paths',
            title: 'Golden paths chosen',
            kind: 'manual',
            source: 'template',
            state: 'done',
            changedBy: 'user:default/ada',
            changedAt: '2026-09-10T10:00:00.000Z',
          },
          {
            id: 'discovery.pioneer-selected',
            title: 'Pioneer team selected',
            kind: 'measured',
            source: 'template',
            measure: { type: 'pioneer-selected' },
            state: 'done',
            measured: 'Pioneer team: group:default/payments',
          },
        ],
        signoffs: [
          {
            groupRef: 'group:default/security',
            state: 'approved',
            origin: 'config',
            decidedBy: 'user:default/sam',
            decidedAt: '2026-09-18T15:00:00.000Z',
            comment: 'Threat model reviewed',
          },
        ],
      },
      {
        id: 'integration',
        status: 'done',
        criteria: [
          {
            id: 'integration.components-connected',
            title: 'Components connected',
            kind: 'manual',
            source: 'template',
            state: 'expired',
            changedBy: 'user:default/ada',
            changedAt: '2026-09-25T10:00:00.000Z',
            reason: 'Legacy runners connect later',
            waiverExpiresAt: '2026-11-25T00:00:00.000Z',
          },
        ],
        signoffs: [],
      },
      { id: 'deployment', status: 'done', criteria: [], signoffs: [] },
      {
        id: 'adoption',
        status: 'current',
        enteredAt: '2026-11-01T08:00:00.000Z',
        targetDate: '2027-03-31',
        criteria: [
          {
            id: 'own-30',
            title: EVIL,
            kind: 'manual',
            source: 'own',
            state: 'waived',
            changedBy: 'user:default/ada',
            changedAt: '2026-11-02T10:00:00.000Z',
            reason: 'Because | reasons\r\n<img src=x onerror=alert(1)>',
            waiverExpiresAt: '2027-02-20T00:00:00.000Z',
          },
          {
            id: 'adoption.first-cohort-onboarded',
            title: 'First cohort onboarded',
            kind: 'measured',
            source: 'template',
            measure: { type: 'cohort-adopted', cohort: 1, percent: 80 },
            state: 'open',
            measured: 'Wave 1: 2 of 3 teams adopted (needs 80%)',
          },
        ],
        signoffs: [
          {
            groupRef: 'group:default/finance',
            state: 'pending',
            origin: 'requested',
            requestedBy: 'user:default/ada',
          },
        ],
      },
    ],
    blockers: [
      {
        kind: 'criterion',
        id: 'adoption.first-cohort-onboarded',
        title:
          '"First cohort onboarded" is not met: Wave 1: 2 of 3 teams adopted (needs 80%)',
      },
      {
        kind: 'signoff',
        id: 'group:default/finance',
        title: 'group:default/finance has not signed off',
      },
    ],
    cohorts: [
      {
        id: 'cohort-12',
        name: 'Wave 1 | early',
        targetDate: '2026-12-31',
        order: 1,
        teamRefs: [
          'group:default/checkout',
          'group:default/search',
          'group:default/mobile',
        ],
        adopted: 2,
        total: 3,
      },
      {
        id: 'cohort-13',
        name: 'Wave 2',
        targetDate: '2027-03-31',
        order: 2,
        teamRefs: ['group:default/billing'],
        adopted: 0,
        total: 1,
      },
    ],
    adoption: {
      teams: [
        {
          teamRef: 'group:default/checkout',
          state: 'adopted',
          adoptedSince: '2026-11-05T00:00:00.000Z',
          via: ['component:default/checkout-api'],
        },
        {
          teamRef: 'group:default/search',
          state: 'adopted',
          adoptedSince: '2026-11-09T00:00:00.000Z',
          via: ['component:default/indexer'],
        },
        {
          teamRef: 'group:default/mobile',
          state: 'lost',
          adoptedSince: '2026-11-03T00:00:00.000Z',
          lostAt: '2026-11-20T00:00:00.000Z',
          via: [],
        },
        {
          teamRef: 'group:default/payments',
          state: 'adopted',
          adoptedSince: '2026-10-01T00:00:00.000Z',
          via: ['component:default/payments-gateway'],
        },
      ],
      adoptedTeams: 3,
      cohortTeams: 4,
      cohortTeamsAdopted: 2,
      curve: [],
    },
  };
}

const HISTORY: PhaseHistoryEvent[] = [
  {
    version: 42,
    type: 'criterion-set',
    occurredAt: '2026-11-02T10:00:00.000Z',
    actorRef: 'user:default/ada',
    reason: 'Because | reasons',
    summary: `Waived “${EVIL}” until 2027-02-20`,
    data: { id: 'own-30', state: 'waived' },
  },
  {
    version: 41,
    type: 'advanced',
    occurredAt: '2026-11-01T08:00:00.000Z',
    actorRef: 'user:default/ada',
    summary: 'Advanced from Deployment to Adoption',
    data: { from: 'deployment', to: 'adoption', iteration: 1 },
  },
];

/** Unescaped `|` per line of each table, which must all match the header. */
function cellCounts(markdown: string): number[][] {
  const tables: number[][] = [];
  let current: number[] | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      if (!current) tables.push((current = []));
      current.push(line.match(/(?<!\\)\|/g)!.length);
    } else {
      current = undefined;
    }
  }
  return tables;
}

describe('steeringReport', () => {
  it('reports phase, criteria, waivers, sign-offs, adoption per cohort and history', () => {
    const { json } = steeringReport({
      state: adoptionState(),
      history: HISTORY,
      entityTitle: 'CI pipelines',
      generatedAt: GENERATED,
    });
    expect(json).toMatchObject({
      entityRef: 'component:default/ci-pipelines',
      entityTitle: 'CI pipelines',
      generatedAt: '2026-12-01T09:30:00.000Z',
      started: true,
      phase: 'adoption',
      iteration: 1,
      version: 42,
      pioneerTeamRef: 'group:default/payments',
      blockers: adoptionState().blockers,
      history: HISTORY,
    });
    expect(json.phases.map(p => [p.title, p.status])).toEqual([
      ['Discovery', 'done'],
      ['Integration', 'done'],
      ['Deployment', 'done'],
      ['Adoption', 'current'],
    ]);
    expect(json.phases[0].criteria[0]).toMatchObject({
      state: 'done',
      changedBy: 'user:default/ada',
      changedAt: '2026-09-10T10:00:00.000Z',
    });
    expect(json.waivers).toEqual([
      {
        phase: 'integration',
        criterionId: 'integration.components-connected',
        title: 'Components connected',
        reason: 'Legacy runners connect later',
        waivedBy: 'user:default/ada',
        waivedAt: '2026-09-25T10:00:00.000Z',
        expiresAt: '2026-11-25T00:00:00.000Z',
        expired: true,
      },
      expect.objectContaining({
        criterionId: 'own-30',
        expiresAt: '2027-02-20T00:00:00.000Z',
        expired: false,
      }),
    ]);
    expect(json.signoffs).toEqual([
      expect.objectContaining({
        phase: 'discovery',
        groupRef: 'group:default/security',
        state: 'approved',
        decidedBy: 'user:default/sam',
      }),
      expect.objectContaining({
        phase: 'adoption',
        groupRef: 'group:default/finance',
        state: 'pending',
        origin: 'requested',
      }),
    ]);
    expect(json.adoption.cohorts[0]).toEqual({
      id: 'cohort-12',
      name: 'Wave 1 | early',
      order: 1,
      targetDate: '2026-12-31',
      adopted: 2,
      total: 3,
      teams: [
        {
          teamRef: 'group:default/checkout',
          state: 'adopted',
          adoptedSince: '2026-11-05T00:00:00.000Z',
        },
        {
          teamRef: 'group:default/search',
          state: 'adopted',
          adoptedSince: '2026-11-09T00:00:00.000Z',
        },
        {
          teamRef: 'group:default/mobile',
          state: 'lost',
          adoptedSince: '2026-11-03T00:00:00.000Z',
          lostAt: '2026-11-20T00:00:00.000Z',
        },
      ],
    });
    expect(json.adoption.cohorts[1].teams).toEqual([
      { teamRef: 'group:default/billing', state: 'not-yet' },
    ]);
    expect(json.adoption.otherAdopters.map(t => t.teamRef)).toEqual([
      'group:default/payments',
    ]);
  });

  it('flags a waiver past its expiry even when the state still says waived', () => {
    const state = adoptionState();
    const { json } = steeringReport({
      state,
      history: [],
      generatedAt: new Date('2027-03-01T00:00:00.000Z'),
    });
    expect(json.waivers.map(w => w.expired)).toEqual([true, true]);
  });

  it('renders the sections as Markdown', () => {
    const { markdown } = steeringReport({
      state: adoptionState(),
      history: HISTORY,
      entityTitle: 'CI pipelines',
      generatedAt: GENERATED,
    });
    const headings = markdown.split('\n').filter(l => l.startsWith('#'));
    expect(headings).toEqual([
      '# Steering report: CI pipelines',
      '## Summary',
      '## Blockers',
      '## Phases of iteration 1',
      '### Discovery: done (entered 2026-09-01, exited 2026-09-20)',
      '### Integration: done',
      '### Deployment: done',
      '### Adoption: current (entered 2026-11-01, target 2027-03-31)',
      '## Waivers',
      '## Sign-offs',
      '## Adoption',
      '### Cohort 1: Wave 1 \\| early, target 2026-12-31: 2 of 3 adopted (67%)',
      '### Cohort 2: Wave 2, target 2027-03-31: 0 of 1 adopted (0%)',
      '### Other adopting teams',
      '## Recent history',
    ]);
    expect(markdown).toContain(
      'component:default/ci-pipelines, generated 2026-12-01 09:30 UTC.',
    );
    expect(markdown).toContain('| Phase | Adoption, iteration 1 |');
    expect(markdown).toContain('| Pioneer team | group:default/payments |');
    expect(markdown).toContain(
      '| Adoption | 3 teams; cohort teams: 2 of 4 adopted |',
    );
    expect(markdown).toContain(
      '| Components connected | manual, template | Waiver expired on 2026-11-25 |',
    );
    expect(markdown).toContain('| manual, own | Waived until 2027-02-20 |');
    expect(markdown).toContain(
      '- "First cohort onboarded" is not met: Wave 1: 2 of 3 teams adopted (needs 80%)',
    );
    expect(markdown).toContain(
      '| Golden paths chosen | manual, template | Done | user:default/ada, 2026-09-10 10:00 UTC |  |',
    );
    expect(markdown).toContain(
      '| Pioneer team selected | measured, template | Done | Measured: Pioneer team: group:default/payments |  |',
    );
    expect(markdown).toContain(
      '| Integration | Components connected | Legacy runners connect later | user:default/ada, 2026-09-25 | 2026-11-25 **expired** |',
    );
    expect(markdown).toContain(
      '| Discovery | group:default/security | Approved | user:default/sam, 2026-09-18 15:00 UTC | Threat model reviewed |',
    );
    expect(markdown).toContain(
      '| Adoption | group:default/finance (requested) | Pending |  |  |',
    );
    expect(markdown).toContain(
      '| group:default/mobile | Lost | 2026-11-03 | 2026-11-20 |',
    );
    expect(markdown).toContain('| group:default/billing | Not yet |  |  |');
    expect(markdown).toContain(
      '| group:default/payments | 2026-10-01 | component:default/payments-gateway |',
    );
    expect(markdown).toContain(
      '| 41 | 2026-11-01 08:00 UTC | user:default/ada | Advanced from Deployment to Adoption |  |',
    );
  });

  it('escapes user text so that tables hold and no HTML gets through', () => {
    const { markdown } = steeringReport({
      state: adoptionState(),
      history: HISTORY,
      entityTitle: 'CI <b>pipelines</b>\n# injected',
      generatedAt: GENERATED,
    });
    expect(markdown).not.toMatch(/<[a-z/]/i);
    expect(markdown).toContain(
      '# Steering report: CI &lt;b&gt;pipelines&lt;/b&gt; \\# injected',
    );
    expect(markdown).toContain(
      'Gate \\| one second line &lt;script&gt;alert(1)&lt;/script&gt;',
    );
    expect(markdown).toContain(
      'Because \\| reasons &lt;img src=x onerror=alert(1)&gt;',
    );
    for (const counts of cellCounts(markdown)) {
      expect(new Set(counts).size).toBe(1);
    }
    expect(cellCounts(markdown)).toHaveLength(10);
  });

  it('escapes Markdown punctuation and entities in text', () => {
    expect(markdownText('[x](javascript:alert(1)) *b* `c` &lt; A&B')).toBe(
      '\\[x\\](javascript:alert(1)) \\*b\\* \\`c\\` &amp;lt; A&B',
    );
  });

  it('reports an initiative that has not started', () => {
    const state: InitiativeState = {
      ...adoptionState(),
      started: false,
      phase: 'discovery',
      version: 0,
      pioneerTeamRef: undefined,
      blockers: [],
      cohorts: [],
    };
    const { json, markdown } = steeringReport({
      state,
      history: [],
      generatedAt: GENERATED,
    });
    expect(json.started).toBe(false);
    expect(json).not.toHaveProperty('pioneerTeamRef');
    expect(markdown).toContain('| Phase | Not started |');
    expect(markdown).toContain('The initiative has not started.');
    expect(markdown).toContain('No changes yet.');
  });
});
