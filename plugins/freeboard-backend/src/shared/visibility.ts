import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

const MINIMAL_FIELDS = ['kind', 'metadata.name', 'metadata.namespace'];

/**
 * What the caller may see, asked of the catalog with the caller's
 * credentials. Reads check refs here before they reach the database, so a
 * ref the caller cannot see is never looked up, filtered on or echoed.
 */
export class CatalogVisibility {
  constructor(private readonly catalog: CatalogService) {}

  /** The entity if the caller can see it; NotFoundError otherwise. */
  async entity(
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
  async refs(
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

  /** Entities by ref with the given fields; null where the caller cannot see one. */
  async entities(
    refs: string[],
    fields: string[],
    credentials: BackstageCredentials,
  ): Promise<Array<Entity | null>> {
    if (refs.length === 0) return [];
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: refs, fields },
      { credentials },
    );
    return items.map(item => item ?? null);
  }
}
