import { useApi } from '@backstage/core-plugin-api';
import { DecisionHistoryItem } from '@freeboard/backstage-plugin-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { freeboardApiRef } from '../shared';

/** Events per page of the card's decision history. */
export const DECISION_HISTORY_PAGE_SIZE = 5;

/** The capability's decision as the backend sees it: review, consumers, retirement. */
export function useDecisionView(entityRef: string) {
  const api = useApi(freeboardApiRef);
  return useAsync(() => api.getDecision(entityRef), [api, entityRef]);
}

interface HistoryState {
  items: DecisionHistoryItem[];
  nextCursor?: string;
  loading: boolean;
  /** Whether the first page has arrived (or failed). */
  loaded: boolean;
  error?: Error;
}

/**
 * The entity's decision history, newest first, a page at a time. Nothing is
 * requested until `enabled` (the list is opened); `loadMore` appends the
 * next page.
 */
export function useDecisionHistory(entityRef: string, enabled: boolean) {
  const api = useApi(freeboardApiRef);
  const [state, setState] = useState<HistoryState>({
    items: [],
    loading: false,
    loaded: false,
  });
  // Only the latest request may write: a page arriving after a newer
  // request (another entity, a reload) must not overwrite it.
  const latestRequest = useRef(0);

  const load = useCallback(
    async (cursor?: string) => {
      const requestId = ++latestRequest.current;
      setState(current => ({ ...current, loading: true, error: undefined }));
      try {
        const page = await api.listDecisionHistory(entityRef, {
          limit: DECISION_HISTORY_PAGE_SIZE,
          cursor,
        });
        if (requestId !== latestRequest.current) return;
        setState(current => ({
          items: cursor ? [...current.items, ...page.items] : page.items,
          nextCursor: page.nextCursor,
          loading: false,
          loaded: true,
        }));
      } catch (error) {
        if (requestId !== latestRequest.current) return;
        setState(current => ({
          ...current,
          loading: false,
          loaded: true,
          error: error instanceof Error ? error : new Error(String(error)),
        }));
      }
    },
    [api, entityRef],
  );

  useEffect(() => {
    if (enabled) load();
  }, [enabled, load]);

  const { nextCursor } = state;
  const loadMore = useCallback(() => {
    if (nextCursor) load(nextCursor);
  }, [load, nextCursor]);

  return { ...state, loadMore };
}
