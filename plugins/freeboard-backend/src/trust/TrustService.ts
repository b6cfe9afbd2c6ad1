import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_API_CONSUMED_BY,
  RELATION_DEPENDENCY_OF,
  RELATION_OWNED_BY,
  RELATION_PROVIDES_API,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  PreflightResult,
  PreflightVerdict,
  TrustConfig,
  TrustEntriesPage,
  TrustLeaderboardItem,
  TrustLeaderboardPage,
  TrustLevel,
  TrustSummary,
  TrustTrend,
  normalizeEntityRef,
  trustLevelOf,
} from '@freeboard/backstage-plugin-common';
import { CatalogVisibility } from '../shared/visibility';
import { TrustCursors } from './cursors';
import { DAY_MS, roundCredits } from './store/decay';
import { TrustReadStore, TrustTotals } from './store/TrustStore';

/** A single summary lists at most this many consumers, lowest first. */
export const SUMMARY_CONSUMER_LIMIT = 100;
/** Lists of scores show the few consumers most at risk, not all of them. */
export const SCORES_CONSUMER_LIMIT = 5;
/**
 * A leaderboard page reads at most this many store pages while it skips
 * entities the caller cannot see; then it answers with what it has and a
 * cursor to go on from.
 */
export const LEADERBOARD_SCAN_ROUNDS = 5;

function emptyTotals(entityRef: string): TrustTotals {
  return { entityRef, balance: 0, earned: 0, spent: 0, entryCount: 0 };
}

/**
 * The trust-credit reads: catalog visibility first (a ref the caller cannot
 * see never reaches SQL), then the store, then levels and projections.
 */
export class TrustService {
  constructor(
    private readonly reads: TrustReadStore,
    private readonly visibility: CatalogVisibility,
    private readonly cursors: TrustCursors,
    readonly config: TrustConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  currentTime(): Date {
    return this.now();
  }

  private level(balance: number) {
    return trustLevelOf(balance, this.config.levels);
  }

  private verdict(projected: number): PreflightVerdict {
    if (projected < 0) return 'overdrawn';
    if (projected < this.config.levels.healthy) return 'risky';
    return 'affordable';
  }

  /**
   * Summaries of the entities of `entityRefs` the caller can see, in that
   * order. Consumers the caller cannot see are left out.
   */
  async summaries(
    entityRefs: string[],
    credentials: BackstageCredentials,
    consumerLimit: number = SCORES_CONSUMER_LIMIT,
  ): Promise<TrustSummary[]> {
    const visible = await this.visibility.refs(entityRefs, credentials);
    const shown = [...new Set(entityRefs)].filter(ref => visible.has(ref));
    return this.summariesOfVisible(shown, credentials, consumerLimit);
  }

  /**
   * The entity's trust level, or undefined when it has no entries. Asks
   * nothing of the catalog: for callers that have already checked the
   * entity's visibility (the phases' `trust-level` criterion).
   */
  async levelOf(entityRef: string): Promise<TrustLevel | undefined> {
    const { totals } = await this.reads.getBalances(entityRef, this.now(), {
      consumerRefs: [],
    });
    return totals && totals.entryCount > 0
      ? this.level(totals.balance)
      : undefined;
  }

  /** The summary of one entity; NotFoundError when the caller cannot see it. */
  async summary(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<TrustSummary> {
    await this.visibility.entity(entityRef, credentials);
    const [summary] = await this.summariesOfVisible(
      [entityRef],
      credentials,
      SUMMARY_CONSUMER_LIMIT,
    );
    return summary;
  }

  private async summariesOfVisible(
    entityRefs: string[],
    credentials: BackstageCredentials,
    consumerLimit: number,
  ): Promise<TrustSummary[]> {
    if (entityRefs.length === 0) return [];
    const at = this.now();
    const parts = await this.reads.getSummaryParts(entityRefs, at, {
      consumerLimit,
      pulseSince: [
        new Date(at.getTime() - 30 * DAY_MS),
        new Date(at.getTime() - 7 * DAY_MS),
      ],
    });
    const visibleConsumers = await this.visibility.refs(
      [...parts.values()].flatMap(p => p.consumers.map(c => c.consumerRef)),
      credentials,
    );
    return entityRefs.map(ref => {
      const part = parts.get(ref);
      const t = part?.totals ?? emptyTotals(ref);
      const [last30Days, last7Days] = part?.pulses ?? [
        { up: 0, down: 0 },
        { up: 0, down: 0 },
      ];
      const summary: TrustSummary = {
        entityRef: ref,
        balance: t.balance,
        level: this.level(t.balance),
        earned: t.earned,
        spent: t.spent,
        entryCount: t.entryCount,
        consumers: (part?.consumers ?? [])
          .filter(c => visibleConsumers.has(c.consumerRef))
          .map(c => ({
            consumerRef: c.consumerRef,
            balance: c.balance,
            level: this.level(c.balance),
          })),
        pulses: { last30Days, last7Days },
      };
      if (t.lastEntryAt) summary.lastEntryAt = t.lastEntryAt;
      return summary;
    });
  }

  /**
   * A page of the entity's ledger. Filtering by a consumer the caller cannot
   * see answers an empty page; consumers the caller cannot see are not named.
   */
  async listEntries(
    entityRef: string,
    query: {
      limit: number;
      cursor?: string;
      direction?: 'earn' | 'spend';
      category?: string;
      consumerRef?: string;
    },
    credentials: BackstageCredentials,
  ): Promise<TrustEntriesPage> {
    await this.visibility.entity(entityRef, credentials);
    const after = query.cursor
      ? this.cursors.openEntries(entityRef, query.cursor)
      : undefined;
    if (query.consumerRef) {
      const visible = await this.visibility.refs(
        [query.consumerRef],
        credentials,
      );
      if (!visible.has(query.consumerRef)) return { entries: [] };
    }
    const page = await this.reads.listEntries(entityRef, { ...query, after });
    const visible = await this.visibility.refs(
      page.entries.flatMap(e => (e.consumerRef ? [e.consumerRef] : [])),
      credentials,
    );
    for (const entry of page.entries) {
      if (entry.consumerRef && !visible.has(entry.consumerRef)) {
        delete entry.consumerRef;
      }
    }
    return {
      entries: page.entries,
      nextCursor: page.next && this.cursors.sealEntries(entityRef, page.next),
    };
  }

  async trend(
    entityRef: string,
    days: number,
    credentials: BackstageCredentials,
  ): Promise<TrustTrend> {
    await this.visibility.entity(entityRef, credentials);
    const points = await this.reads.getTrend(entityRef, days, this.now());
    return { entityRef, days, points };
  }

  /**
   * The teams that would pay for a change to `entity` and that the caller can
   * see: owners of the entities that depend on it or consume its APIs (or,
   * for an API, consume it).
   */
  async catalogConsumers(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const relations = entity.relations ?? [];
    const targets = (type: string) =>
      relations.filter(r => r.type === type).map(r => r.targetRef);
    const dependents = new Set([
      ...targets(RELATION_DEPENDENCY_OF),
      ...targets(RELATION_API_CONSUMED_BY),
    ]);
    // Consumers of the APIs a component provides consume the component too.
    const apis = await this.visibility.entities(
      targets(RELATION_PROVIDES_API),
      ['relations'],
      credentials,
    );
    for (const api of apis) {
      for (const r of api?.relations ?? []) {
        if (r.type === RELATION_API_CONSUMED_BY) dependents.add(r.targetRef);
      }
    }
    const consumers = await this.visibility.entities(
      [...dependents],
      ['relations'],
      credentials,
    );
    const owners = new Set<string>();
    for (const consumer of consumers) {
      for (const r of consumer?.relations ?? []) {
        if (r.type === RELATION_OWNED_BY)
          owners.add(normalizeEntityRef(r.targetRef));
      }
    }
    owners.delete(normalizeEntityRef(stringifyEntityRef(entity)));
    // An owning team the caller cannot see is neither named nor projected.
    const visible = await this.visibility.refs([...owners], credentials);
    return [...owners].filter(ref => visible.has(ref)).sort();
  }

  /** Projects a spend of `amount` on each consumer team. Writes nothing. */
  async preflight(options: {
    entity: Entity;
    amount: number;
    consumerRefs?: string[];
    credentials: BackstageCredentials;
  }): Promise<PreflightResult> {
    const { entity, amount, credentials } = options;
    const entityRef = normalizeEntityRef(stringifyEntityRef(entity));
    let consumerRefs = options.consumerRefs && [
      ...new Set(options.consumerRefs),
    ];
    if (consumerRefs) {
      const visible = await this.visibility.refs(consumerRefs, credentials);
      const missing = consumerRefs.filter(r => !visible.has(r));
      if (missing.length > 0) {
        throw new InputError(
          `consumerRefs: no such entities in the catalog: ${missing.join(
            ', ',
          )}`,
        );
      }
    } else {
      consumerRefs = await this.catalogConsumers(entity, credentials);
    }
    const balances = await this.reads.getBalances(entityRef, this.now(), {
      consumerRefs,
    });
    const balance = balances.totals?.balance ?? 0;
    const byRef = new Map(
      balances.consumers.map(c => [c.consumerRef, c.balance]),
    );
    const consumers = consumerRefs.map(consumerRef => {
      const current = byRef.get(consumerRef) ?? 0;
      const projected = roundCredits(current - amount);
      return {
        consumerRef,
        balance: current,
        projectedBalance: projected,
        verdict: this.verdict(projected),
      };
    });
    consumers.sort((a, b) => a.projectedBalance - b.projectedBalance);
    // With no consumer known, the spend still lands once on the entity.
    const projectedBalance = roundCredits(
      balance - amount * Math.max(1, consumers.length),
    );
    const anyOverdrawn = consumers.some(c => c.verdict === 'overdrawn');
    const overall = this.verdict(projectedBalance);
    return {
      balance,
      projectedBalance,
      verdict: overall === 'affordable' && anyOverdrawn ? 'risky' : overall,
      consumers,
    };
  }

  /**
   * Entities with ledgers that the caller can see, by current balance. Store
   * pages are filtered through the catalog, at most
   * {@link LEADERBOARD_SCAN_ROUNDS} of them per answer.
   */
  async leaderboard(
    query: { order: 'asc' | 'desc'; limit: number; cursor?: string },
    credentials: BackstageCredentials,
  ): Promise<TrustLeaderboardPage> {
    const at = this.now();
    const items: TrustLeaderboardItem[] = [];
    let after = query.cursor
      ? this.cursors.openLeaderboard(query.order, query.cursor)
      : undefined;
    let hasMore = true;
    for (
      let round = 0;
      round < LEADERBOARD_SCAN_ROUNDS && hasMore && items.length < query.limit;
      round++
    ) {
      const page = await this.reads.leaderboard(
        { order: query.order, limit: query.limit, after },
        at,
      );
      hasMore = page.hasMore;
      const visible = await this.visibility.refs(
        page.items.map(i => i.entityRef),
        credentials,
      );
      for (const [index, item] of page.items.entries()) {
        after = item.position;
        if (!visible.has(item.entityRef)) continue;
        const { position: _position, ...totals } = item;
        items.push({ ...totals, level: this.level(totals.balance) });
        if (items.length === query.limit) {
          hasMore = hasMore || index < page.items.length - 1;
          break;
        }
      }
    }
    return {
      items,
      // Sealed: it says nothing of the row it continues after.
      nextCursor:
        hasMore && after
          ? this.cursors.sealLeaderboard(query.order, after)
          : undefined,
    };
  }
}

/** NotFoundError for an entity the caller cannot see or that has no entry. */
export function noEntry(entityRef: string, entryId: string): NotFoundError {
  return new NotFoundError(`No entry ${entryId} on ${entityRef}`);
}
