import { PortfolioSort } from '@freeboard/backstage-plugin-common';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  FIRST_ORDER,
  parsePortfolioView,
  PortfolioView,
  portfolioViewParams,
} from './query';

/** Changes to the view's filters; `undefined` clears one. */
export type FilterChange = Partial<
  Pick<
    PortfolioView,
    'owner' | 'system' | 'decision' | 'level' | 'phase' | 'overdue' | 'q'
  >
>;

/** The portfolio view kept in the URL, and the ways to change it. */
export interface PortfolioViewState {
  view: PortfolioView;
  /** Narrows or widens the table; back to the first page. */
  setFilters: (change: FilterChange) => void;
  /** Clears every filter and the search; the sort stays. */
  clearFilters: () => void;
  /** A header click: a new column sorts in its first order, the same one flips. */
  sortBy: (sort: PortfolioSort) => void;
  setPage: (offset: number, limit: number) => void;
}

/**
 * The portfolio's filters, sort and page, read from and written to the
 * URL's query string. Changes replace the history entry, so typing in the
 * search does not fill the back button.
 */
export function usePortfolioView(): PortfolioViewState {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  // Parsed once per query string, so the view keeps its identity between
  // renders and effects that depend on it do not re-run.
  const view = useMemo(
    () => parsePortfolioView(new URLSearchParams(search)),
    [search],
  );

  const go = useCallback(
    (next: PortfolioView) =>
      setParams(portfolioViewParams(next), { replace: true }),
    [setParams],
  );

  return {
    view,
    setFilters: useCallback(
      change => go({ ...view, ...change, offset: 0 }),
      [go, view],
    ),
    clearFilters: useCallback(
      () =>
        go({
          sort: view.sort,
          order: view.order,
          limit: view.limit,
          offset: 0,
        }),
      [go, view],
    ),
    sortBy: useCallback(
      sort => {
        const order =
          sort === view.sort && sort !== 'attention'
            ? flip(view.order ?? FIRST_ORDER[sort])
            : FIRST_ORDER[sort];
        go({
          ...view,
          sort,
          order: sort === 'attention' ? undefined : order,
          offset: 0,
        });
      },
      [go, view],
    ),
    setPage: useCallback(
      (offset, limit) => go({ ...view, offset, limit }),
      [go, view],
    ),
  };
}

function flip(order: 'asc' | 'desc'): 'asc' | 'desc' {
  return order === 'asc' ? 'desc' : 'asc';
}
