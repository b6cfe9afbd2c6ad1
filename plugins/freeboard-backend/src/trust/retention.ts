import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DAY_MS } from './store/decay';
import { TrustMaintenanceStore } from './store/TrustStore';

/** Ledger entities checked against the catalog per request. */
const PAGE = 500;

/** What a sweep found and did. */
export interface SweepResult {
  checked: number;
  missing: number;
  deleted: number;
  /** Set when the sweep refused to delete, and why. */
  refused?: string;
}

/**
 * Deletes the ledgers of entities that have been gone from the catalog for
 * longer than `retentionDays`, so the append-only tables do not keep history
 * of entities deleted long ago. A short absence (a broken location, a rename
 * being rolled out) only starts the clock. The sweep deletes only entities it
 * found missing in this run, and refuses outright when that would be more
 * than `maxDeleteShare` of all ledgers: a location removed by mistake must
 * not wipe the ledgers it held.
 */
export async function sweepOrphanedLedgers(options: {
  maintenance: TrustMaintenanceStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  retentionDays: number;
  maxDeleteShare: number;
  now?: Date;
}): Promise<SweepResult> {
  const { maintenance, catalog, auth, logger } = options;
  const now = options.now ?? new Date();
  const credentials = await auth.getOwnServiceCredentials();
  const missingIds: number[] = [];
  let afterId = 0;
  let checked = 0;
  for (;;) {
    const page = await maintenance.listLedgerEntities({ afterId, limit: PAGE });
    if (page.length === 0) break;
    const { items } = await catalog.getEntitiesByRefs(
      {
        entityRefs: page.map(p => p.ref),
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    );
    const present: number[] = [];
    const missing: number[] = [];
    page.forEach((p, i) => (items[i] ? present : missing).push(p.id));
    await maintenance.markCatalogPresence({ present, missing, at: now });
    missingIds.push(...missing);
    checked += page.length;
    afterId = page[page.length - 1].id;
  }

  const before = new Date(now.getTime() - options.retentionDays * DAY_MS);
  const expired = await maintenance.expiredOrphans(missingIds, before);
  const result: SweepResult = {
    checked,
    missing: missingIds.length,
    deleted: 0,
  };
  if (expired.length === 0) return result;
  if (expired.length > options.maxDeleteShare * checked) {
    result.refused =
      `${expired.length} of ${checked} trust ledgers belong to entities missing from the catalog ` +
      `for over ${options.retentionDays} days, more than the allowed share ` +
      `(freeboard.trust.retention.maxDeleteShare = ${options.maxDeleteShare}); nothing was deleted. ` +
      'If the entities are really gone, raise the share for one run.';
    logger.warn(result.refused);
    return result;
  }
  result.deleted = await maintenance.deleteOrphanedLedgers(expired, before);
  return result;
}
