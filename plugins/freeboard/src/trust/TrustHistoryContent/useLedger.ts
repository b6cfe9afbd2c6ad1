import { useApi } from '@backstage/core-plugin-api';
import {
  TrustDirection,
  TrustLedgerEntry,
} from '@freeboard/backstage-plugin-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { freeboardApiRef } from '../../shared';

/** Entries per page of the history table. */
export const LEDGER_PAGE_SIZE = 25;

/** What the history table is narrowed to; undefined means any. */
export interface LedgerFilter {
  direction?: TrustDirection;
  category?: string;
  consumerRef?: string;
}

interface LedgerState {
  entries: TrustLedgerEntry[];
  nextCursor?: string;
  loading: boolean;
  error?: Error;
}

/**
 * The entity's ledger, one cursor page at a time. Changing the filter or
 * `refreshKey` starts again from the newest entry; `loadMore` appends the
 * next page.
 */
export function useLedger(
  entityRef: string,
  filter: LedgerFilter,
  refreshKey: number,
) {
  const api = useApi(freeboardApiRef);
  const { direction, category, consumerRef } = filter;
  const [state, setState] = useState<LedgerState>({
    entries: [],
    loading: true,
  });
  // Only the latest request may write: an older page arriving late (after a
  // filter change) must not overwrite the newer one.
  const latestRequest = useRef(0);

  const load = useCallback(
    async (cursor?: string) => {
      const requestId = ++latestRequest.current;
      setState(current => ({ ...current, loading: true, error: undefined }));
      try {
        const page = await api.listTrustEntries(entityRef, {
          direction,
          category,
          consumerRef,
          cursor,
          limit: LEDGER_PAGE_SIZE,
        });
        if (requestId !== latestRequest.current) return;
        setState(current => ({
          entries: cursor
            ? [...current.entries, ...page.entries]
            : page.entries,
          nextCursor: page.nextCursor,
          loading: false,
        }));
      } catch (error) {
        if (requestId !== latestRequest.current) return;
        setState(current => ({
          ...current,
          loading: false,
          error: error instanceof Error ? error : new Error(String(error)),
        }));
      }
    },
    [api, entityRef, direction, category, consumerRef],
  );

  useEffect(() => {
    load();
  }, [load, refreshKey]);

  const { nextCursor } = state;
  const loadMore = useCallback(() => {
    if (nextCursor) load(nextCursor);
  }, [load, nextCursor]);

  return { ...state, loadMore };
}
