import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  MVP_PHASES,
  PORTFOLIO_SORTS,
  parseCatalogRef,
  PortfolioFilters,
  PortfolioQuery,
  PortfolioSort,
  TrustLevel,
} from '@freeboard/backstage-plugin-common';

/*
 * The portfolio's view (filters, sort, page) lives in the URL's query
 * string, so a filtered view can be bookmarked and shared. The parameters
 * are named like the backend's, and anything in the URL that is not a valid
 * value is ignored rather than sent: a hand-edited link still opens.
 */

/** Rows per page the table offers; the first page size the backend allows. */
export const PAGE_SIZES = [25, 50, 100] as const;
/** The backend's default page size. */
export const DEFAULT_PAGE_SIZE = 50;

/** Trust levels from worst to best, as the filter lists them. */
export const TRUST_LEVELS: TrustLevel[] = [
  'overdrawn',
  'thin',
  'healthy',
  'strong',
];

export const DECISION_FILTERS = ['float', 'sink', 'none', 'invalid'] as const;
export const PHASE_FILTERS = [...MVP_PHASES, 'none'] as const;

export const SORT_KEYS: readonly PortfolioSort[] = PORTFOLIO_SORTS;

/**
 * The direction a column sorts in on its first click: names and dates from
 * the start, counts from the largest, balances from the lowest (the
 * capabilities that need attention).
 */
export const FIRST_ORDER: Record<PortfolioSort, 'asc' | 'desc'> = {
  attention: 'asc',
  title: 'asc',
  owner: 'asc',
  balance: 'asc',
  phase: 'asc',
  reviewBy: 'asc',
  consumers: 'desc',
  adoption: 'desc',
};

/** What the page shows: the query with its page always set. */
export interface PortfolioView extends PortfolioQuery {
  sort: PortfolioSort;
  limit: number;
  offset: number;
}

function oneOf<T extends string>(
  values: readonly T[],
  value: string | null,
): T | undefined {
  return values.find(v => v === value);
}

function nonNegativeInteger(value: string | null): number | undefined {
  if (value === null || !/^\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * An entity ref typed or linked by a person, in the lower-case form the
 * backend compares: `team-a` becomes `group:default/team-a` for
 * `defaultKind: 'group'`. Undefined when it is not a valid ref.
 */
export function toFilterRef(
  text: string,
  defaultKind: string,
): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    const parsed = parseEntityRef(trimmed, {
      defaultKind,
      defaultNamespace: 'default',
    });
    const checked = parseCatalogRef(stringifyEntityRef(parsed));
    return 'ref' in checked ? checked.ref : undefined;
  } catch {
    return undefined;
  }
}

/** The view a query string describes; invalid parameters are dropped. */
export function parsePortfolioView(params: URLSearchParams): PortfolioView {
  const sort = oneOf(SORT_KEYS, params.get('sort')) ?? 'attention';
  const order =
    sort === 'attention'
      ? undefined
      : oneOf(['asc', 'desc'] as const, params.get('order')) ??
        FIRST_ORDER[sort];
  const limit =
    PAGE_SIZES.find(size => size === nonNegativeInteger(params.get('limit'))) ??
    DEFAULT_PAGE_SIZE;
  const offset = nonNegativeInteger(params.get('offset')) ?? 0;
  const owner = params.get('owner');
  const system = params.get('system');
  const q = params.get('q')?.trim();
  return {
    owner: owner ? toFilterRef(owner, 'group') : undefined,
    system: system ? toFilterRef(system, 'system') : undefined,
    decision: oneOf(DECISION_FILTERS, params.get('decision')),
    level: oneOf(TRUST_LEVELS, params.get('level')),
    phase: oneOf(PHASE_FILTERS, params.get('phase')),
    overdue: params.get('overdue') === 'true' ? true : undefined,
    q: q || undefined,
    sort,
    order,
    limit,
    // Pages start at multiples of the page size.
    offset: offset - (offset % limit),
  };
}

/** The query string of a view; defaults are left out to keep links short. */
export function portfolioViewParams(view: PortfolioView): URLSearchParams {
  const params = new URLSearchParams();
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') params.set(key, value);
  };
  set('q', view.q);
  set('owner', view.owner);
  set('system', view.system);
  set('decision', view.decision);
  set('level', view.level);
  set('phase', view.phase);
  set('overdue', view.overdue ? 'true' : undefined);
  if (view.sort !== 'attention') {
    set('sort', view.sort);
    set('order', view.order);
  }
  if (view.limit !== DEFAULT_PAGE_SIZE) set('limit', String(view.limit));
  if (view.offset > 0) set('offset', String(view.offset));
  return params;
}

/** The filters of a view, for the CSV export and the "filtered" notice. */
export function filtersOf(view: PortfolioView): PortfolioFilters {
  return {
    owner: view.owner,
    system: view.system,
    decision: view.decision,
    level: view.level,
    phase: view.phase,
    overdue: view.overdue,
    q: view.q,
  };
}

/** Whether any filter or search narrows the table. */
export function isFiltered(view: PortfolioView): boolean {
  return Object.values(filtersOf(view)).some(v => v !== undefined);
}

/** `value` without its undefined fields: requests carry only what is set. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as T;
}

/** The page request of a view. */
export function pageRequestOf(view: PortfolioView): PortfolioQuery {
  return compact({ ...view });
}

/** The CSV request of a view: its filters and sort, every page. */
export function exportRequestOf(
  view: PortfolioView,
): PortfolioFilters & Pick<PortfolioQuery, 'sort' | 'order'> {
  return compact({ ...filtersOf(view), sort: view.sort, order: view.order });
}
