import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** How long the demo seeds wait for the catalog to ingest the sample entities. */
const CATALOG_WAIT_MS = 5 * 60 * 1000;

/**
 * Waits until the catalog holds every entity in `refs`: module writes are
 * checked against the catalog like API writes, and on a fresh demo database
 * the catalog ingests the sample files a little after start-up. False when
 * it never does.
 */
export async function waitForCatalog(options: {
  catalog: CatalogService;
  auth: AuthService;
  refs: string[];
  timeoutMs?: number;
}): Promise<boolean> {
  const { catalog, auth } = options;
  const refs = [...new Set(options.refs)];
  const deadline = Date.now() + (options.timeoutMs ?? CATALOG_WAIT_MS);
  for (;;) {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind'] },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    if (items.every(Boolean)) return true;
    if (Date.now() > deadline) return false;
    await new Promise(r => setTimeout(r, 2000));
  }
}
