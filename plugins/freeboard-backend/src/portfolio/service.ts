import { FreshCache } from '../shared/freshCache';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CapabilityDecision,
  DecisionReview,
  GroupRollup,
  MVP_PHASES,
  MvpPhase,
  OverdrawnTeam,
  OverdueReview,
  OwnedCapability,
  OwnerRollup,
  PhaseBlocker,
  PhaseGlance,
  PortfolioFilters,
  PortfolioPage,
  PortfolioQuery,
  PortfolioRow,
  PortfolioSort,
  PortfolioSummary,
  PortfolioTotals,
  TrustLevel,
  TrustLevelThresholds,
  decisionReviewOf,
  trustLevelOf,
} from '@freeboard/backstage-plugin-common';
import { evaluate } from '../phases/domain/evaluate';
import { InitiativeRecord, phaseIndex } from '../phases/domain/record';
import { CatalogReadScope } from '../shared/readScope';
import { CatalogVisibility } from '../shared/visibility';
import { DAY_MS, dayOf, decayFactor, roundCredits } from '../trust/store/decay';
import { CsvValue, toCsv } from './csv';
import {
  CapabilityMeasures,
  CatalogCapability,
  GroupLink,
  LedgerTotals,
  PortfolioReadStore,
} from './store';

/** Weeks of a row's trend: balances at the end of each, today last. */
const TREND_WEEKS = 8;
/** Parsed initiative records kept in memory; beyond this the cache starts over. */
const MAX_CACHED_RECORDS = 50_000;
const TOP_OVERDUE = 10;
const TOP_OVERDRAWN = 10;
const OVERDRAWN_CAPABILITIES = 5;
const TOP_BLOCKERS = 5;
/** What a blocker says of a sign-off group the caller cannot see. */
const HIDDEN_GROUP = 'A group you cannot see';

const LEVELS: TrustLevel[] = ['overdrawn', 'thin', 'healthy', 'strong'];
const ADOPTION_MEASURES = new Set(['pioneer-adopted', 'cohort-adopted']);

export const CSV_COLUMNS = [
  'entity_ref',
  'title',
  'owner',
  'system',
  'balance',
  'level',
  'trend_8w_change',
  'phase',
  'criteria_done',
  'criteria_total',
  'decision',
  'review_by',
  'overdue_days',
  'consumer_teams',
  'adopted_teams',
  'decision_problems',
];

type DecisionKind = 'float' | 'sink' | 'none' | 'invalid';

/** A capability of the catalog copy, with what holds until the next refresh. */
interface CachedCapability {
  row: CatalogCapability;
  /** Lower case, for sorting by title. */
  titleKey: string;
  /** Lower-case title, ref, owner and system, for `q`. */
  search: string;
}

/** A capability with what the page computes from it once per request. */
interface Capability extends CachedCapability {
  ledger?: LedgerTotals;
  initiative?: { phase: MvpPhase; version: number };
  balance: number;
  level: TrustLevel;
  review?: DecisionReview;
  /** 0 when not overdue. */
  overdueDays: number;
  decisionKind: DecisionKind;
}

/**
 * The platform's figures as of one moment, shared by the requests of a few
 * seconds: every capability with its balance and review worked out, the
 * group hierarchy, current adoption, and what requests derive from them
 * (the orders, each caller's visible refs), kept with them.
 */
interface Figures {
  now: Date;
  capabilities: Capability[];
  groups: GroupLink[];
  /** Teams adopted now per initiative with adopters. */
  adoption: Map<string, number>;
  /** Every capability in each page order, sorted once per snapshot. */
  orders: Map<string, Capability[]>;
  /** Each principal's visible refs, checked against the catalog once per snapshot. */
  scopes: Map<string, { at: number; scope: Promise<Set<string>> }>;
  /** Every initiative's progress, for the panels and the CSV, worked out once per snapshot. */
  progress?: Promise<Map<string, Progress>>;
  /** The previous snapshot's orders, where this one's sorts start; dropped when the next arrives. */
  previousOrders?: Map<string, Capability[]>;
  byRef?: Map<string, Capability>;
}

/** The visible capabilities of one request, and how to test other refs. */
interface Dataset {
  figures: Figures;
  now: Date;
  capabilities: Capability[];
  isVisible: (ref: string) => boolean;
  groups: GroupLink[];
}

/** The current phase's exit criteria and what blocks leaving it. */
interface Progress {
  phase: MvpPhase;
  done: number;
  total: number;
  blockers: PhaseBlocker[];
  /** Criterion titles by id, to put blockers in words. */
  titles: Map<string, string>;
  /** Measured criteria by id. */
  measured: Set<string>;
}

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** Descendants of each group, itself included, through `childOf`; cycles end the walk. */
function descendantsOf(groups: GroupLink[], root: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const g of groups) {
    if (!g.parentRef) continue;
    const list = children.get(g.parentRef) ?? [];
    list.push(g.groupRef);
    children.set(g.parentRef, list);
  }
  const found = new Set<string>([root]);
  const queue = [root];
  while (queue.length > 0) {
    const next = queue.pop()!;
    for (const child of children.get(next) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** A group and its ancestors, nearest first; cycles end the walk. */
function ancestry(parents: Map<string, string>, group: string): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  let current: string | undefined = group;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    chain.push(current);
    current = parents.get(current);
  }
  return chain;
}

function weaker(a: TrustLevel | undefined, b: TrustLevel): TrustLevel {
  return a === undefined || LEVELS.indexOf(b) < LEVELS.indexOf(a) ? b : a;
}

function emptyTotals(): PortfolioTotals {
  return {
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
}

function totalsOf(capabilities: Capability[]): PortfolioTotals {
  const totals = emptyTotals();
  let balance = 0;
  for (const c of capabilities) {
    totals.capabilities += 1;
    balance += c.balance;
    if (c.overdueDays > 0) totals.overdue += 1;
    totals.byLevel[c.level] += 1;
    totals.byDecision[c.decisionKind] += 1;
    totals.byPhase[c.initiative?.phase ?? 'none'] += 1;
  }
  totals.balance = roundCredits(balance);
  return totals;
}

/** The sort key of a capability; undefined sorts last in either order. */
type SortKey = (c: Capability) => number | string | undefined;

/** Teams adopted now: an initiative nobody has adopted counts 0, a capability without one has no figure. */
function adoptedOf(
  c: Capability,
  adoption: Map<string, number>,
): number | undefined {
  return c.initiative ? adoption.get(c.row.entityRef) ?? 0 : undefined;
}

const SORT_KEYS: Record<Exclude<PortfolioSort, 'attention'>, SortKey> = {
  title: c => c.titleKey,
  owner: c => c.row.ownerRef,
  balance: c => c.balance,
  phase: c => (c.initiative ? phaseIndex(c.initiative.phase) : undefined),
  reviewBy: c => c.review?.reviewBy,
  consumers: c => c.row.consumerTeams,
  adoption: () => undefined,
};

/**
 * The order of the page: by `sort` in `order`, values a row lacks last in
 * either order, ties by entity ref (ascending) so pages never overlap.
 * `attention` lists overdue reviews first, most overdue first, then the
 * lowest balances; `desc` reverses it.
 */
function comparator(
  sort: PortfolioSort,
  order: 'asc' | 'desc',
  adoption: Map<string, number>,
): (a: Capability, b: Capability) => number {
  const dir = order === 'desc' ? -1 : 1;
  const byRef = (a: Capability, b: Capability) =>
    compareText(a.row.entityRef, b.row.entityRef);
  if (sort === 'attention') {
    return (a, b) => {
      const byOverdue = b.overdueDays - a.overdueDays;
      if (byOverdue !== 0) return dir * byOverdue;
      const byBalance = a.balance - b.balance;
      if (byBalance !== 0) return dir * byBalance;
      return byRef(a, b);
    };
  }
  const key: SortKey =
    sort === 'adoption' ? c => adoptedOf(c, adoption) : SORT_KEYS[sort];
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === undefined || kb === undefined) {
      if (ka !== kb) return ka === undefined ? 1 : -1;
      return byRef(a, b);
    }
    const compared =
      typeof ka === 'number' && typeof kb === 'number'
        ? ka - kb
        : compareText(String(ka), String(kb));
    return compared !== 0 ? dir * compared : byRef(a, b);
  };
}

/** How long a page's balances, phases and adoption figures are shared. */
const MEASURES_MAX_AGE_MS = 5_000;
/** Principals whose visible refs one snapshot keeps; beyond this they are checked per request. */
const MAX_CACHED_SCOPES = 500;

/** Who the caller is, for sharing the catalog's answer between their requests. */
function principalKey(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return `user:${principal.userEntityRef}`;
  }
  if (principal.type === 'service' && principal.subject) {
    return `service:${principal.subject}`;
  }
  return undefined;
}

/**
 * The portfolio: every platform capability the caller can see, with its
 * trust, phase, decision and adoption, from Freeboard's own tables (the
 * refresher's copy of the catalog, trust totals, initiatives, adoption
 * snapshots). Balances come from the forward-decayed totals, never from the
 * ledger. What the caller cannot see in the catalog is counted nowhere.
 */
export class PortfolioService {
  /** Parsed initiative records by ref; replaced when the version moves. */
  private readonly records = new Map<string, InitiativeRecord>();
  /** The capabilities as last refreshed, kept until the next refresh. */
  private copy?: { version: string; capabilities: CachedCapability[] };
  /**
   * Balances, phases and adoption of every capability, shared by requests
   * for a few seconds: a page filters and sorts all of them, and reading
   * 10,000 totals on every request costs more than the page's target.
   */
  private readonly figures: FreshCache<Figures>;
  private readonly maxAgeMs: number;
  /** The newest snapshot, whose orders the next one's sorts start from. */
  private latest?: Figures;

  constructor(
    private readonly options: {
      store: PortfolioReadStore;
      readScope: CatalogReadScope;
      visibility: CatalogVisibility;
      levels: TrustLevelThresholds;
      now?: () => Date;
      /** How long figures are shared before a reload; default 5 s. */
      measuresMaxAgeMs?: number;
    },
  ) {
    const maxAgeMs = options.measuresMaxAgeMs ?? MEASURES_MAX_AGE_MS;
    this.maxAgeMs = maxAgeMs;
    this.figures = new FreshCache(() => this.loadFigures(), {
      maxAgeMs,
      hardMaxAgeMs: maxAgeMs * 6,
    });
  }

  /** A page of the table, with totals over every visible matching row. */
  async page(
    query: PortfolioQuery,
    credentials: BackstageCredentials,
  ): Promise<PortfolioPage> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const data = await this.dataset(credentials);
    const matching = this.filtered(this.ordered(data, query), data, query);
    const pageItems = matching.slice(offset, offset + limit);
    return {
      items: await this.rows(pageItems, data.now, data.figures.adoption),
      total: matching.length,
      offset,
      limit,
      totals: totalsOf(matching),
    };
  }

  /** Every visible matching row as CSV, in the page's order. */
  async csv(
    query: PortfolioFilters & Pick<PortfolioQuery, 'sort' | 'order'>,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const data = await this.dataset(credentials);
    const sorted = this.filtered(this.ordered(data, query), data, query);
    const adoption = data.figures.adoption;
    const now = data.now;
    const today = dayOf(now.getTime());
    const [progress, trend] = await Promise.all([
      this.allProgress(data.figures),
      this.trends(
        sorted.filter(c => c.ledger).map(c => c.row.entityRef),
        [today - 7 * (TREND_WEEKS - 1), today],
        now,
        'all',
      ),
    ]);
    const lines: CsvValue[][] = sorted.map(c => {
      const points = trend.get(c.row.entityRef);
      const p = progress.get(c.row.entityRef);
      return [
        c.row.entityRef,
        c.row.title,
        c.row.ownerRef,
        c.row.systemRef,
        c.balance,
        c.level,
        points ? roundCredits(points[1] - points[0]) : 0,
        c.initiative?.phase,
        p?.done,
        p?.total,
        c.decisionKind,
        c.row.decision ? c.row.reviewBy : undefined,
        c.overdueDays > 0 ? c.overdueDays : undefined,
        c.row.consumerTeams,
        adoptedOf(c, adoption),
        c.row.problems?.join('; '),
      ];
    });
    return toCsv(CSV_COLUMNS, lines);
  }

  /** The portfolio page's panels over every capability the caller can see. */
  async summary(credentials: BackstageCredentials): Promise<PortfolioSummary> {
    const { store } = this.options;
    const [figures, overdrawn] = await Promise.all([
      this.figures.get(),
      store.overdrawnConsumers(),
    ]);
    const { now, groups } = figures;
    const all = figures.capabilities;
    const rows = all.map(c => c.row);
    const progress = await this.allProgress(figures);
    const signoffGroups = [...progress.values()].flatMap(p =>
      p.blockers.filter(b => b.kind === 'signoff').map(b => b.id),
    );
    const scope = await this.options.readScope.visible(
      [
        ...rows.map(r => r.entityRef),
        ...overdrawn.rows.map(r => r.consumerRef),
        ...groups.map(g => g.groupRef),
        ...rows.flatMap(r => (r.ownerRef ? [r.ownerRef] : [])),
        ...signoffGroups,
      ],
      credentials,
    );
    const isVisible = (ref: string) => scope === 'all' || scope.has(ref);
    const visible = all.filter(c => isVisible(c.row.entityRef));
    const byRef = new Map(visible.map(c => [c.row.entityRef, c]));

    const overdueReviews: OverdueReview[] = visible
      .filter(c => c.overdueDays > 0 && c.row.decision && c.row.reviewBy)
      .sort(
        (a, b) =>
          b.overdueDays - a.overdueDays ||
          compareText(a.row.entityRef, b.row.entityRef),
      )
      .slice(0, TOP_OVERDUE)
      .map(c => ({
        entityRef: c.row.entityRef,
        title: c.row.title,
        ...(c.row.ownerRef ? { ownerRef: c.row.ownerRef } : {}),
        decision: c.row.decision!,
        reviewBy: c.row.reviewBy!,
        overdueDays: c.overdueDays,
      }));

    return {
      totals: totalsOf(visible),
      overdueReviews,
      overdrawnTeams: this.overdrawnTeams(overdrawn, byRef, isVisible, now),
      phases: this.phaseGlance(visible, progress, isVisible),
      groups: this.groupRollups(visible, groups, isVisible),
    };
  }

  /** What a group and its descendant groups own, weakest first; 404 if the caller cannot see the group. */
  async ownerRollup(
    groupRef: string,
    credentials: BackstageCredentials,
  ): Promise<OwnerRollup> {
    await this.options.visibility.entity(groupRef, credentials);
    const data = await this.dataset(credentials);
    const owners = descendantsOf(data.groups, groupRef);
    const owned = data.capabilities
      .filter(c => c.row.ownerRef !== undefined && owners.has(c.row.ownerRef))
      .sort(
        (a, b) =>
          a.balance - b.balance ||
          compareText(a.row.entityRef, b.row.entityRef),
      );
    const parents = new Map(
      data.groups.flatMap(g =>
        g.parentRef ? [[g.groupRef, g.parentRef] as const] : [],
      ),
    );
    const parentRef = ancestry(parents, groupRef).slice(1).find(data.isVisible);
    let weakestLevel: TrustLevel | undefined;
    let balance = 0;
    for (const c of owned) {
      weakestLevel = weaker(weakestLevel, c.level);
      balance += c.balance;
    }
    return {
      groupRef,
      ...(parentRef ? { parentRef } : {}),
      capabilities: owned.length,
      balance: roundCredits(balance),
      ...(weakestLevel ? { weakestLevel } : {}),
      overdue: owned.filter(c => c.overdueDays > 0).length,
      floating: owned.filter(c => c.row.decision === 'float').length,
      items: owned.map(
        (c): OwnedCapability => ({
          entityRef: c.row.entityRef,
          title: c.row.title,
          ownerRef: c.row.ownerRef!,
          balance: c.balance,
          level: c.level,
          entryCount: c.ledger?.entryCount ?? 0,
          ...(c.row.decision ? { decision: c.row.decision } : {}),
          ...(c.overdueDays > 0 ? { overdueDays: c.overdueDays } : {}),
        }),
      ),
    };
  }

  private currentTime(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The capabilities as last refreshed: read again only after a refresh. */
  private async catalogCopy(): Promise<CachedCapability[]> {
    const { store } = this.options;
    const version = await store.capabilitiesVersion();
    if (this.copy?.version !== version) {
      const { version: read, capabilities } = await store.listCapabilities();
      this.copy = {
        version: read,
        capabilities: capabilities.map(row => ({
          row,
          titleKey: row.title.toLocaleLowerCase('en-US'),
          search: [
            row.title,
            row.entityRef,
            row.ownerRef ?? '',
            row.systemRef ?? '',
          ]
            .join('\n')
            .toLocaleLowerCase('en-US'),
        })),
      };
    }
    return this.copy.capabilities;
  }

  /** The shared figures: the catalog copy, balances, phases, groups and adoption as of now. */
  private async loadFigures(): Promise<Figures> {
    const { store } = this.options;
    const now = this.currentTime();
    const [copy, measures, groups, adoption] = await Promise.all([
      this.catalogCopy(),
      store.loadMeasures(),
      store.listGroups(),
      store.adoptedCounts(),
    ]);
    const figures: Figures = {
      now,
      capabilities: this.capabilitiesOf(copy, measures, now),
      groups,
      adoption,
      orders: new Map(),
      scopes: new Map(),
      previousOrders: this.latest?.orders,
    };
    // Only one snapshot back is kept.
    if (this.latest) this.latest.previousOrders = undefined;
    this.latest = figures;
    return figures;
  }

  /** Every capability the caller can see, with balances and reviews as of the figures. */
  private async dataset(credentials: BackstageCredentials): Promise<Dataset> {
    const figures = await this.figures.get();
    const scope = await this.scopeOf(figures, credentials);
    const isVisible = (ref: string) => scope === 'all' || scope.has(ref);
    return {
      figures,
      now: figures.now,
      capabilities:
        scope === 'all'
          ? figures.capabilities
          : figures.capabilities.filter(c => scope.has(c.row.entityRef)),
      isVisible,
      groups: figures.groups,
    };
  }

  /**
   * The capabilities and groups the caller sees. The permission is asked on
   * every request, so a policy that now allows or denies outright applies at
   * once; only the catalog's per-entity answer to a conditional decision is
   * shared between one principal's requests, for as long as the figures.
   */
  private async scopeOf(
    figures: Figures,
    credentials: BackstageCredentials,
  ): Promise<'all' | Set<string>> {
    const refs = () => [
      ...figures.capabilities.map(c => c.row.entityRef),
      ...figures.groups.map(g => g.groupRef),
    ];
    const { readScope } = this.options;
    const decision = await readScope.decide(credentials);
    if (decision !== 'conditional') return decision;
    const key = principalKey(credentials);
    const nowMs = Date.now();
    const cached = key ? figures.scopes.get(key) : undefined;
    if (cached && nowMs - cached.at < this.maxAgeMs) return cached.scope;
    const scope = readScope.checkEach(refs(), credentials);
    if (key && figures.scopes.size < MAX_CACHED_SCOPES) {
      figures.scopes.set(key, { at: nowMs, scope });
      // A failed check is not kept: the next request asks again.
      scope.catch(() => figures.scopes.delete(key));
    }
    return scope;
  }

  /** Every capability in the order of `query`, sorted once per snapshot. */
  private ordered(
    data: Dataset,
    query: Pick<PortfolioQuery, 'sort' | 'order'>,
  ): Capability[] {
    const sort = query.sort ?? 'attention';
    const order = query.order ?? 'asc';
    const key = `${sort} ${order}`;
    const { figures } = data;
    let sorted = figures.orders.get(key);
    if (!sorted) {
      sorted = this.startingOrder(figures, key).sort(
        comparator(sort, order, figures.adoption),
      );
      figures.orders.set(key, sorted);
    }
    return sorted;
  }

  /**
   * The capabilities in the last snapshot's order of `key` where there is
   * one: a few seconds apart the order has barely changed, and the sort
   * (a merge sort that finds runs) then finishes in about one pass.
   */
  private startingOrder(figures: Figures, key: string): Capability[] {
    const last = figures.previousOrders?.get(key);
    if (!last) return [...figures.capabilities];
    figures.byRef ??= new Map(
      figures.capabilities.map(c => [c.row.entityRef, c]),
    );
    const start: Capability[] = [];
    const placed = new Set<string>();
    for (const old of last) {
      const current = figures.byRef.get(old.row.entityRef);
      if (current) {
        start.push(current);
        placed.add(old.row.entityRef);
      }
    }
    // Capabilities new since the last snapshot.
    for (const c of figures.capabilities) {
      if (!placed.has(c.row.entityRef)) start.push(c);
    }
    return start;
  }

  /**
   * Figures of the capabilities as of `now`. Runs over every capability on
   * every request, so what is the same for many (the decay factor, a
   * review date's status) is worked out once.
   */
  private capabilitiesOf(
    cached: CachedCapability[],
    measures: CapabilityMeasures,
    now: Date,
  ): Capability[] {
    const factor = decayFactor(now.getTime(), measures.basis);
    const reviews = new Map<string, DecisionReview | undefined>();
    const reviewOf = (reviewBy: string) => {
      if (!reviews.has(reviewBy)) {
        reviews.set(reviewBy, decisionReviewOf(reviewBy, now));
      }
      return reviews.get(reviewBy);
    };
    return cached.map(({ row, titleKey, search }): Capability => {
      const ledger = measures.ledgers.get(row.entityRef);
      const balance = ledger ? roundCredits(ledger.balanceFwd * factor) : 0;
      const review =
        row.decision && row.reviewBy ? reviewOf(row.reviewBy) : undefined;
      let decisionKind: DecisionKind = 'none';
      if (row.problems) decisionKind = 'invalid';
      else if (row.decision) decisionKind = row.decision;
      return {
        row,
        titleKey,
        search,
        ledger,
        initiative: measures.initiatives.get(row.entityRef),
        balance,
        level: trustLevelOf(balance, this.options.levels),
        review,
        overdueDays: review?.overdueDays ?? 0,
        decisionKind,
      };
    });
  }

  /** The visible capabilities of `ordered` that pass `filters`, in its order. */
  private filtered(
    ordered: Capability[],
    data: Dataset,
    filters: PortfolioFilters,
  ): Capability[] {
    const owners = filters.owner
      ? descendantsOf(data.groups, filters.owner)
      : undefined;
    const q = filters.q?.toLocaleLowerCase('en-US');
    return ordered.filter(c => {
      const { row } = c;
      if (!data.isVisible(row.entityRef)) return false;
      if (owners && !(row.ownerRef && owners.has(row.ownerRef))) return false;
      if (filters.system && row.systemRef !== filters.system) return false;
      if (filters.decision && c.decisionKind !== filters.decision) return false;
      if (filters.level && c.level !== filters.level) return false;
      if (filters.phase && (c.initiative?.phase ?? 'none') !== filters.phase) {
        return false;
      }
      if (
        filters.overdue !== undefined &&
        filters.overdue !== c.overdueDays > 0
      ) {
        return false;
      }
      return !q || c.search.includes(q);
    });
  }

  /** The page's rows: trends, criteria and adoption read for these rows only. */
  private async rows(
    capabilities: Capability[],
    now: Date,
    adoption: Map<string, number>,
  ): Promise<PortfolioRow[]> {
    if (capabilities.length === 0) return [];
    const refs = capabilities.map(c => c.row.entityRef);
    const today = dayOf(now.getTime());
    const days = Array.from(
      { length: TREND_WEEKS },
      (_, i) => today - 7 * (TREND_WEEKS - 1 - i),
    );
    const [trends, progress] = await Promise.all([
      this.trends(
        capabilities.filter(c => c.ledger).map(c => c.row.entityRef),
        days,
        now,
      ),
      this.progress(capabilities, now),
    ]);
    return capabilities.map((c, i): PortfolioRow => {
      const { row } = c;
      const p = progress.get(row.entityRef);
      const adopted = adoptedOf(c, adoption);
      let decision: CapabilityDecision | undefined;
      if (row.decision) {
        decision = {
          decision: row.decision,
          ...(row.baseCapability ? { baseCapability: row.baseCapability } : {}),
          ...(row.replacedBy ? { replacedBy: row.replacedBy } : {}),
          ...(row.reviewBy ? { reviewBy: row.reviewBy } : {}),
          ...(c.review ? { review: c.review } : {}),
        };
      }
      return {
        entityRef: refs[i],
        title: row.title,
        ...(row.ownerRef ? { ownerRef: row.ownerRef } : {}),
        ...(row.systemRef ? { systemRef: row.systemRef } : {}),
        trust: {
          balance: c.balance,
          level: c.level,
          entryCount: c.ledger?.entryCount ?? 0,
          trend: trends.get(row.entityRef) ?? days.map(() => 0),
        },
        ...(p
          ? {
              phase: {
                phase: p.phase,
                criteriaDone: p.done,
                criteriaTotal: p.total,
              },
            }
          : {}),
        ...(decision ? { decision } : {}),
        ...(row.problems ? { decisionProblems: row.problems } : {}),
        consumerTeams: row.consumerTeams,
        ...(adopted !== undefined ? { adoptedTeams: adopted } : {}),
      };
    });
  }

  /**
   * Balances at the end of each of `days` (UTC day numbers), the last one
   * (today) as of now, from the totals and the daily changes: the sum at the
   * end of a day is the total minus the changes after it.
   */
  private async trends(
    refs: string[],
    days: number[],
    now: Date,
    scope: 'refs' | 'all' = 'refs',
  ): Promise<Map<string, number[]>> {
    const result = new Map<string, number[]>();
    if (refs.length === 0) return result;
    const { basis, sums } = await this.options.store.trendSums(
      scope === 'all' ? 'all' : refs,
      days,
    );
    const today = dayOf(now.getTime());
    for (const ref of refs) {
      const s = sums.get(ref);
      if (!s) continue;
      result.set(
        ref,
        days.map((day, i) => {
          const endMs = day >= today ? now.getTime() : (day + 1) * DAY_MS;
          return roundCredits(
            (s.totalFwd - s.after[i]) * decayFactor(endMs, basis),
          );
        }),
      );
    }
    return result;
  }

  /**
   * The current phase's criteria progress and blockers of each capability
   * run as an initiative, evaluated by the phases domain against what the
   * tables know: adoption from the daily snapshots, the trust level from
   * the totals, the decision from the refresher's copy.
   */
  private async progress(
    capabilities: Capability[],
    now: Date,
  ): Promise<Map<string, Progress>> {
    const result = new Map<string, Progress>();
    const withInitiative = capabilities.filter(c => c.initiative);
    if (withInitiative.length === 0) return result;
    const records = await this.recordsOf(withInitiative);
    const needAdoption = [...records.values()]
      .filter(r =>
        r.criteria.some(
          c =>
            c.phase === r.phase &&
            c.measure !== undefined &&
            ADOPTION_MEASURES.has(c.measure.type),
        ),
      )
      .map(r => r.entityRef);
    const adopted =
      needAdoption.length > 0
        ? await this.options.store.adoptedTeams(needAdoption)
        : new Map<string, Set<string>>();
    const none = new Set<string>();
    for (const c of withInitiative) {
      const record = records.get(c.row.entityRef);
      if (!record) continue;
      const { phases, blockers } = evaluate(
        record,
        {
          adoptedTeams: adopted.get(record.entityRef) ?? none,
          ...(c.ledger ? { trustLevel: c.level } : {}),
          decisionValid: c.row.decision !== undefined,
        },
        now,
      );
      const current = phases[phaseIndex(record.phase)];
      result.set(c.row.entityRef, {
        phase: record.phase,
        done: current.criteria.filter(
          k => k.state === 'done' || k.state === 'waived',
        ).length,
        total: current.criteria.length,
        blockers,
        titles: new Map(current.criteria.map(k => [k.id, k.title])),
        measured: new Set(
          current.criteria.filter(k => k.kind === 'measured').map(k => k.id),
        ),
      });
    }
    return result;
  }

  /** Records of the capabilities' initiatives, parsed once per version. */
  /** The progress of every initiative, shared by the requests of one snapshot. */
  private allProgress(figures: Figures): Promise<Map<string, Progress>> {
    if (!figures.progress) {
      const progress = this.progress(figures.capabilities, figures.now);
      figures.progress = progress;
      // A failed read is not kept: the next request tries again.
      progress.catch(() => {
        if (figures.progress === progress) figures.progress = undefined;
      });
    }
    return figures.progress;
  }

  private async recordsOf(
    capabilities: Capability[],
  ): Promise<Map<string, InitiativeRecord>> {
    const missing = capabilities
      .filter(
        c =>
          this.records.get(c.row.entityRef)?.version !== c.initiative?.version,
      )
      .map(c => c.row.entityRef);
    if (missing.length > 0) {
      if (this.records.size + missing.length > MAX_CACHED_RECORDS) {
        this.records.clear();
      }
      for (const record of await this.options.store.records(missing)) {
        this.records.set(record.entityRef, record);
      }
    }
    const result = new Map<string, InitiativeRecord>();
    for (const c of capabilities) {
      const record = this.records.get(c.row.entityRef);
      if (record) result.set(c.row.entityRef, record);
    }
    return result;
  }

  private overdrawnTeams(
    overdrawn: Awaited<ReturnType<PortfolioReadStore['overdrawnConsumers']>>,
    capabilities: Map<string, Capability>,
    isVisible: (ref: string) => boolean,
    now: Date,
  ): OverdrawnTeam[] {
    const factor = decayFactor(now.getTime(), overdrawn.basis);
    const byTeam = new Map<
      string,
      Array<{ entityRef: string; title: string; balance: number }>
    >();
    for (const row of overdrawn.rows) {
      const capability = capabilities.get(row.entityRef);
      if (!capability || !isVisible(row.consumerRef)) continue;
      const balance = roundCredits(row.balanceFwd * factor);
      if (balance >= 0) continue;
      const list = byTeam.get(row.consumerRef) ?? [];
      list.push({
        entityRef: row.entityRef,
        title: capability.row.title,
        balance,
      });
      byTeam.set(row.consumerRef, list);
    }
    return [...byTeam]
      .map(([teamRef, list]) => {
        const sorted = list.sort(
          (a, b) =>
            a.balance - b.balance || compareText(a.entityRef, b.entityRef),
        );
        return {
          teamRef,
          balance: roundCredits(sorted.reduce((sum, c) => sum + c.balance, 0)),
          capabilities: sorted.slice(0, OVERDRAWN_CAPABILITIES),
        };
      })
      .sort(
        (a, b) => a.balance - b.balance || compareText(a.teamRef, b.teamRef),
      )
      .slice(0, TOP_OVERDRAWN);
  }

  /**
   * Initiatives per phase, how many are blocked and on what. Blockers are
   * the phases domain's, in words without what was measured (which would
   * make every initiative's blocker unique): "Golden paths chosen is open".
   */
  private phaseGlance(
    capabilities: Capability[],
    progress: Map<string, Progress>,
    isVisible: (ref: string) => boolean,
  ): PhaseGlance[] {
    const glance = new Map(
      MVP_PHASES.map(phase => [
        phase,
        { initiatives: 0, blocked: 0, counts: new Map<string, number>() },
      ]),
    );
    for (const c of capabilities) {
      const p = progress.get(c.row.entityRef);
      if (!p) continue;
      const entry = glance.get(p.phase)!;
      entry.initiatives += 1;
      if (p.blockers.length === 0) continue;
      entry.blocked += 1;
      const words = new Set(p.blockers.map(b => blockerWords(b, p, isVisible)));
      for (const text of words) {
        entry.counts.set(text, (entry.counts.get(text) ?? 0) + 1);
      }
    }
    return MVP_PHASES.map(phase => {
      const entry = glance.get(phase)!;
      return {
        phase,
        initiatives: entry.initiatives,
        blocked: entry.blocked,
        blockers: [...entry.counts]
          .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
          .slice(0, TOP_BLOCKERS)
          .map(([blocker, initiatives]) => ({ blocker, initiatives })),
      };
    });
  }

  /**
   * Every visible group that owns visible capabilities or has a descendant
   * that does, its descendants' capabilities included. A group the caller
   * cannot see is not listed; its capabilities still count in its visible
   * ancestors, and a child's `parentRef` is its nearest visible ancestor.
   */
  private groupRollups(
    capabilities: Capability[],
    groups: GroupLink[],
    isVisible: (ref: string) => boolean,
  ): GroupRollup[] {
    const parents = new Map(
      groups.flatMap(g =>
        g.parentRef ? [[g.groupRef, g.parentRef] as const] : [],
      ),
    );
    const rollups = new Map<string, GroupRollup>();
    for (const c of capabilities) {
      const owner = c.row.ownerRef;
      if (!owner || !owner.startsWith('group:')) continue;
      for (const groupRef of ancestry(parents, owner)) {
        if (!isVisible(groupRef)) continue;
        const rollup = rollups.get(groupRef) ?? {
          groupRef,
          capabilities: 0,
          balance: 0,
          overdue: 0,
          floating: 0,
        };
        rollup.capabilities += 1;
        rollup.balance += c.balance;
        rollup.weakestLevel = weaker(rollup.weakestLevel, c.level);
        if (c.overdueDays > 0) rollup.overdue += 1;
        if (c.row.decision === 'float') rollup.floating += 1;
        rollups.set(groupRef, rollup);
      }
    }
    return [...rollups.values()]
      .map(rollup => {
        const parentRef = ancestry(parents, rollup.groupRef)
          .slice(1)
          .find(isVisible);
        return {
          ...rollup,
          balance: roundCredits(rollup.balance),
          ...(parentRef ? { parentRef } : {}),
        };
      })
      .sort((a, b) => compareText(a.groupRef, b.groupRef));
  }
}

/** A blocker in words shared across initiatives. */
function blockerWords(
  blocker: PhaseBlocker,
  progress: Progress,
  isVisible: (ref: string) => boolean,
): string {
  if (blocker.kind === 'signoff') {
    const group = isVisible(blocker.id) ? blocker.id : HIDDEN_GROUP;
    return blocker.title.endsWith(' rejected the sign-off')
      ? `${group} rejected the sign-off`
      : `${group} has not signed off`;
  }
  const title = progress.titles.get(blocker.id) ?? blocker.id;
  if (blocker.title.startsWith('The waiver of')) {
    return `The waiver of "${title}" expired`;
  }
  return progress.measured.has(blocker.id)
    ? `"${title}" is not met`
    : `"${title}" is open`;
}
