import { AlphaEntity } from '@backstage/catalog-model/alpha';
import {
  AuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FLOAT_OR_SINK_ANNOTATIONS,
  normalizeEntityRef,
  parseFloatOrSinkAnnotations,
} from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import {
  DECISION_FIELDS,
  DecisionHistoryStore,
  DecisionObservation,
  DecisionState,
  DecisionValues,
  NewDecisionEvent,
} from './store';
import { readGlobalSchedule } from '../shared/schedule';
import { scheduleRecordedTask } from '../shared/taskRuns';

/** Entities per catalog page, and leftover refs per `getEntitiesByRefs`. */
const CATALOG_PAGE = 500;
/** State rows read per query. */
const STATE_PAGE = 1000;
/** Entity refs longer than the column are not recorded (the catalog caps names far below). */
const MAX_REF_LENGTH = 255;

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  // The catalog keeps an entity's last valid version when a processor
  // reports a bad annotation; the report itself is only in the status.
  'status.items',
];

/** Entities carrying any of the five annotations: an array of filters is an OR. */
const FILTER = Object.values(FLOAT_OR_SINK_ANNOTATIONS).map(key => ({
  [`metadata.annotations.${key}`]: CATALOG_FILTER_EXISTS,
}));

export interface RecordDeps {
  catalog: CatalogService;
  auth: AuthService;
  store: DecisionHistoryStore;
  logger: LoggerService;
  now?: () => Date;
}

export interface RecordResult {
  /** Entities carrying a decision annotation that the catalog returned. */
  entities: number;
  /** Entities whose history gained events. */
  changed: number;
  events: number;
  /**
   * Set when the run held back the entities it no longer found: too many
   * of them vanished at once to be believed (see `MAX_VANISHED_SHARE`).
   */
  heldBack?: number;
}

/**
 * A run that finds more than this share of the entities it knew vanished
 * (at least `MIN_VANISHED_HELD_BACK` of them) records none of them as
 * removed or gone, and warns: a catalog location dropped by mistake must
 * not write "gone" into every history. The next run looks again.
 */
const MAX_VANISHED_SHARE = 0.5;
const MIN_VANISHED_HELD_BACK = 10;

/** The decision annotations of an entity, or undefined when it has none. */
function valuesOf(entity: Entity): DecisionValues | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const values: DecisionValues = {};
  let any = false;
  for (const field of DECISION_FIELDS) {
    const value = annotations[FLOAT_OR_SINK_ANNOTATIONS[field]];
    if (typeof value === 'string') {
      // PostgreSQL text cannot hold NUL; a catalog value could.
      values[field] = value.split('\u0000').join('\uFFFD');
      any = true;
    }
  }
  return any ? values : undefined;
}

/**
 * Problems the Freeboard processor reported on the entity's latest version:
 * processing errors in `status.items` that name a decision annotation. The
 * catalog answers the last valid version meanwhile, so without these a bad
 * edit would never reach the history.
 */
export function processorProblemsOf(entity: AlphaEntity): string[] {
  const keys = Object.values(FLOAT_OR_SINK_ANNOTATIONS);
  const problems: string[] = [];
  for (const item of entity.status?.items ?? []) {
    if (item.level !== 'error') continue;
    const message = item.error?.message ?? item.message;
    if (typeof message !== 'string') continue;
    if (keys.some(key => message.includes(key))) {
      problems.push(message.split('\u0000').join('\uFFFD').slice(0, 1000));
    }
  }
  return problems;
}

/** The parser's and the processor's problems, sorted so the same set compares equal. */
function problemsOf(
  values: DecisionValues,
  processorProblems: string[],
): string[] {
  const annotations: Record<string, string> = {};
  for (const field of DECISION_FIELDS) {
    const value = values[field];
    if (value !== undefined) {
      annotations[FLOAT_OR_SINK_ANNOTATIONS[field]] = value;
    }
  }
  return [
    ...new Set([
      ...parseFloatOrSinkAnnotations(annotations).problems,
      ...processorProblems,
    ]),
  ].sort();
}

const sameProblems = (a: string[] | undefined, b: string[]) =>
  JSON.stringify(a ?? []) === JSON.stringify(b);

/**
 * Compares what the catalog holds now (`values`; undefined: no decision
 * annotations, `gone`: not in the catalog at all) with what was last seen.
 * Undefined when nothing changed.
 */
export function observe(
  entityRef: string,
  previous: DecisionState | undefined,
  values: DecisionValues | undefined,
  gone = false,
  processorProblems: string[] = [],
): DecisionObservation | undefined {
  if (values === undefined) {
    if (!previous) return undefined;
    return {
      entityRef,
      events: [
        {
          type: gone ? 'entity-gone' : 'removed',
          oldValue: JSON.stringify(previous.values),
        },
      ],
      state: null,
    };
  }
  const events: NewDecisionEvent[] = [];
  if (!previous) {
    events.push({ type: 'first-seen', newValue: JSON.stringify(values) });
  } else {
    for (const field of DECISION_FIELDS) {
      const before = previous.values[field];
      const after = values[field];
      if (before !== after) {
        events.push({
          type: 'changed',
          field,
          ...(before !== undefined ? { oldValue: before } : {}),
          ...(after !== undefined ? { newValue: after } : {}),
        });
      }
    }
  }
  const problems = problemsOf(values, processorProblems);
  // A problem set is recorded once, not on every run it persists.
  if (problems.length > 0 && !sameProblems(previous?.problems, problems)) {
    events.push({
      type: 'invalid',
      newValue: JSON.stringify(values),
      problems,
    });
  }
  const problemsChanged = !sameProblems(previous?.problems, problems);
  if (events.length === 0 && !problemsChanged) return undefined;
  return {
    entityRef,
    events,
    state: {
      values,
      ...(problems.length > 0 ? { problems } : {}),
    },
  };
}

/**
 * Records every change of the entities' decision annotations: pages through
 * the catalog's entities carrying any of them, compares each with the values
 * last seen and appends events, one transaction per page. Entities last seen
 * with annotations that no page returned are looked up in batches: those the
 * catalog still holds lost their annotations (`removed`), the others are
 * gone. Every event of a run carries the run's time.
 */
export async function recordDecisionHistory(
  deps: RecordDeps,
): Promise<RecordResult> {
  const { catalog, store } = deps;
  const observedAt = deps.now?.() ?? new Date();
  const credentials = await deps.auth.getOwnServiceCredentials();

  const states = new Map<string, DecisionState>();
  let afterEntityRef: string | undefined;
  for (;;) {
    const page = await store.listStates({ limit: STATE_PAGE, afterEntityRef });
    for (const state of page) states.set(state.entityRef, state);
    if (page.length < STATE_PAGE) break;
    afterEntityRef = page[page.length - 1].entityRef;
  }

  const result: RecordResult = { entities: 0, changed: 0, events: 0 };
  const apply = async (observations: DecisionObservation[]) => {
    await store.apply(observations, observedAt);
    result.changed += observations.length;
    for (const o of observations) result.events += o.events.length;
  };

  const leftover = new Set(states.keys());
  // A page may repeat an entity when the catalog changes between pages.
  const seen = new Set<string>();
  let skipped = 0;
  let cursor: string | undefined;
  do {
    const response = await catalog.queryEntities(
      cursor
        ? { cursor, limit: CATALOG_PAGE, fields: FIELDS }
        : {
            filter: FILTER,
            limit: CATALOG_PAGE,
            fields: FIELDS,
            // Counting every match would cost the catalog a query per run.
            totalItems: 'exclude',
          },
      { credentials },
    );
    const observations: DecisionObservation[] = [];
    for (const entity of response.items) {
      // Lower case, the form the routes look histories up in.
      const entityRef = normalizeEntityRef({
        kind: entity.kind,
        namespace: entity.metadata.namespace,
        name: entity.metadata.name,
      });
      if (entityRef.length > MAX_REF_LENGTH) {
        skipped += 1;
        continue;
      }
      if (seen.has(entityRef)) continue;
      seen.add(entityRef);
      leftover.delete(entityRef);
      result.entities += 1;
      const observation = observe(
        entityRef,
        states.get(entityRef),
        valuesOf(entity),
        false,
        processorProblemsOf(entity),
      );
      if (observation) observations.push(observation);
    }
    await apply(observations);
    cursor = response.pageInfo.nextCursor;
  } while (cursor);

  const refs = [...leftover];
  if (
    refs.length >= MIN_VANISHED_HELD_BACK &&
    refs.length > states.size * MAX_VANISHED_SHARE
  ) {
    deps.logger.warn(
      `Decision history: ${refs.length} of ${states.size} known entities no longer carry a decision annotation; ` +
        'more than half at once looks like a catalog problem, so none of them is recorded as removed or gone this run',
    );
    return { ...result, heldBack: refs.length };
  }
  for (let i = 0; i < refs.length; i += CATALOG_PAGE) {
    const chunk = refs.slice(i, i + CATALOG_PAGE);
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: chunk, fields: FIELDS },
      { credentials },
    );
    const observations: DecisionObservation[] = [];
    chunk.forEach((entityRef, j) => {
      const entity = items[j];
      const observation = observe(
        entityRef,
        states.get(entityRef),
        entity ? valuesOf(entity) : undefined,
        !entity,
        entity ? processorProblemsOf(entity) : [],
      );
      if (observation) observations.push(observation);
    });
    await apply(observations);
  }

  if (skipped > 0) {
    deps.logger.warn(
      `Skipped the decision history of ${skipped} entities whose refs exceed ${MAX_REF_LENGTH} characters`,
    );
  }
  return result;
}

/** The task's id, as the scheduler lists it. */
export const DECISION_HISTORY_TASK_ID = 'freeboard-decisions-history';

const CONFIG_KEY = 'freeboard.decisions.history';

const DEFAULT_SCHEDULE = {
  frequency: { minutes: 10 },
  timeout: { minutes: 10 },
};

/**
 * `freeboard.decisions.history` (frequency, timeout, initialDelay as in any
 * Backstage task schedule) over the defaults. The scope is always global:
 * two replicas recording the same change would append it twice.
 */
export function readDecisionHistorySchedule(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  return readGlobalSchedule(config, CONFIG_KEY, DEFAULT_SCHEDULE);
}

/** Schedules the decision history recorder, each run recorded. */
export async function scheduleDecisionHistory(
  deps: RecordDeps & {
    scheduler: SchedulerService;
    config: RootConfigService;
    db: Knex;
  },
): Promise<void> {
  const { scheduler, config, db, ...recordDeps } = deps;
  await scheduleRecordedTask(
    { scheduler, db, logger: recordDeps.logger },
    {
      id: DECISION_HISTORY_TASK_ID,
      ...readDecisionHistorySchedule(config),
      fn: async () => {
        const result = await recordDecisionHistory(recordDeps);
        recordDeps.logger.info('Recorded the decision history', {
          ...result,
        });
      },
    },
  );
}
