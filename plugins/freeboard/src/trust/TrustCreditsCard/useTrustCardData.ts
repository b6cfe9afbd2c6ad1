import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ConsumerView,
  OwnerRollup,
  TrustConfig,
  TrustLedgerEntry,
  TrustSummary,
  TrustTrendPoint,
} from '@freeboard/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { FreeboardApi, freeboardApiRef } from '../../shared';

/** How many days the card's sparkline covers. */
export const CARD_TREND_DAYS = 90;
/** How many of the latest entries the card lists. */
export const CARD_ENTRY_COUNT = 3;

/**
 * What the card is about, from the entity alone: a group (owner and
 * consumer team), a component (a capability, or a consumer team's
 * component), or another kind with a ledger (an API, a system).
 */
export type TrustCardSubject = 'group' | 'component' | 'other';

/** A section that loaded, or the error that stopped it. */
export type Section<T> = { value: T } | { error: Error };

/** Everything the card may show, loaded together. */
export interface TrustCardData {
  config: TrustConfig;
  summary: TrustSummary;
  /** The entity's own ledger: loaded unless it is a group without one. */
  ledger?: { trend: TrustTrendPoint[]; entries: TrustLedgerEntry[] };
  /** Whether the entity runs an MVP initiative; asked only when it decides. */
  initiativeStarted: boolean;
  /** A group's rollup; absent when it owns nothing or is not a group. */
  ownerRollup?: Section<OwnerRollup>;
  /** The team's balances with the platform; absent when it has none. */
  consumerView?: Section<ConsumerView>;
}

function isNotFound(error: unknown): boolean {
  if (error instanceof ResponseError) return error.statusCode === 404;
  // A ResponseError from another copy of @backstage/errors.
  return (
    error instanceof Error &&
    error.name === 'ResponseError' &&
    (error as { statusCode?: unknown }).statusCode === 404
  );
}

/**
 * A section's request: a 404 means there is nothing to show (a component
 * without an owner group, a route the backend does not serve yet), any
 * other failure is shown in the section.
 */
async function section<T>(
  request: Promise<T>,
): Promise<Section<T> | undefined> {
  try {
    return { value: await request };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    return {
      error: error instanceof Error ? error : new Error(String(error)),
    };
  }
}

async function loadLedger(api: FreeboardApi, entityRef: string) {
  const [trend, latest] = await Promise.all([
    api.getTrustTrend(entityRef, CARD_TREND_DAYS),
    api.listTrustEntries(entityRef, { limit: CARD_ENTRY_COUNT }),
  ]);
  return { trend: trend.points, entries: latest.entries };
}

/**
 * Loads the card's data in as few round trips as the entity allows. A
 * capability (component, API, system) loads its ledger with its summary, as
 * the card always did; a group asks for what it owns and what it consumes,
 * and its own ledger only if it has one. The initiative is asked for only
 * when it decides whether the entity is a capability: no decision
 * annotation and no ledger entries.
 *
 * `retry` reloads it while the previous value stays on screen (react-use
 * keeps it during the reload).
 */
export function useTrustCardData(
  entityRef: string,
  subject: TrustCardSubject,
  hasDecision: boolean,
) {
  const api = useApi(freeboardApiRef);
  return useAsyncRetry(async (): Promise<TrustCardData> => {
    const isGroup = subject === 'group';
    // A capability's card does not show its owner team's balances (see the
    // card), so a component with a decision does not ask for them.
    const wantsConsumerView =
      isGroup || (subject === 'component' && !hasDecision);
    const [summary, config, ledger, ownerRollup, consumerView] =
      await Promise.all([
        api.getTrustSummary(entityRef),
        api.getTrustConfig(),
        isGroup ? undefined : loadLedger(api, entityRef),
        isGroup
          ? section(api.getOwnerRollup(entityRef))
          : Promise.resolve(undefined),
        wantsConsumerView
          ? section(api.getConsumerView(entityRef))
          : Promise.resolve(undefined),
      ]);

    let initiativeStarted = false;
    if (!isGroup && !hasDecision && summary.entryCount === 0) {
      // Only decides whether an otherwise empty card shows: a failure here
      // counts as "no initiative" rather than failing the whole card.
      initiativeStarted = await api
        .getInitiative(entityRef)
        .then(state => state.started)
        .catch(() => false);
    }

    return {
      config,
      summary,
      ledger:
        ledger ??
        (summary.entryCount > 0 ? await loadLedger(api, entityRef) : undefined),
      initiativeStarted,
      ownerRollup:
        ownerRollup && 'value' in ownerRollup
          ? nonEmpty(ownerRollup, r => r.items.length > 0)
          : ownerRollup,
      consumerView:
        consumerView && 'value' in consumerView
          ? nonEmpty(consumerView, v => v.items.length > 0)
          : consumerView,
    };
  }, [api, entityRef, subject, hasDecision]);
}

function nonEmpty<T>(
  loaded: { value: T },
  hasItems: (value: T) => boolean,
): Section<T> | undefined {
  return hasItems(loaded.value) ? loaded : undefined;
}
