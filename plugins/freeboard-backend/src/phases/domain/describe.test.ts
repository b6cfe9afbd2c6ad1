import { describeEvent } from './describe';
import { PhaseEventData } from './events';

const TITLES: Record<string, string> = {
  'discovery.golden-paths': 'Golden paths chosen',
  'own-7': 'Load test passed',
  'cohort-4': 'Wave 1',
};

function describe1(data: PhaseEventData) {
  return describeEvent(
    {
      version: 9,
      occurredAt: '2026-05-01T10:00:00.000Z',
      actorRef: 'user:default/lead',
      data,
    },
    id => TITLES[id],
  );
}

const CASES: Array<[PhaseEventData, string]> = [
  [
    {
      type: 'started',
      criteria: [
        {
          id: 'discovery.golden-paths',
          phase: 'discovery',
          title: 'Golden paths chosen',
          source: 'template',
        },
      ],
      signoffs: [
        { phase: 'discovery', groupRef: 'group:default/security' },
        { phase: 'discovery', groupRef: 'group:default/finance' },
      ],
    },
    'Started at Discovery with 1 criterion and 2 required sign-offs',
  ],
  [
    { type: 'advanced', from: 'discovery', to: 'integration', iteration: 1 },
    'Advanced from Discovery to Integration',
  ],
  [
    { type: 'advanced', from: 'adoption', to: 'discovery', iteration: 2 },
    'Completed iteration 1: advanced from Adoption to Discovery of iteration 2',
  ],
  [
    { type: 'stepped-back', from: 'deployment', to: 'integration' },
    'Stepped back from Deployment to Integration',
  ],
  [
    {
      type: 'criterion-added',
      criterion: {
        id: 'own-7',
        phase: 'deployment',
        title: 'Load test passed',
        source: 'own',
      },
    },
    'Added the Deployment criterion “Load test passed”',
  ],
  [
    { type: 'criterion-removed', id: 'own-7' },
    'Removed the criterion “Load test passed”',
  ],
  [
    { type: 'criterion-set', id: 'discovery.golden-paths', state: 'done' },
    'Ticked “Golden paths chosen”',
  ],
  [
    { type: 'criterion-set', id: 'discovery.golden-paths', state: 'open' },
    'Unticked “Golden paths chosen”',
  ],
  [
    {
      type: 'criterion-set',
      id: 'discovery.golden-paths',
      state: 'waived',
      waiverExpiresAt: '2027-02-20T00:00:00.000Z',
    },
    'Waived “Golden paths chosen” until 2027-02-20',
  ],
  [{ type: 'criterion-set', id: 'gone', state: 'done' }, 'Ticked “gone”'],
  [
    {
      type: 'signoff-requested',
      phase: 'deployment',
      groupRef: 'group:default/data-governance',
    },
    'Asked group:default/data-governance to sign off Deployment',
  ],
  [
    {
      type: 'signoff-decided',
      phase: 'discovery',
      groupRef: 'group:default/security',
      decision: 'approved',
      comment: 'Fine',
    },
    'group:default/security approved the Discovery sign-off',
  ],
  [
    {
      type: 'signoff-decided',
      phase: 'discovery',
      groupRef: 'group:default/finance',
      decision: 'rejected',
    },
    'group:default/finance rejected the Discovery sign-off',
  ],
  [
    { type: 'pioneer-set', teamRef: 'group:default/payments' },
    'Set the pioneer team to group:default/payments',
  ],
  [{ type: 'pioneer-set', teamRef: null }, 'Cleared the pioneer team'],
  [
    { type: 'target-set', phase: 'adoption', date: '2026-12-31' },
    'Set the Adoption target date to 2026-12-31',
  ],
  [
    { type: 'target-set', phase: 'adoption', date: null },
    'Cleared the Adoption target date',
  ],
  [
    {
      type: 'cohort-added',
      cohort: {
        id: 'cohort-4',
        name: 'Wave 1',
        targetDate: '2026-12-31',
        teamRefs: ['group:default/a', 'group:default/b', 'group:default/c'],
      },
    },
    'Added cohort “Wave 1” (3 teams, target 2026-12-31)',
  ],
  [
    {
      type: 'cohort-updated',
      cohort: {
        id: 'cohort-4',
        name: 'Wave one',
        targetDate: '2027-01-31',
        teamRefs: ['group:default/a'],
      },
    },
    'Updated cohort “Wave one” (1 team, target 2027-01-31)',
  ],
  [{ type: 'cohort-removed', id: 'cohort-4' }, 'Removed cohort “Wave 1”'],
];

describe('describeEvent', () => {
  it.each(CASES.map(([data, expected]) => [expected, data] as const))(
    'says %s',
    (expected, data) => {
      expect(describe1(data)).toBe(expected);
    },
  );

  it('names an event type it does not know instead of failing', () => {
    expect(describe1({ type: 'renamed' } as unknown as PhaseEventData)).toBe(
      'renamed',
    );
  });
});
