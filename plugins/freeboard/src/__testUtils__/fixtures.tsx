import { Entity, GroupEntity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  ConsumerView,
  DecisionHistoryItem,
  DecisionView,
  OwnerRollup,
  TRUST_PULSE_CATEGORIES,
  TrustConfig,
  TrustLedgerEntry,
  TrustSummary,
  PortfolioTotals,
} from '@freeboard/backstage-plugin-common';
import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { FreeboardApi, freeboardApiRef } from '../shared';
import { historyEvents, phasesConfig, startedState } from './phasesFixtures';

/*
 * Shared test data: a platform capability with a small ledger, the default
 * categories, and helpers to render components with mocked APIs.
 */

export const ENTITY_REF = 'component:default/observability-stack';

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'observability-stack', namespace: 'default' },
  spec: { type: 'platform-capability', owner: 'platform-team' },
};

export const trustConfig: TrustConfig = {
  halfLifeDays: 180,
  maxAmount: 100,
  levels: { healthy: 10, strong: 50 },
  categories: [
    {
      id: 'pain-point-removed',
      direction: 'earn',
      title: 'Removed a pain point',
      defaultAmount: 10,
    },
    {
      id: 'self-service',
      direction: 'earn',
      title: 'Shipped a self-service capability',
      defaultAmount: 15,
    },
    {
      id: 'migration',
      direction: 'spend',
      title: 'Required a migration',
      defaultAmount: 20,
    },
    {
      id: 'outage',
      direction: 'spend',
      title: 'Caused an outage',
      defaultAmount: 12,
    },
    {
      id: TRUST_PULSE_CATEGORIES.up,
      direction: 'earn',
      title: 'Developer pulse: this helped',
      defaultAmount: 1,
    },
    {
      id: TRUST_PULSE_CATEGORIES.down,
      direction: 'spend',
      title: 'Developer pulse: this hurt',
      defaultAmount: 1,
    },
  ],
};

export const summary: TrustSummary = {
  entityRef: ENTITY_REF,
  balance: 12.34,
  level: 'healthy',
  earned: 40.04,
  spent: 27.7,
  entryCount: 5,
  consumers: [
    {
      consumerRef: 'group:default/team-payments',
      balance: -8.2,
      level: 'overdrawn',
    },
    { consumerRef: 'group:default/team-search', balance: 2, level: 'thin' },
    { consumerRef: 'group:default/team-mobile', balance: 14, level: 'healthy' },
    { consumerRef: 'group:default/team-data', balance: 60, level: 'strong' },
  ],
  lastEntryAt: '2024-05-02T10:00:00.000Z',
  pulses: {
    last30Days: { up: 9, down: 4 },
    last7Days: { up: 2, down: 1 },
  },
};

export const emptySummary: TrustSummary = {
  entityRef: ENTITY_REF,
  balance: 0,
  level: 'thin',
  earned: 0,
  spent: 0,
  entryCount: 0,
  consumers: [],
  pulses: { last30Days: { up: 0, down: 0 }, last7Days: { up: 0, down: 0 } },
};

/** An entry with sensible defaults; override what the test is about. */
export function ledgerEntry(
  overrides: Partial<TrustLedgerEntry> & { id: string },
): TrustLedgerEntry {
  return {
    entityRef: ENTITY_REF,
    direction: 'earn',
    category: 'pain-point-removed',
    amount: 10,
    title: `Entry ${overrides.id}`,
    occurredAt: '2024-05-01T10:00:00.000Z',
    recordedAt: '2024-05-01T10:00:00.000Z',
    recordedBy: 'user:default/guest',
    source: 'manual',
    ...overrides,
  };
}

export const entries: TrustLedgerEntry[] = [
  ledgerEntry({
    id: '5',
    direction: 'spend',
    category: 'migration',
    amount: 20,
    title: 'Move everyone to OpenTelemetry',
    consumerRef: 'group:default/team-payments',
    evidenceUrl: 'https://example.com/rfc/42',
  }),
  ledgerEntry({
    id: '4',
    title: 'Self-service dashboards',
    category: 'self-service',
    amount: 15,
  }),
  ledgerEntry({
    id: '3',
    direction: 'spend',
    title: 'Revert: Fixed flaky alerts',
    description: 'Recorded twice',
    revertsEntryId: '2',
  }),
  ledgerEntry({
    id: '2',
    title: 'Fixed flaky alerts',
    revertedByEntryId: '3',
  }),
];

const GROUP_NAMES: Record<string, string> = {
  'team-payments': 'Payments',
  'team-search': 'Search',
  'team-mobile': 'Mobile',
  security: 'Security',
};

export const groups: GroupEntity[] = Object.entries(GROUP_NAMES).map(
  ([name, displayName]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [], profile: { displayName } },
  }),
);

/** Portfolio totals of an empty platform. */
export const emptyPortfolioTotals: PortfolioTotals = {
  capabilities: 0,
  balance: 0,
  overdue: 0,
  byLevel: { overdrawn: 0, thin: 0, healthy: 0, strong: 0 },
  byDecision: { float: 0, sink: 0, none: 0, invalid: 0 },
  byPhase: {
    discovery: 0,
    integration: 0,
    deployment: 0,
    adoption: 0,
    none: 0,
  },
};

/*
 * Decisions and "trust from both sides": a floating capability half-way
 * through its retirement, its decision history, the platform team that owns
 * it (with a child group), and a consumer team.
 */

export const PLATFORM_TEAM_REF = 'group:default/platform-team';
export const CONSUMER_TEAM_REF = 'group:default/team-payments';

/** A floating capability whose replacement is a catalog entity. */
export const floatingEntity: Entity = {
  ...entity,
  metadata: {
    ...entity.metadata,
    annotations: {
      'freeboard.dev/float-or-sink': 'float',
      'freeboard.dev/base-capability': 'Managed observability',
      'freeboard.dev/rationale': 'Self-hosting costs two engineers',
      'freeboard.dev/review-by': '2026-09-30',
      'freeboard.dev/replaced-by': 'component:default/grafana-cloud',
    },
  },
};

/** A group entity by name, e.g. `platform-team`. */
export function groupEntity(name: string): GroupEntity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  };
}

/** A consumer team's service: no decision, no initiative, no ledger. */
export const consumerComponent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments' },
};

/** The backend's view of {@link floatingEntity}: 3 of 6 teams moved. */
export const floatingDecisionView: DecisionView = {
  entityRef: ENTITY_REF,
  decision: {
    decision: 'float',
    baseCapability: 'Managed observability',
    rationale: 'Self-hosting costs two engineers',
    reviewBy: '2026-09-30',
    replacedBy: 'component:default/grafana-cloud',
    review: { reviewBy: '2026-09-30', dueInDays: -12, overdueDays: 12 },
  },
  problems: [],
  consumerTeams: [
    'group:default/team-payments',
    'group:default/team-search',
    'group:default/team-mobile',
  ],
  retirement: {
    remainingTeams: [
      'group:default/team-payments',
      'group:default/team-search',
      'group:default/team-mobile',
    ],
    movedTeams: [
      'group:default/team-data',
      'group:default/team-growth',
      'group:default/team-identity',
    ],
    replacementRef: 'component:default/grafana-cloud',
    progress: 0.5,
  },
};

/** One event of each kind, newest first, as the backend pages them. */
export const decisionHistory: DecisionHistoryItem[] = [
  {
    id: 7,
    type: 'changed',
    field: 'decision',
    oldValue: 'sink',
    newValue: 'float',
    observedAt: '2026-06-01T09:00:00.000Z',
  },
  {
    id: 6,
    type: 'changed',
    field: 'reviewBy',
    oldValue: '2026-09-30',
    newValue: '2027-03-31',
    observedAt: '2026-05-01T09:00:00.000Z',
  },
  {
    id: 5,
    type: 'changed',
    field: 'replacedBy',
    newValue: 'Grafana Cloud',
    observedAt: '2026-04-01T09:00:00.000Z',
  },
  {
    id: 4,
    type: 'invalid',
    newValue: '{"decision":"swim"}',
    problems: [
      'freeboard.dev/float-or-sink must be "float" or "sink", got "swim"',
    ],
    observedAt: '2026-03-01T09:00:00.000Z',
  },
  {
    id: 3,
    type: 'removed',
    oldValue: '{"decision":"sink"}',
    observedAt: '2026-02-01T09:00:00.000Z',
  },
  {
    id: 2,
    type: 'first-seen',
    newValue: '{"decision":"sink","reviewBy":"2026-09-30"}',
    observedAt: '2026-01-01T09:00:00.000Z',
  },
  {
    id: 1,
    type: 'entity-gone',
    oldValue: '{"decision":"sink"}',
    observedAt: '2025-12-01T09:00:00.000Z',
  },
];

/** The platform team owns three capabilities, one through a child group. */
export const ownerRollup: OwnerRollup = {
  groupRef: PLATFORM_TEAM_REF,
  capabilities: 3,
  balance: 41.5,
  weakestLevel: 'overdrawn',
  overdue: 1,
  floating: 1,
  items: [
    {
      entityRef: 'component:default/kubernetes-runtime',
      title: 'Kubernetes runtime',
      ownerRef: PLATFORM_TEAM_REF,
      balance: -6.5,
      level: 'overdrawn',
      entryCount: 9,
      decision: 'float',
      overdueDays: 4,
    },
    {
      entityRef: 'component:default/ci-pipelines',
      title: 'CI pipelines',
      ownerRef: 'group:default/build-team',
      balance: 8,
      level: 'thin',
      entryCount: 5,
      decision: 'sink',
    },
    {
      entityRef: 'component:default/golden-path-templates',
      title: 'Golden path templates',
      ownerRef: PLATFORM_TEAM_REF,
      balance: 40,
      level: 'healthy',
      entryCount: 7,
    },
  ],
};

/** What a group that owns nothing gets. */
export const emptyOwnerRollup: OwnerRollup = {
  groupRef: CONSUMER_TEAM_REF,
  capabilities: 0,
  balance: 0,
  overdue: 0,
  floating: 0,
  items: [],
};

/** Payments' balances with the capabilities it depends on, lowest first. */
export function consumerView(
  overrides: Partial<ConsumerView> = {},
): ConsumerView {
  return {
    teamRef: CONSUMER_TEAM_REF,
    items: [
      {
        entityRef: 'component:default/kubernetes-runtime',
        title: 'Kubernetes runtime',
        balance: -8.2,
        level: 'overdrawn',
        entryCount: 4,
        lastCharge: {
          title: 'Migration to v2',
          category: 'migration',
          amount: 8,
          occurredAt: new Date(Date.now() - 21 * 86_400_000).toISOString(),
        },
        decision: 'float',
      },
      {
        entityRef: 'component:default/ci-pipelines',
        title: 'CI pipelines',
        balance: 15,
        level: 'healthy',
        entryCount: 2,
      },
    ],
    ...overrides,
  };
}

/** A FreeboardApi whose every method is a jest mock with happy defaults. */
export function mockFreeboardApi(): jest.Mocked<FreeboardApi> {
  return {
    getTrustConfig: jest.fn().mockResolvedValue(trustConfig),
    getTrustSummary: jest.fn().mockResolvedValue(summary),
    listTrustEntries: jest.fn().mockResolvedValue({ entries }),
    recordTrustEntry: jest
      .fn()
      .mockResolvedValue({ entry: entries[0], summary }),
    revertTrustEntry: jest
      .fn()
      .mockResolvedValue({ entry: entries[2], summary }),
    runPreflight: jest.fn(),
    sendPulse: jest
      .fn()
      .mockResolvedValue({ entry: entries[1], summary, replaced: false }),
    withdrawPulse: jest.fn().mockResolvedValue({ withdrawn: true, summary }),
    getTrustTrend: jest.fn().mockResolvedValue({
      entityRef: ENTITY_REF,
      days: 90,
      points: [
        { date: '2024-04-30', balance: 3 },
        { date: '2024-05-01', balance: 8 },
        { date: '2024-05-02', balance: 12.34 },
      ],
    }),
    getTrustScores: jest.fn().mockResolvedValue([summary]),
    getTrustLeaderboard: jest.fn().mockResolvedValue({ items: [] }),
    getPhasesConfig: jest.fn().mockResolvedValue(phasesConfig),
    getInitiative: jest.fn().mockResolvedValue(startedState),
    startInitiative: jest.fn().mockResolvedValue({ state: startedState }),
    transitionInitiative: jest.fn().mockResolvedValue({ state: startedState }),
    addPhaseCriterion: jest.fn().mockResolvedValue({ state: startedState }),
    removePhaseCriterion: jest.fn().mockResolvedValue({ state: startedState }),
    setPhaseCriterion: jest.fn().mockResolvedValue({ state: startedState }),
    requestPhaseSignoff: jest.fn().mockResolvedValue({ state: startedState }),
    decidePhaseSignoff: jest.fn().mockResolvedValue({ state: startedState }),
    setPioneerTeam: jest.fn().mockResolvedValue({ state: startedState }),
    setPhaseTarget: jest.fn().mockResolvedValue({ state: startedState }),
    addAdoptionCohort: jest.fn().mockResolvedValue({ state: startedState }),
    updateAdoptionCohort: jest.fn().mockResolvedValue({ state: startedState }),
    removeAdoptionCohort: jest.fn().mockResolvedValue({ state: startedState }),
    listPhaseHistory: jest.fn().mockResolvedValue({ items: historyEvents }),
    listDecisionHistory: jest.fn().mockResolvedValue({ items: [] }),
    getDecision: jest.fn().mockResolvedValue({
      entityRef: ENTITY_REF,
      problems: [],
      consumerTeams: [],
    }),
    getPortfolio: jest.fn().mockResolvedValue({
      items: [],
      total: 0,
      offset: 0,
      limit: 50,
      totals: emptyPortfolioTotals,
    }),
    exportPortfolioCsv: jest.fn().mockResolvedValue(''),
    getPortfolioSummary: jest.fn().mockResolvedValue({
      totals: emptyPortfolioTotals,
      overdueReviews: [],
      overdrawnTeams: [],
      phases: [],
      groups: [],
    }),
    getOwnerRollup: jest.fn().mockResolvedValue(emptyOwnerRollup),
    getThickness: jest.fn(),
    getConsumerView: jest.fn().mockResolvedValue({ teamRef: '', items: [] }),
    getPhasesReport: jest.fn().mockResolvedValue('# Observability stack'),
  };
}

/** A ResponseError as the client throws it for a backend error. */
export function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url: '/' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: status === 400 ? 'Bad Request' : 'Conflict',
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}

/**
 * Renders `element` inside the test entity's page with the given Freeboard
 * API; permissions allow everything unless `allowed` is false, or decide
 * each request with `authorize`. The page shows `entity` (the observability
 * stack by default). The signed-in user owns through
 * `ownershipEntityRefs` (by default only themselves). `usePermission` caches decisions in SWR's
 * global cache, so each render gets its own cache and one test's decision
 * cannot leak into the next.
 */
export function renderWithApis(
  element: ReactElement,
  options: {
    api: FreeboardApi;
    allowed?: boolean;
    authorize?: (
      request: EvaluatePermissionRequest,
    ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    ownershipEntityRefs?: string[];
    /** The page's entity; the observability stack by default. */
    entity?: Entity;
  },
) {
  const permissionApi = mockApis.permission({
    authorize:
      options.authorize ??
      (options.allowed === false
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW),
  });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [freeboardApiRef, options.api],
        [permissionApiRef, permissionApi],
        [catalogApiRef, catalogApiMock({ entities: groups })],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: options.ownershipEntityRefs ?? [
              'user:default/guest',
            ],
          }),
        ],
      ]}
    >
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={options.entity ?? entity}>
          {element}
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}
