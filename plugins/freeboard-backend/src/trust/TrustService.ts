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
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  PreflightResult,
  PreflightVerdict,
  TrustConfig,
  TrustLevel,
  TrustSummary,
  trustLevelOf,
} from '@freeboard/backstage-plugin-common';
import { TrustStore, TrustTotals } from '../database/TrustStore';
import { DAY_MS, roundCredits } from './decay';

const MINIMAL_FIELDS = ['kind', 'metadata.name', 'metadata.namespace'];

/** A summary lists at most this many consumers, lowest balances first. */
export const MAX_CONSUMERS = 100;

function emptyTotals(entityRef: string): TrustTotals {
  return { entityRef, balance: 0, earned: 0, spent: 0, entryCount: 0 };
}

/**
 * The trust-credit logic between the HTTP API and the store: catalog
 * visibility, summaries with levels, and pre-flights.
 */
export class TrustService {
  constructor(
    private readonly store: TrustStore,
    private readonly catalog: CatalogService,
    readonly config: TrustConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  currentTime(): Date {
    return this.now();
  }

  /** The entity if the caller can see it; NotFoundError otherwise. */
  async visibleEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} was found`);
    }
    return entity;
  }

  /** The subset of `refs` (normalized) that the caller can see, in one call. */
  async visibleRefs(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const unique = [...new Set(refs)];
    if (unique.length === 0) return new Set();
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: unique, fields: MINIMAL_FIELDS },
      { credentials },
    );
    const visible = new Set<string>();
    items.forEach((item, i) => {
      if (item) visible.add(unique[i]);
    });
    return visible;
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
   * Summaries of entities the caller has been shown to see. Consumers the
   * caller cannot see are left out, checked in one catalog call for all.
   */
  async summaries(
    entityRefs: string[],
    credentials: BackstageCredentials,
    options: { consumerLimit?: number; onlyVisibleEntities?: boolean } = {},
  ): Promise<TrustSummary[]> {
    const at = this.now();
    const parts = await this.store.getSummaryParts(entityRefs, at, {
      consumerLimit: options.consumerLimit ?? MAX_CONSUMERS,
      pulseSince: [
        new Date(at.getTime() - 30 * DAY_MS),
        new Date(at.getTime() - 7 * DAY_MS),
      ],
    });
    // One catalog call answers for the consumers and, when asked, for the
    // entities themselves.
    const visible = await this.visibleRefs(
      [
        ...(options.onlyVisibleEntities ? entityRefs : []),
        ...[...parts.values()].flatMap(p =>
          p.consumers.map(c => c.consumerRef),
        ),
      ],
      credentials,
    );
    const shown = options.onlyVisibleEntities
      ? entityRefs.filter(ref => visible.has(ref))
      : entityRefs;
    return shown.map(ref => {
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
          .filter(c => visible.has(c.consumerRef))
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
   * The summary of one entity; NotFoundError when the caller cannot see it.
   * The entity and its consumers are checked in the same catalog call.
   */
  async summary(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<TrustSummary> {
    const [summary] = await this.summaries([entityRef], credentials, {
      onlyVisibleEntities: true,
    });
    if (!summary) {
      throw new NotFoundError(`No entity ${entityRef} was found`);
    }
    return summary;
  }

  /**
   * The teams that would pay for a change to `entity`: owners of the entities
   * that depend on it or consume its APIs (or, for an API, consume it).
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
    const providedApis = targets(RELATION_PROVIDES_API);
    if (providedApis.length > 0) {
      const apis = await this.catalog.getEntitiesByRefs(
        { entityRefs: providedApis, fields: ['relations'] },
        { credentials },
      );
      for (const api of apis.items) {
        for (const r of api?.relations ?? []) {
          if (r.type === RELATION_API_CONSUMED_BY) dependents.add(r.targetRef);
        }
      }
    }
    const consumers =
      dependents.size > 0
        ? (
            await this.catalog.getEntitiesByRefs(
              { entityRefs: [...dependents], fields: ['relations'] },
              { credentials },
            )
          ).items
        : [];

    const owners = new Set<string>();
    for (const consumer of consumers) {
      for (const r of consumer?.relations ?? []) {
        if (r.type === RELATION_OWNED_BY) owners.add(r.targetRef);
      }
    }
    const ownRef = stringifyEntityRef(entity);
    owners.delete(ownRef);
    return [...owners].sort();
  }

  /**
   * Projects a spend of `amount` on each consumer team. Writes nothing.
   */
  async preflight(options: {
    entity: Entity;
    amount: number;
    consumerRefs?: string[];
    credentials: BackstageCredentials;
  }): Promise<PreflightResult> {
    const { entity, amount, credentials } = options;
    const entityRef = stringifyEntityRef(entity);
    let consumerRefs = options.consumerRefs;
    if (consumerRefs) {
      const visible = await this.visibleRefs(consumerRefs, credentials);
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

    const at = this.now();
    const [totals, consumerTotals] = await Promise.all([
      this.store.getTotals([entityRef], at),
      consumerRefs.length
        ? this.store.getConsumerTotals(entityRef, at, { consumerRefs })
        : Promise.resolve([]),
    ]);
    const balance = totals.get(entityRef)?.balance ?? 0;
    const byRef = new Map(consumerTotals.map(c => [c.consumerRef, c.balance]));
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
    const worst = consumers.some(c => c.verdict === 'overdrawn')
      ? 'overdrawn'
      : undefined;
    const overall = this.verdict(projectedBalance);
    return {
      balance,
      projectedBalance,
      verdict: overall === 'affordable' && worst ? 'risky' : overall,
      consumers,
    };
  }

  /**
   * Entities with ledgers that the caller can see, by current balance. Pages
   * of the store are filtered through the catalog, a bounded number of times.
   */
  async leaderboard(
    query: { order: 'asc' | 'desc'; limit: number; cursor?: string },
    credentials: BackstageCredentials,
  ): Promise<{ items: TrustLeaderboardItem[]; nextCursor?: string }> {
    const at = this.now();
    const items: TrustLeaderboardItem[] = [];
    let cursor = query.cursor;
    let hasMore = true;
    for (
      let round = 0;
      round < 5 && hasMore && items.length < query.limit;
      round++
    ) {
      const page = await this.store.leaderboard(
        { order: query.order, limit: query.limit, cursor },
        at,
      );
      hasMore = page.hasMore;
      const visible = await this.visibleRefs(
        page.items.map(i => i.entityRef),
        credentials,
      );
      for (const item of page.items) {
        cursor = item.cursor;
        if (!visible.has(item.entityRef)) continue;
        const { cursor: _cursor, ...totals } = item;
        items.push({ ...totals, level: this.level(totals.balance) });
        if (items.length === query.limit) {
          hasMore = hasMore || item !== page.items[page.items.length - 1];
          break;
        }
      }
    }
    return { items, nextCursor: hasMore ? cursor : undefined };
  }
}

/** One row of the leaderboard. */
export type TrustLeaderboardItem = TrustTotals & { level: TrustLevel };
