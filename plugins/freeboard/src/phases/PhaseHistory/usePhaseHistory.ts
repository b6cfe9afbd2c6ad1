import { useApi } from '@backstage/core-plugin-api';
import { PhaseHistoryEvent } from '@freeboard/backstage-plugin-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { freeboardApiRef } from '../../shared';

/** Events per page of the history. */
export const HISTORY_PAGE_SIZE = 25;

interface HistoryState {
  items: PhaseHistoryEvent[];
  nextCursor?: string;
  loading: boolean;
  error?: Error;
}

/**
 * The initiative's history, one cursor page at a time, newest first. A new
 * `revision` (the initiative changed) starts again from the newest event;
 * `loadMore` appends the next page.
 */
export function usePhaseHistory(entityRef: string, revision: number) {
  const api = useApi(freeboardApiRef);
  const [state, setState] = useState<HistoryState>({
    items: [],
    loading: true,
  });
  // Only the latest request may write: a page arriving after a newer reload
  // must not overwrite it.
  const latestRequest = useRef(0);

  const load = useCallback(
    async (cursor?: string) => {
      const requestId = ++latestRequest.current;
      setState(current => ({ ...current, loading: true, error: undefined }));
      try {
        const page = await api.listPhaseHistory(entityRef, {
          limit: HISTORY_PAGE_SIZE,
          cursor,
        });
        if (requestId !== latestRequest.current) return;
        setState(current => ({
          items: cursor ? [...current.items, ...page.items] : page.items,
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
    [api, entityRef],
  );

  useEffect(() => {
    load();
  }, [load, revision]);

  const { nextCursor } = state;
  const loadMore = useCallback(() => {
    if (nextCursor) load(nextCursor);
  }, [load, nextCursor]);

  return { ...state, loadMore };
}
