import {
  InitiativeState,
  PhaseHistoryEvent,
  PhasesConfig,
} from '@freeboard/backstage-plugin-common';

/*
 * Test data of MVP phases: an initiative in Integration, blocked by an open
 * criterion, an expired waiver and a pending sign-off, with two cohorts, and
 * the same entity before it started.
 */

const ENTITY_REF = 'component:default/observability-stack';

export const SECURITY = 'group:default/security';
export const SEARCH = 'group:default/team-search';

export const phasesConfig: PhasesConfig = {
  templates: {
    discovery: [{ id: 'golden-paths', title: 'Golden paths chosen' }],
    integration: [
      { id: 'infrastructure-built', title: 'Platform infrastructure built' },
    ],
    deployment: [],
    adoption: [],
  },
  signoffs: {
    discovery: [SECURITY],
    integration: [],
    deployment: [],
    adoption: [],
  },
  waiverDefaultDays: 90,
  waiverMaxDays: 365,
};

export const startedState: InitiativeState = {
  entityRef: ENTITY_REF,
  started: true,
  iteration: 1,
  phase: 'integration',
  version: 12,
  startedAt: '2024-03-01T09:00:00.000Z',
  pioneerTeamRef: 'group:default/team-payments',
  phases: [
    {
      id: 'discovery',
      status: 'done',
      enteredAt: '2024-03-01T09:00:00.000Z',
      exitedAt: '2024-04-02T09:00:00.000Z',
      criteria: [
        {
          id: 'discovery.golden-paths',
          title: 'Golden paths chosen',
          kind: 'manual',
          source: 'template',
          state: 'done',
          changedBy: 'user:default/guest',
          changedAt: '2024-03-20T09:00:00.000Z',
        },
      ],
      signoffs: [
        {
          groupRef: SECURITY,
          state: 'approved',
          origin: 'config',
          decidedBy: 'user:default/sam',
          decidedAt: '2024-04-01T09:00:00.000Z',
          comment: 'Threat model reviewed',
        },
      ],
    },
    {
      id: 'integration',
      status: 'current',
      enteredAt: '2024-04-02T09:00:00.000Z',
      targetDate: '2099-07-01',
      criteria: [
        {
          id: 'integration.infrastructure-built',
          title: 'Platform infrastructure built',
          kind: 'manual',
          source: 'template',
          state: 'done',
          changedBy: 'user:default/guest',
          changedAt: '2024-04-10T09:00:00.000Z',
        },
        {
          id: 'integration.components-connected',
          title: 'Components connected',
          kind: 'manual',
          source: 'template',
          state: 'open',
        },
        {
          id: 'integration.pioneer-selected',
          title: 'Pioneer team selected',
          kind: 'measured',
          source: 'template',
          measure: { type: 'pioneer-selected' },
          measured: 'team-payments',
          state: 'done',
        },
        {
          id: 'own-9',
          title: 'Load test passed',
          kind: 'manual',
          source: 'own',
          state: 'waived',
          reason: 'Load tests run in Deployment',
          changedBy: 'user:default/guest',
          changedAt: '2024-04-12T09:00:00.000Z',
          waiverExpiresAt: '2099-01-01T00:00:00.000Z',
        },
        {
          id: 'own-10',
          title: 'Runbook written',
          kind: 'manual',
          source: 'own',
          state: 'expired',
          reason: 'Written after the pilot',
          waiverExpiresAt: '2024-05-01T00:00:00.000Z',
        },
      ],
      signoffs: [
        {
          groupRef: SEARCH,
          state: 'pending',
          origin: 'requested',
          requestedBy: 'user:default/guest',
        },
      ],
    },
    {
      id: 'deployment',
      status: 'upcoming',
      criteria: [
        {
          id: 'deployment.pioneer-adopted',
          title: 'Pioneer team adopted it',
          kind: 'measured',
          source: 'template',
          measure: { type: 'pioneer-adopted' },
          state: 'open',
        },
      ],
      signoffs: [],
    },
    { id: 'adoption', status: 'upcoming', criteria: [], signoffs: [] },
  ],
  blockers: [
    {
      kind: 'criterion',
      id: 'integration.components-connected',
      title: 'Components connected is open',
    },
    {
      kind: 'criterion',
      id: 'own-10',
      title: 'Runbook written: waiver expired',
    },
    {
      kind: 'signoff',
      id: SEARCH,
      title: 'group:default/team-search has not signed off',
    },
  ],
  cohorts: [
    {
      id: 'cohort-5',
      name: 'Wave 1',
      targetDate: '2024-06-01',
      order: 1,
      teamRefs: ['group:default/team-payments', SEARCH],
      adopted: 1,
      total: 2,
    },
    {
      id: 'cohort-6',
      name: 'Wave 2',
      targetDate: '2099-09-01',
      order: 2,
      teamRefs: ['group:default/team-mobile'],
      adopted: 0,
      total: 1,
    },
  ],
  adoption: {
    teams: [
      {
        teamRef: 'group:default/team-payments',
        state: 'adopted',
        adoptedSince: '2024-05-03T00:00:00.000Z',
        via: ['component:default/payments-api'],
      },
      { teamRef: SEARCH, state: 'not-yet', via: [] },
      {
        teamRef: 'group:default/team-mobile',
        state: 'lost',
        adoptedSince: '2024-05-01T00:00:00.000Z',
        lostAt: '2024-05-20T00:00:00.000Z',
        via: [],
      },
    ],
    adoptedTeams: 1,
    cohortTeams: 3,
    cohortTeamsAdopted: 1,
    curve: [
      { day: '2024-05-01', adopted: 1 },
      { day: '2024-05-03', adopted: 2 },
      { day: '2024-05-20', adopted: 1 },
    ],
  },
};

export const notStartedState: InitiativeState = {
  entityRef: ENTITY_REF,
  started: false,
  iteration: 1,
  phase: 'discovery',
  version: 0,
  phases: (['discovery', 'integration', 'deployment', 'adoption'] as const).map(
    id => ({
      id,
      status: id === 'discovery' ? ('current' as const) : ('upcoming' as const),
      criteria: [],
      signoffs: [],
    }),
  ),
  blockers: [],
  cohorts: [],
  adoption: {
    teams: [],
    adoptedTeams: 0,
    cohortTeams: 0,
    cohortTeamsAdopted: 0,
    curve: [],
  },
};

/** The initiative with nothing blocking: every open criterion ticked. */
export const readyState: InitiativeState = {
  ...startedState,
  blockers: [],
};

export const historyEvents: PhaseHistoryEvent[] = [
  {
    version: 12,
    type: 'criterion-set',
    occurredAt: '2024-04-12T09:00:00.000Z',
    actorRef: 'user:default/guest',
    reason: 'Load tests run in Deployment',
    summary: 'Waived “Load test passed” until 1 Jan 2099',
    data: { id: 'own-9', state: 'waived' },
  },
  {
    version: 11,
    type: 'advanced',
    occurredAt: '2024-04-02T09:00:00.000Z',
    actorRef: 'user:default/guest',
    summary: 'Advanced from Discovery to Integration',
    data: { from: 'discovery', to: 'integration', iteration: 1 },
  },
  {
    version: 10,
    type: 'signoff-decided',
    occurredAt: '2024-04-01T09:00:00.000Z',
    actorRef: 'user:default/sam',
    summary: 'group:default/security approved Discovery',
    data: { phase: 'discovery', groupRef: SECURITY, decision: 'approved' },
  },
];
