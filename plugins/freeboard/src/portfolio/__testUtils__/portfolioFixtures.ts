import {
  PortfolioPage,
  PortfolioRow,
  PortfolioSummary,
  PortfolioTotals,
  ThicknessFigures,
  ThicknessReport,
} from '@freeboard/backstage-plugin-common';

/*
 * A small platform for the portfolio's tests: three capabilities (one
 * overdrawn with an overdue review, one healthy, one with broken
 * annotations), the panels over them and a thickness report.
 */

export const OBSERVABILITY = 'component:default/observability-stack';
export const KUBERNETES = 'component:default/kubernetes-runtime';
export const LEGACY_CI = 'component:default/legacy-ci';

export const rows: PortfolioRow[] = [
  {
    entityRef: OBSERVABILITY,
    title: 'Observability stack',
    ownerRef: 'group:default/platform-team',
    systemRef: 'system:default/observability',
    trust: {
      balance: -4.24,
      level: 'overdrawn',
      entryCount: 9,
      trend: [3, 1, -2, -4.24],
    },
    phase: { phase: 'integration', criteriaDone: 3, criteriaTotal: 5 },
    decision: {
      decision: 'float',
      baseCapability: 'Managed Grafana',
      reviewBy: '2024-04-20',
      review: { reviewBy: '2024-04-20', dueInDays: -12, overdueDays: 12 },
    },
    consumerTeams: 7,
    adoptedTeams: 3,
  },
  {
    entityRef: KUBERNETES,
    title: 'Kubernetes runtime',
    ownerRef: 'group:default/platform-infra',
    trust: {
      balance: 22.5,
      level: 'healthy',
      entryCount: 4,
      trend: [20, 21, 22.5],
    },
    decision: {
      decision: 'sink',
      reviewBy: '2024-06-01',
      review: { reviewBy: '2024-06-01', dueInDays: 30 },
    },
    consumerTeams: 12,
  },
  {
    entityRef: LEGACY_CI,
    title: 'Legacy CI',
    trust: { balance: 0, level: 'thin', entryCount: 0, trend: [] },
    decisionProblems: [
      'freeboard.dev/float-or-sink must be "float" or "sink", got "maybe"',
    ],
    consumerTeams: 0,
  },
];

export const totals: PortfolioTotals = {
  capabilities: 120,
  balance: 310.5,
  overdue: 3,
  byLevel: { overdrawn: 5, thin: 40, healthy: 60, strong: 15 },
  byDecision: { float: 10, sink: 70, none: 38, invalid: 2 },
  byPhase: {
    discovery: 4,
    integration: 3,
    deployment: 2,
    adoption: 1,
    none: 110,
  },
};

export const page: PortfolioPage = {
  items: rows,
  total: 120,
  offset: 0,
  limit: 50,
  totals,
};

export const summary: PortfolioSummary = {
  totals,
  overdueReviews: [
    {
      entityRef: OBSERVABILITY,
      title: 'Observability stack',
      ownerRef: 'group:default/platform-team',
      decision: 'float',
      reviewBy: '2024-04-20',
      overdueDays: 12,
    },
    {
      entityRef: 'component:default/secrets-vault',
      title: 'Secrets vault',
      decision: 'sink',
      reviewBy: '2024-04-30',
      overdueDays: 2,
    },
  ],
  overdrawnTeams: [
    {
      teamRef: 'group:default/team-payments',
      balance: -12.3,
      capabilities: [
        {
          entityRef: OBSERVABILITY,
          title: 'Observability stack',
          balance: -8.2,
        },
        { entityRef: KUBERNETES, title: 'Kubernetes runtime', balance: -4.1 },
      ],
    },
  ],
  phases: [
    {
      phase: 'discovery',
      initiatives: 4,
      blocked: 3,
      blockers: [
        { blocker: 'Pioneer team chosen', initiatives: 3 },
        { blocker: 'Security sign-off', initiatives: 1 },
      ],
    },
    { phase: 'integration', initiatives: 3, blocked: 0, blockers: [] },
    { phase: 'deployment', initiatives: 2, blocked: 1, blockers: [] },
    { phase: 'adoption', initiatives: 1, blocked: 0, blockers: [] },
  ],
  groups: [
    {
      groupRef: 'group:default/team-data',
      capabilities: 2,
      balance: 14,
      weakestLevel: 'healthy',
      overdue: 0,
      floating: 0,
    },
    {
      groupRef: 'group:default/platform-infra',
      parentRef: 'group:default/platform-team',
      capabilities: 4,
      balance: 30,
      weakestLevel: 'thin',
      overdue: 1,
      floating: 1,
    },
    {
      groupRef: 'group:default/platform-team',
      capabilities: 9,
      balance: 25.8,
      weakestLevel: 'overdrawn',
      overdue: 3,
      floating: 2,
    },
  ],
};

function figures(
  unique: number,
  kept: number,
  floating: number,
  thickness: number,
): ThicknessFigures {
  return {
    capabilities: unique + kept + floating,
    unique,
    kept,
    floating,
    weightedUnique: unique * 3,
    weightedKept: kept * 3,
    weightedFloating: floating * 3,
    thickness,
  };
}

export const thickness: ThicknessReport = {
  all: figures(12, 5, 3, 0.234),
  systems: [
    { systemRef: 'system:default/observability', ...figures(2, 1, 1, 0.5) },
    figures(10, 4, 2, 0.2),
  ],
  projection: figures(12, 5, 0, 0.15),
  trend: [
    { day: '2024-04-30', ...figures(10, 6, 3, 0.3) },
    { day: '2024-05-01', ...figures(11, 5, 3, 0.27) },
    { day: '2024-05-02', ...figures(12, 5, 3, 0.234) },
  ],
};

/** Nothing to show: a platform without capabilities. */
export const emptySummary: PortfolioSummary = {
  totals: {
    ...totals,
    capabilities: 0,
    overdue: 0,
    balance: 0,
    byLevel: { overdrawn: 0, thin: 0, healthy: 0, strong: 0 },
  },
  overdueReviews: [],
  overdrawnTeams: [],
  phases: [],
  groups: [],
};

export const emptyThickness: ThicknessReport = {
  all: figures(0, 0, 0, 0),
  systems: [],
  projection: figures(0, 0, 0, 0),
  trend: [],
};
