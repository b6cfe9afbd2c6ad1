import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { freeboardApiRef } from '../../shared';

/** How many days the card's sparkline covers. */
export const CARD_TREND_DAYS = 90;
/** How many of the latest entries the card lists. */
export const CARD_ENTRY_COUNT = 3;

/**
 * Everything the card shows, loaded together. `retry` reloads it while the
 * previous value stays on screen (react-use keeps it during the reload).
 */
export function useTrustCardData(entityRef: string) {
  const api = useApi(freeboardApiRef);
  return useAsyncRetry(async () => {
    const [summary, trend, latest, config] = await Promise.all([
      api.getTrustSummary(entityRef),
      api.getTrustTrend(entityRef, CARD_TREND_DAYS),
      api.listTrustEntries(entityRef, { limit: CARD_ENTRY_COUNT }),
      api.getTrustConfig(),
    ]);
    return { summary, trend: trend.points, entries: latest.entries, config };
  }, [api, entityRef]);
}
