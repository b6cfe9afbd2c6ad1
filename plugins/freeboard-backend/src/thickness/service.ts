import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ThicknessFigures,
  ThicknessReport,
} from '@freeboard/backstage-plugin-common';
import { CatalogReadScope } from '../shared/readScope';
import {
  daysEndingAt,
  projectionOf,
  replayTrend,
  thicknessFiguresOf,
} from './figures';
import { CountedCapability, ThicknessStore } from './store';

/**
 * The thinnest-viable-platform meter over what the caller can see: a
 * capability the caller cannot see is counted nowhere (today, per system,
 * projection, trend), and a system the caller cannot see is not named.
 */
export class ThicknessService {
  constructor(
    private readonly options: {
      store: ThicknessStore;
      scope: CatalogReadScope;
      now?: () => Date;
    },
  ) {}

  /**
   * Today's figures for all and per system, the projection once every
   * floating capability is retired, and one point per UTC day for the
   * last `days` days. With `systemRef`, all of it covers only the
   * capabilities currently in that system; a system the caller cannot
   * see answers like one without capabilities.
   */
  async report(
    query: { systemRef?: string; days: number },
    credentials: BackstageCredentials,
  ): Promise<ThicknessReport> {
    const { store, scope } = this.options;
    const days = daysEndingAt(this.options.now?.() ?? new Date(), query.days);
    const [counted, log] = await Promise.all([
      store.listCounted(query.systemRef),
      store.readLog({
        firstDay: days[0],
        lastDay: days[days.length - 1],
        systemRef: query.systemRef,
      }),
    ]);

    // One visibility check for every ref the answer could count or name.
    const refs = new Set<string>();
    for (const c of counted) {
      refs.add(c.entityRef);
      if (c.systemRef) refs.add(c.systemRef);
    }
    for (const entry of log) refs.add(entry.entityRef);
    if (query.systemRef) refs.add(query.systemRef);
    const visible = await scope.visible([...refs], credentials);
    const sees = (ref: string) => visible === 'all' || visible.has(ref);

    if (query.systemRef && !sees(query.systemRef)) {
      return {
        all: thicknessFiguresOf([]),
        systems: [],
        projection: thicknessFiguresOf([]),
        trend: replayTrend([], days),
      };
    }

    const shown = counted.filter(c => sees(c.entityRef));
    return {
      all: thicknessFiguresOf(shown),
      systems: this.bySystem(shown, sees),
      projection: projectionOf(shown),
      trend: replayTrend(
        log.filter(entry => sees(entry.entityRef)),
        days,
      ),
    };
  }

  /**
   * Figures per system, by ref, then the capabilities without a system the
   * caller can see (`systemRef` absent): a hidden system is not named, its
   * capabilities still count.
   */
  private bySystem(
    capabilities: CountedCapability[],
    sees: (ref: string) => boolean,
  ): Array<ThicknessFigures & { systemRef?: string }> {
    const buckets = new Map<string | undefined, CountedCapability[]>();
    for (const c of capabilities) {
      const key = c.systemRef && sees(c.systemRef) ? c.systemRef : undefined;
      const bucket = buckets.get(key) ?? [];
      bucket.push(c);
      buckets.set(key, bucket);
    }
    const named = [...buckets.keys()]
      .filter((k): k is string => k !== undefined)
      .sort();
    const systems: Array<ThicknessFigures & { systemRef?: string }> = named.map(
      systemRef => ({
        systemRef,
        ...thicknessFiguresOf(buckets.get(systemRef)!),
      }),
    );
    const unnamed = buckets.get(undefined);
    if (unnamed) systems.push(thicknessFiguresOf(unnamed));
    return systems;
  }
}
