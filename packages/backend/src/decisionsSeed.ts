import {
  AuthService,
  DatabaseService,
  LoggerService,
  SchedulerService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  DecisionField,
  FLOAT_OR_SINK_ANNOTATIONS,
  ThicknessCategory,
  parseFloatOrSinkAnnotations,
} from '@freeboard/backstage-plugin-common';
import { waitForCatalog } from './waitForCatalog';

/*
 * Demo only: months of float-or-sink history for the sample capabilities
 * (examples/platform.yaml), written into the Freeboard backend's tables as
 * its decision history recorder and thickness log would have written them,
 * so that the demo opens on decisions with a past: Kubernetes runtime went
 * from sink to float six weeks ago, the observability stack's review is
 * overdue since its review-by date was last moved months ago, the artifact
 * registry floats and half of its consumer teams have moved to the managed
 * registry, the feature flags once carried a review-by the parser refuses,
 * and the thickness meter has a trend.
 */

type Db = Awaited<ReturnType<DatabaseService['getClient']>>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The decision annotations, in the order the recorder writes them. */
const FIELDS: DecisionField[] = [
  'decision',
  'baseCapability',
  'rationale',
  'reviewBy',
  'replacedBy',
];

/** An entity's decision annotations by field; absent ones left out. */
export type DecisionValues = Partial<Record<DecisionField, string>>;

/** A capability's past, as the recorder and the thickness log saw it. */
export interface DemoCapability {
  entityRef: string;
  /**
   * What its annotations said from `daysAgo` on, oldest first. The last
   * entry is what examples/platform.yaml says today, so the recorder's first
   * run over the sample catalog finds nothing new.
   */
  decisions: Array<{ daysAgo: number; values: DecisionValues }>;
  /**
   * Its consumer teams from `daysAgo` on, oldest first. The last entry is
   * what the sample catalog gives today (examples/consumers.yaml), so the
   * portfolio refresher logs no new weight today.
   */
  consumerTeams: Array<{ daysAgo: number; teams: number }>;
}

/** How far back the thickness log goes: the trend's first day. */
export const THICKNESS_LOG_DAYS = 120;

/** The portfolio refresher's task, triggered once the seed is written. */
export const PORTFOLIO_REFRESH_TASK_ID = 'freeboard-portfolio-refresh';

const ref = (name: string) => `component:default/${name}`;

/** `YYYY-MM-DD` (UTC) of `time`. */
function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * The demo's capabilities, dated from `now`. Review-by dates set in the
 * past are the last day of a month some months after they were set, so
 * they read as a team would have chosen them on that day; today's values
 * are the sample catalog's, which is static.
 */
export function demoCapabilities(now: number): DemoCapability[] {
  const reviewIn = (daysAgo: number, months: number) => {
    const set = new Date(now - daysAgo * DAY_MS);
    return isoDay(
      Date.UTC(set.getUTCFullYear(), set.getUTCMonth() + months + 1, 0),
    );
  };

  const ciPipelines: DecisionValues = {
    decision: 'sink',
    baseCapability: 'Hosted CI runners (GitHub Actions)',
    rationale:
      'Our pipelines encode compliance gates and build caching the hosted runners do not offer yet.',
    reviewBy: '2027-03-31',
  };
  const kubernetesSink: DecisionValues = {
    decision: 'sink',
    baseCapability: 'Managed Kubernetes (EKS)',
    rationale:
      'Our clusters carry network policies, cost reports and upgrade tooling that managed Kubernetes did not offer when we built them.',
    reviewBy: reviewIn(150, 4),
  };
  const observability: DecisionValues = {
    decision: 'float',
    baseCapability: 'Managed observability (Grafana Cloud)',
    rationale:
      'Self-hosting the metrics and log stack costs two engineers; the vendor covers our needs.',
    reviewBy: '2026-09-30',
    replacedBy: 'Grafana Cloud',
  };
  const registrySink: DecisionValues = {
    decision: 'sink',
    baseCapability: 'Cloud artifact registry (ECR / CodeArtifact)',
    rationale:
      'One registry for images, Maven and npm packages behind a pull-through cache; the cloud registry covered images only.',
    reviewBy: reviewIn(145, 3),
  };
  const featureFlags: DecisionValues = {
    decision: 'sink',
    baseCapability: 'Hosted feature flag vendors',
    rationale:
      'Flags are tied to our experimentation and audit pipeline; revisit when the vendor supports it.',
    reviewBy: '2027-04-30',
  };

  return [
    {
      // Reviewed as it came due: kept for another six months.
      entityRef: ref('ci-pipelines'),
      decisions: [
        {
          daysAgo: 160,
          values: { ...ciPipelines, reviewBy: reviewIn(160, 3) },
        },
        { daysAgo: 55, values: ciPipelines },
      ],
      consumerTeams: [
        { daysAgo: 160, teams: 5 },
        { daysAgo: 75, teams: 6 },
      ],
    },
    {
      // From sink to float: the cloud caught up with what the team built.
      entityRef: ref('kubernetes-runtime'),
      decisions: [
        { daysAgo: 150, values: kubernetesSink },
        {
          daysAgo: 42,
          values: {
            decision: 'float',
            baseCapability: 'Managed Kubernetes (EKS)',
            rationale:
              'Running our own control plane duplicates what the cloud now offers; we move to managed clusters.',
            reviewBy: '2027-01-15',
            replacedBy: 'Amazon EKS',
          },
        },
      ],
      consumerTeams: [
        { daysAgo: 150, teams: 5 },
        { daysAgo: 100, teams: 6 },
      ],
    },
    {
      // Floating for months; the review was moved once and then forgotten,
      // so it is overdue since the day after 2026-09-30.
      entityRef: ref('observability-stack'),
      decisions: [
        {
          daysAgo: 170,
          values: { ...observability, reviewBy: reviewIn(170, 2) },
        },
        { daysAgo: 100, values: observability },
      ],
      // Teams join as the vendor migration's waves adopt it.
      consumerTeams: [
        { daysAgo: 170, teams: 3 },
        { daysAgo: 96, teams: 4 },
        { daysAgo: 60, teams: 5 },
      ],
    },
    {
      entityRef: ref('secrets-manager'),
      decisions: [
        {
          daysAgo: 140,
          values: {
            decision: 'sink',
            baseCapability: 'Cloud secrets manager (AWS Secrets Manager)',
            rationale:
              'Rotation workflows and audit trails are specific to our compliance regime.',
            reviewBy: '2027-06-30',
          },
        },
      ],
      consumerTeams: [{ daysAgo: 140, teams: 4 }],
    },
    {
      entityRef: ref('golden-path-templates'),
      decisions: [
        {
          daysAgo: 130,
          values: {
            decision: 'sink',
            baseCapability: 'None: unique to the company',
            rationale:
              'Golden paths encode how this company builds software; no vendor offers that.',
            reviewBy: '2027-05-01',
          },
        },
      ],
      // The Kotlin template brought Logistics in.
      consumerTeams: [
        { daysAgo: 130, teams: 2 },
        { daysAgo: 100, teams: 3 },
      ],
    },
    {
      // Floated three months ago in favour of the managed registry; since
      // the deprecation, three teams of six have moved.
      entityRef: ref('artifact-registry'),
      decisions: [
        { daysAgo: 145, values: registrySink },
        {
          daysAgo: 90,
          values: {
            decision: 'float',
            baseCapability: 'Cloud artifact registry (ECR / CodeArtifact)',
            rationale:
              'The cloud registry now covers images and packages with less toil than our self-hosted one.',
            reviewBy: '2027-02-28',
            replacedBy: 'component:default/managed-artifact-registry',
          },
        },
      ],
      consumerTeams: [
        { daysAgo: 145, teams: 6 },
        { daysAgo: 28, teams: 5 },
        { daysAgo: 18, teams: 4 },
        { daysAgo: 7, teams: 3 },
      ],
    },
    {
      // As its review came due, someone wrote a review-by the annotation
      // parser refuses (recorded as invalid); two days later a date was back.
      entityRef: ref('feature-flags'),
      decisions: [
        {
          daysAgo: 125,
          values: { ...featureFlags, reviewBy: reviewIn(125, 3) },
        },
        {
          daysAgo: 22,
          values: { ...featureFlags, reviewBy: 'after the sale' },
        },
        { daysAgo: 20, values: featureFlags },
      ],
      consumerTeams: [{ daysAgo: 125, teams: 3 }],
    },
    {
      // The newest capability: Checkout piloted it, Growth followed.
      entityRef: ref('preview-environments'),
      decisions: [
        {
          daysAgo: 60,
          values: {
            decision: 'sink',
            rationale:
              'Previews are wired to our masked test data and contract tests; no vendor offers that.',
            reviewBy: '2027-07-31',
          },
        },
      ],
      consumerTeams: [
        { daysAgo: 60, teams: 1 },
        { daysAgo: 25, teams: 2 },
      ],
    },
  ];
}

/** The values in the recorder's field order, so stored JSON compares equal. */
function ordered(values: DecisionValues): DecisionValues {
  const out: DecisionValues = {};
  for (const field of FIELDS) {
    if (values[field] !== undefined) out[field] = values[field];
  }
  return out;
}

/** The annotation parser's problems with `values`, sorted as the recorder keeps them. */
function problemsOf(values: DecisionValues): string[] {
  const annotations: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = values[field];
    if (value !== undefined) {
      annotations[FLOAT_OR_SINK_ANNOTATIONS[field]] = value;
    }
  }
  return [...parseFloatOrSinkAnnotations(annotations).problems].sort();
}

/**
 * How the thickness meter counts a capability with these annotations
 * (plugins/freeboard-backend/src/thickness/figures.ts): `none` without a
 * valid decision; a base capability that starts with the word "none" is no
 * base capability.
 */
export function thicknessStateOf(
  values: DecisionValues,
): ThicknessCategory | 'none' {
  const annotations: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = values[field];
    if (value !== undefined) {
      annotations[FLOAT_OR_SINK_ANNOTATIONS[field]] = value;
    }
  }
  const { decision } = parseFloatOrSinkAnnotations(annotations);
  if (!decision) return 'none';
  if (decision.decision === 'float') return 'floating';
  const base = (decision.baseCapability ?? '').trim();
  return base !== '' && !/^none\b/i.test(base) ? 'kept' : 'unique';
}

/** When the recorder ran on the day `daysAgo` days before `now` (09:10 UTC). */
function recorderRun(now: number, daysAgo: number): Date {
  const today = Date.parse(`${isoDay(now)}T00:00:00Z`);
  return new Date(today - daysAgo * DAY_MS + (9 * 60 + 10) * 60 * 1000);
}

interface EventRow {
  entity_ref: string;
  type: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  problems: string | null;
  observed_at: Date;
}

interface StateRow {
  entity_ref: string;
  annotations: string;
  problems: string | null;
  observed_at: Date;
}

interface LogRow {
  entity_ref: string;
  day: string;
  category: string;
  weight: number;
}

/**
 * A capability's decision events and final state, as the recorder would
 * have written them seeing each entry of `decisions` on its day: first
 * seen, then a `changed` event per field that differs, and an `invalid`
 * event when a new set of parser problems appears.
 */
export function decisionHistoryOf(
  capability: DemoCapability,
  now: number,
): { events: EventRow[]; state: StateRow } {
  const events: EventRow[] = [];
  let previous: DecisionValues | undefined;
  let previousProblems: string[] = [];
  let observedAt = new Date(now);
  for (const { daysAgo, values: raw } of capability.decisions) {
    const values = ordered(raw);
    const seen: Array<Partial<EventRow> & { type: string }> = [];
    if (!previous) {
      seen.push({ type: 'first-seen', new_value: JSON.stringify(values) });
    } else {
      for (const field of FIELDS) {
        if (previous[field] !== values[field]) {
          seen.push({
            type: 'changed',
            field,
            old_value: previous[field] ?? null,
            new_value: values[field] ?? null,
          });
        }
      }
    }
    const problems = problemsOf(values);
    if (
      problems.length > 0 &&
      JSON.stringify(problems) !== JSON.stringify(previousProblems)
    ) {
      seen.push({
        type: 'invalid',
        new_value: JSON.stringify(values),
        problems: JSON.stringify(problems),
      });
    }
    observedAt = recorderRun(now, daysAgo);
    for (const event of seen) {
      events.push({
        entity_ref: capability.entityRef,
        field: null,
        old_value: null,
        new_value: null,
        problems: null,
        observed_at: observedAt,
        ...event,
      });
    }
    previous = values;
    previousProblems = problems;
  }
  return {
    events,
    state: {
      entity_ref: capability.entityRef,
      annotations: JSON.stringify(previous ?? {}),
      problems: previousProblems.length
        ? JSON.stringify(previousProblems)
        : null,
      observed_at: observedAt,
    },
  };
}

/**
 * A capability's thickness log from {@link THICKNESS_LOG_DAYS} ago to
 * yesterday, as the portfolio refresher would have written it: a row on
 * each day its category or weight changed, the weight its consumer teams
 * (at least 1; 0 for `none`). Nothing is logged for today: that row is the
 * refresher's.
 */
export function thicknessLogOf(
  capability: DemoCapability,
  now: number,
): LogRow[] {
  const stateOn = (daysAgo: number) => {
    const decision = capability.decisions.filter(d => d.daysAgo >= daysAgo);
    if (decision.length === 0) return undefined;
    const category = thicknessStateOf(decision[decision.length - 1].values);
    const teams = capability.consumerTeams.filter(t => t.daysAgo >= daysAgo);
    const count = teams.length ? teams[teams.length - 1].teams : 0;
    return { category, weight: category === 'none' ? 0 : Math.max(1, count) };
  };
  const days = [
    ...new Set(
      [...capability.decisions, ...capability.consumerTeams].map(d =>
        Math.min(d.daysAgo, THICKNESS_LOG_DAYS),
      ),
    ),
  ]
    .filter(daysAgo => daysAgo >= 1)
    .sort((a, b) => b - a);
  const rows: LogRow[] = [];
  let last: { category: string; weight: number } | undefined;
  for (const daysAgo of days) {
    const state = stateOn(daysAgo);
    if (!state) continue;
    const unchanged = last
      ? last.category === state.category && last.weight === state.weight
      : state.category === 'none';
    if (unchanged) continue;
    rows.push({
      entity_ref: capability.entityRef,
      day: isoDay(now - daysAgo * DAY_MS),
      ...state,
    });
    last = state;
  }
  return rows;
}

const INSERT_CHUNK = 100;

async function insertAll<T extends object>(
  db: Db,
  table: string,
  rows: T[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db(table).insert(rows.slice(i, i + INSERT_CHUNK));
  }
}

/** What one seeding wrote. */
export interface DecisionsSeedResult {
  /** Capabilities whose decision history was written. */
  histories: number;
  events: number;
  /** Capabilities whose thickness log was written. */
  logs: number;
  logRows: number;
}

/**
 * Writes the demo's decision histories and thickness log, dated from `now`,
 * into the Freeboard backend's (migrated) tables. Each part once per
 * capability and never over recorded history: a capability that has any
 * decision event or state keeps its history, one with a log row before
 * today keeps its log (a row for today, which the refresher may have
 * written first, stays the latest). Running it again writes nothing.
 */
export async function seedDemoDecisions(
  db: Db,
  now: number = Date.now(),
): Promise<DecisionsSeedResult> {
  const capabilities = demoCapabilities(now);
  const refs = capabilities.map(c => c.entityRef);
  const today = isoDay(now);
  return db.transaction(async tx => {
    const recorded = new Set<string>();
    for (const table of [
      'freeboard_decision_events',
      'freeboard_decision_state',
    ]) {
      const rows: Array<{ entity_ref: string }> = await tx(table)
        .whereIn('entity_ref', refs)
        .distinct('entity_ref');
      rows.forEach(r => recorded.add(r.entity_ref));
    }
    const logged = new Set<string>(
      (
        (await tx('freeboard_capability_log')
          .whereIn('entity_ref', refs)
          .where('day', '<', today)
          .distinct('entity_ref')) as Array<{ entity_ref: string }>
      ).map(r => r.entity_ref),
    );

    const histories = capabilities
      .filter(c => !recorded.has(c.entityRef))
      .map(c => decisionHistoryOf(c, now));
    // Oldest first across capabilities, so event ids follow time as the
    // recorder's would; the sort is stable within one run's events.
    const events = histories
      .flatMap(h => h.events)
      .sort((a, b) => a.observed_at.getTime() - b.observed_at.getTime());
    const logs = capabilities
      .filter(c => !logged.has(c.entityRef))
      .map(c => thicknessLogOf(c, now));
    const logRows = logs.flat();

    await insertAll(tx, 'freeboard_decision_events', events);
    await insertAll(
      tx,
      'freeboard_decision_state',
      histories.map(h => h.state),
    );
    await insertAll(tx, 'freeboard_capability_log', logRows);
    return {
      histories: histories.length,
      events: events.length,
      logs: logs.filter(l => l.length > 0).length,
      logRows: logRows.length,
    };
  });
}

/**
 * Asks the portfolio refresher to run now, so the portfolio holds the
 * sample catalog right away rather than at its next run. A run already
 * under way may have read the catalog before it was ingested, so the
 * request is repeated until it is accepted.
 */
async function triggerPortfolioRefresh(
  scheduler: SchedulerService,
  logger: LoggerService,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await scheduler.triggerTask(PORTFOLIO_REFRESH_TASK_ID);
      logger.info('Asked the portfolio refresher to run now');
      return;
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'ConflictError' && attempt < 20) {
        await new Promise(r => setTimeout(r, 3000));
        continue;
      }
      if (name === 'NotFoundError') {
        logger.info('No portfolio refresher is scheduled; not starting one');
        return;
      }
      logger.warn(
        `Could not start the portfolio refresh after seeding; it runs on its schedule: ${error}`,
      );
      return;
    }
  }
}

/**
 * Besides the capabilities, the sample entities the refresh must find for
 * the demo's story: the sub-teams that own capabilities, and the consumer
 * components whose relations show the registry's retirement and the
 * newest capability's consumers.
 */
export const SAMPLE_REFS = [
  'group:default/platform-runtime',
  'group:default/platform-dx',
  ...[
    'fraud-scoring',
    'pricing-engine',
    'auth-gateway',
    'route-planner',
    'push-notifications',
    'warehouse-sync',
    'experiment-service',
    'checkout-web',
    'recommendations',
  ].map(ref),
];

/**
 * An entity is visible once stitched; the relations other entities'
 * processing adds to it follow within a stitching round or two.
 */
const RELATIONS_SETTLE_MS = 5000;

/**
 * Demo only: seeds the decision history and the thickness log of the
 * sample capabilities, once, then starts a portfolio refresh. Real
 * installations do not add this module.
 *
 * It writes after start-up (the plugin has migrated its tables by then) and
 * only once the catalog holds the sample capabilities: the recorder takes a
 * known entity missing from the catalog for one that left it. The demo's
 * app-config delays the recorder's first run for the same reason.
 * `settleMs` is how long it lets the catalog's relations settle before the
 * refresh.
 */
export function createDemoDecisionsSeedModule(options?: { settleMs?: number }) {
  const settleMs = options?.settleMs ?? RELATIONS_SETTLE_MS;
  return createBackendModule({
    pluginId: 'freeboard',
    moduleId: 'demo-decisions-seed',
    register(reg) {
      reg.registerInit({
        deps: {
          database: coreServices.database,
          lifecycle: coreServices.lifecycle,
          scheduler: coreServices.scheduler,
          logger: coreServices.logger,
          auth: coreServices.auth,
          catalog: catalogServiceRef,
        },
        async init({ database, lifecycle, scheduler, logger, auth, catalog }) {
          lifecycle.addStartupHook(() => {
            seedWhenCatalogIsReady({
              database,
              scheduler,
              logger,
              auth,
              catalog,
              settleMs,
            }).catch(error =>
              logger.error('Seeding the demo decision history failed', error),
            );
          });
        },
      });
    },
  });
}

/** The demo's decision history seed, as the demo backend adds it. */
export const demoDecisionsSeedModule = createDemoDecisionsSeedModule();

async function seedWhenCatalogIsReady(deps: {
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  auth: AuthService;
  catalog: CatalogService;
  settleMs: number;
}): Promise<void> {
  const { logger } = deps;
  const refs = [
    ...demoCapabilities(Date.now()).map(c => c.entityRef),
    ...SAMPLE_REFS,
  ];
  if (!(await waitForCatalog({ ...deps, refs }))) {
    logger.warn('The catalog never held the sample entities; not seeding');
    return;
  }
  const result = await seedDemoDecisions(await deps.database.getClient());
  // Only the replica that seeded asks for a refresh: a restart, or another
  // replica, finds the history there and leaves the schedule alone.
  if (result.histories === 0 && result.logs === 0) return;
  logger.info('Seeded the demo decision history and thickness log', {
    ...result,
  });
  await new Promise(r => setTimeout(r, deps.settleMs));
  await triggerPortfolioRefresh(deps.scheduler, logger);
}
