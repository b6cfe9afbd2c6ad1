import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  EntityFilterQuery,
} from '@backstage/catalog-client';
import {
  Entity,
  RELATION_CHILD_OF,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  parseEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FLOAT_OR_SINK_ANNOTATIONS,
  normalizeEntityRef,
  parseFloatOrSinkAnnotations,
} from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import { AdoptionReader } from '../phases/adoption';
import { readGlobalSchedule } from '../shared/schedule';
import { scheduleRecordedTask } from '../shared/taskRuns';
import { CapabilityRecord, GroupLink, PortfolioRefreshStore } from './store';

/** Entities per catalog page, and refs per `getEntitiesByRefs` call. */
const CATALOG_PAGE = 500;
/** Refs longer than the columns are left out (the catalog caps names far below). */
const MAX_REF_LENGTH = 255;
const MAX_TITLE_LENGTH = 255;
const MAX_KIND_LENGTH = 63;

const CAPABILITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.system',
  'spec.owner',
  'relations',
];
const GROUP_FIELDS = ['kind', 'metadata', 'relations'];

/** Entities carrying any of the five decision annotations: an array of filters is an OR. */
const DECISION_FILTER: EntityFilterQuery = Object.values(
  FLOAT_OR_SINK_ANNOTATIONS,
).map(key => ({ [`metadata.annotations.${key}`]: CATALOG_FILTER_EXISTS }));

/**
 * A run that finds more than this share of the capabilities (or groups) it
 * knew vanished, at least {@link MIN_VANISHED_HELD_BACK} of them, keeps them
 * and warns, as the decision recorder does: a catalog location dropped by
 * mistake must not empty the portfolio nor log every capability as gone.
 */
const MAX_VANISHED_SHARE = 0.5;
const MIN_VANISHED_HELD_BACK = 10;

/** The task's id, as the scheduler lists it. */
export const PORTFOLIO_REFRESH_TASK_ID = 'freeboard-portfolio-refresh';

const SCHEDULE_KEY = 'freeboard.portfolio.refresh';
const FILTER_KEY = 'freeboard.portfolio.filter';

const DEFAULT_SCHEDULE = {
  frequency: { minutes: 10 },
  timeout: { minutes: 10 },
};

export interface RefreshDeps {
  catalog: CatalogService;
  auth: AuthService;
  store: PortfolioRefreshStore;
  logger: LoggerService;
  /** The configured capability set; by default, decisions ∪ ledgers ∪ initiatives. */
  filter?: EntityFilterQuery;
  now?: () => Date;
}

export interface RefreshResult {
  capabilities: number;
  removed: number;
  /** Log rows written or withdrawn for today. */
  logged: number;
  groups: number;
  /** Set when the run kept capabilities it no longer found (too many vanished at once). */
  heldBack?: number;
  /** Set when the run kept groups it no longer found. */
  groupsHeldBack?: number;
}

/**
 * `freeboard.portfolio.filter`: a catalog filter as in `queryEntities`, an
 * object or a list of objects (a list is an OR) of `key: value` or
 * `key: [values]`. Undefined when not configured; a bad value stops start-up
 * with a message naming the key.
 */
export function readPortfolioFilter(
  config: RootConfigService,
): EntityFilterQuery | undefined {
  const raw = config.getOptional(FILTER_KEY);
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  const problem = `${FILTER_KEY} must be an object, or a list of objects, of key: value or key: [values] with string values`;
  if (list.length === 0) throw new Error(problem);
  return list.map(item => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new Error(problem);
    }
    const entries = Object.entries(item);
    if (entries.length === 0) throw new Error(problem);
    const filter: Record<string, string | string[]> = {};
    for (const [key, value] of entries) {
      if (typeof value === 'string') {
        filter[key] = value;
      } else if (
        Array.isArray(value) &&
        value.length > 0 &&
        value.every(v => typeof v === 'string')
      ) {
        filter[key] = value as string[];
      } else {
        throw new Error(problem);
      }
    }
    return filter;
  });
}

/** `freeboard.portfolio.refresh` over the defaults; always global scope. */
export function readPortfolioRefreshSchedule(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  return readGlobalSchedule(config, SCHEDULE_KEY, DEFAULT_SCHEDULE);
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/** Text for a column: PostgreSQL text cannot hold NUL, a catalog value could. */
function clean(value: string, max?: number): string {
  const text = value.split('\u0000').join('\uFFFD');
  return max === undefined ? text : text.slice(0, max);
}

function refOf(entity: Entity): string {
  return normalizeEntityRef({
    kind: entity.kind,
    namespace: entity.metadata.namespace,
    name: entity.metadata.name,
  });
}

function kindOf(ref: string): string {
  return ref.slice(0, ref.indexOf(':'));
}

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => lower(r.targetRef))
    .filter(r => r.length <= MAX_REF_LENGTH)
    .sort();
}

/** A ref written in a spec field, in full lower-case form; undefined if it is not one. */
function specRef(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    const ref = lower(
      normalizeEntityRef(
        parseEntityRef(value.trim(), { defaultKind, defaultNamespace }),
      ),
    );
    return ref.length <= MAX_REF_LENGTH ? ref : undefined;
  } catch {
    return undefined;
  }
}

function ownerOf(entity: Entity): string | undefined {
  const [owner] = relationTargets(entity, RELATION_OWNED_BY);
  return (
    owner ??
    specRef(entity.spec?.owner, 'group', entity.metadata.namespace ?? 'default')
  );
}

function systemOf(entity: Entity): string | undefined {
  const [system] = relationTargets(entity, RELATION_PART_OF).filter(
    r => kindOf(r) === 'system',
  );
  return (
    system ??
    specRef(
      entity.spec?.system,
      'system',
      entity.metadata.namespace ?? 'default',
    )
  );
}

/** A capability's row, from its entity and consumer teams. */
export function capabilityOf(
  entityRef: string,
  entity: Entity,
  consumerTeams: string[],
): CapabilityRecord {
  const parsed = parseFloatOrSinkAnnotations(entity.metadata.annotations);
  const record: CapabilityRecord = {
    entityRef,
    kind: clean(lower(entity.kind), MAX_KIND_LENGTH),
    title: clean(
      entity.metadata.title ?? entity.metadata.name,
      MAX_TITLE_LENGTH,
    ),
    consumerTeams,
  };
  const ownerRef = ownerOf(entity);
  if (ownerRef) record.ownerRef = ownerRef;
  const systemRef = systemOf(entity);
  if (systemRef) record.systemRef = systemRef;
  if (parsed.problems.length > 0) {
    record.problems = [...parsed.problems].sort().map(p => clean(p));
  } else if (parsed.decision) {
    const d = parsed.decision;
    record.decision = d.decision;
    if (d.baseCapability) record.baseCapability = clean(d.baseCapability);
    if (d.replacedBy) record.replacedBy = clean(d.replacedBy);
    if (d.reviewBy) record.reviewBy = d.reviewBy;
  }
  return record;
}

function heldBack(known: number, vanished: number): boolean {
  return (
    vanished >= MIN_VANISHED_HELD_BACK && vanished > known * MAX_VANISHED_SHARE
  );
}

/** Every entity matching `filter`, paged, keyed by normalized ref. */
async function queryAll(
  catalog: CatalogService,
  filter: EntityFilterQuery,
  fields: string[],
  credentials: BackstageCredentials,
  into: Map<string, Entity>,
): Promise<number> {
  let skipped = 0;
  let cursor: string | undefined;
  do {
    const response = await catalog.queryEntities(
      cursor
        ? { cursor, limit: CATALOG_PAGE, fields }
        : { filter, limit: CATALOG_PAGE, fields, totalItems: 'exclude' },
      { credentials },
    );
    for (const entity of response.items) {
      const ref = refOf(entity);
      if (ref.length > MAX_REF_LENGTH) {
        skipped += 1;
        continue;
      }
      // A page may repeat an entity when the catalog changes between pages.
      if (!into.has(ref)) into.set(ref, entity);
    }
    cursor = response.pageInfo.nextCursor;
  } while (cursor);
  return skipped;
}

/** The entities of `refs` the catalog holds, in chunks. */
async function fetchByRefs(
  catalog: CatalogService,
  refs: string[],
  credentials: BackstageCredentials,
  into: Map<string, Entity>,
): Promise<void> {
  for (let i = 0; i < refs.length; i += CATALOG_PAGE) {
    const chunk = refs.slice(i, i + CATALOG_PAGE);
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: chunk, fields: CAPABILITY_FIELDS },
      { credentials },
    );
    chunk.forEach((ref, j) => {
      const entity = items[j];
      if (entity) into.set(ref, entity);
    });
  }
}

/**
 * Rebuilds the portfolio's copy of the catalog: the capability set (the
 * configured filter, or every entity carrying a decision annotation, a
 * ledger or an initiative), each with its owner, system, decision and
 * consumer teams; the group hierarchy; and today's thickness log rows where
 * a capability's category or weight changed. Read as the plugin, paged and
 * batched, never one request per entity; each table set is replaced in one
 * transaction.
 */
export async function refreshPortfolio(
  deps: RefreshDeps,
): Promise<RefreshResult> {
  const { catalog, store, logger } = deps;
  const at = deps.now?.() ?? new Date();
  const credentials = await deps.auth.getOwnServiceCredentials();

  // The capability set.
  const entities = new Map<string, Entity>();
  let skipped = await queryAll(
    catalog,
    deps.filter ?? DECISION_FILTER,
    CAPABILITY_FIELDS,
    credentials,
    entities,
  );
  if (!deps.filter) {
    const [ledgers, initiatives] = await Promise.all([
      store.listLedgerRefs(),
      store.listInitiativeRefs(),
    ]);
    const missing = [...new Set([...ledgers, ...initiatives])].filter(
      ref => !entities.has(ref) && ref.length <= MAX_REF_LENGTH,
    );
    await fetchByRefs(catalog, missing, credentials, entities);
  }

  // Consumer teams, in shared batches for all capabilities.
  const refs = [...entities.keys()];
  const adopters = await new AdoptionReader(catalog).adoptersOfMany(
    refs,
    credentials,
  );
  const seen = new Map<string, CapabilityRecord>();
  for (const [ref, entity] of entities) {
    const teams = [...(adopters.get(ref)?.keys() ?? [])].filter(
      t => t.length <= MAX_REF_LENGTH,
    );
    seen.set(ref, capabilityOf(ref, entity, teams));
  }

  // Groups and their parents.
  const groupEntities = new Map<string, Entity>();
  skipped += await queryAll(
    catalog,
    { kind: 'group' },
    GROUP_FIELDS,
    credentials,
    groupEntities,
  );
  const groups: GroupLink[] = [...groupEntities].map(([groupRef, entity]) => {
    const [parentRef] = relationTargets(entity, RELATION_CHILD_OF);
    return { groupRef, ...(parentRef ? { parentRef } : {}) };
  });

  const result: RefreshResult = {
    capabilities: seen.size,
    removed: 0,
    logged: 0,
    groups: groups.length,
  };

  // Capabilities no longer in the set, unless too many went at once.
  const known = await store.listCapabilityRefs();
  const vanished = known.filter(ref => !seen.has(ref));
  let held = new Set<string>();
  if (heldBack(known.length, vanished.length)) {
    logger.warn(
      `Portfolio: ${vanished.length} of ${known.length} known capabilities are no longer in the catalog's capability set; ` +
        'more than half at once looks like a catalog problem, so they are kept this run',
    );
    held = new Set(vanished);
    result.heldBack = vanished.length;
  }
  const remove = vanished.filter(ref => !held.has(ref));
  result.removed = remove.length;

  await store.applyCapabilities({
    upsert: [...seen.values()],
    remove,
    at,
  });
  // Today's log rows, where a capability's category or weight changed.
  result.logged = await store.logThickness(at);

  const knownGroups = await store.listGroups();
  const seenGroups = new Set(groups.map(g => g.groupRef));
  const vanishedGroups = knownGroups
    .map(g => g.groupRef)
    .filter(ref => !seenGroups.has(ref));
  let removeGroups = vanishedGroups;
  if (heldBack(knownGroups.length, vanishedGroups.length)) {
    logger.warn(
      `Portfolio: ${vanishedGroups.length} of ${knownGroups.length} known groups are no longer in the catalog; ` +
        'more than half at once looks like a catalog problem, so they are kept this run',
    );
    removeGroups = [];
    result.groupsHeldBack = vanishedGroups.length;
  }
  const knownParents = new Map(
    knownGroups.map(g => [g.groupRef, g.parentRef ?? null]),
  );
  await store.applyGroups({
    upsert: groups.filter(
      g => knownParents.get(g.groupRef) !== (g.parentRef ?? null),
    ),
    remove: removeGroups,
  });

  if (skipped > 0) {
    logger.warn(
      `Portfolio: skipped ${skipped} entities whose refs exceed ${MAX_REF_LENGTH} characters`,
    );
  }
  return result;
}

/** Schedules the portfolio refresher, each run recorded. */
export async function schedulePortfolioRefresh(
  deps: RefreshDeps & {
    scheduler: SchedulerService;
    config: RootConfigService;
    db: Knex;
  },
): Promise<void> {
  const { scheduler, config, db, ...refreshDeps } = deps;
  await scheduleRecordedTask(
    { scheduler, db, logger: refreshDeps.logger },
    {
      id: PORTFOLIO_REFRESH_TASK_ID,
      ...readPortfolioRefreshSchedule(config),
      fn: async () => {
        const result = await refreshPortfolio(refreshDeps);
        refreshDeps.logger.info('Refreshed the portfolio', { ...result });
      },
    },
  );
}
