import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TrustStore } from '../database/TrustStore';
import { DAY_MS } from './decay';

const PAGE = 500;

/**
 * Deletes the ledgers of entities that have been gone from the catalog for
 * longer than `retentionDays`, so the append-only tables do not keep history
 * of entities deleted long ago. A short absence (a broken location, a rename
 * being rolled out) only starts the clock.
 */
export async function sweepOrphanedLedgers(options: {
  store: TrustStore;
  catalog: CatalogService;
  auth: AuthService;
  retentionDays: number;
  now?: Date;
}): Promise<{ checked: number; missing: number; deleted: number }> {
  const { store, catalog, auth } = options;
  const now = options.now ?? new Date();
  const credentials = await auth.getOwnServiceCredentials();
  let afterId = 0;
  let checked = 0;
  let missingCount = 0;
  for (;;) {
    const page = await store.listLedgerEntities({ afterId, limit: PAGE });
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
    await store.markCatalogPresence({ present, missing, at: now });
    checked += page.length;
    missingCount += missing.length;
    afterId = page[page.length - 1].id;
  }
  const deleted = await store.deleteOrphanedLedgers(
    new Date(now.getTime() - options.retentionDays * DAY_MS),
  );
  return { checked, missing: missingCount, deleted };
}
