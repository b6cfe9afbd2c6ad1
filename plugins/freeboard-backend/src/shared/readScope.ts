import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** Refs per `getEntitiesByRefs` call when each ref must be checked. */
const CHUNK = 1000;
/** Chunks asked for at once. */
const PARALLEL_CHUNKS = 4;
const MINIMAL_FIELDS = ['kind', 'metadata.name', 'metadata.namespace'];

/**
 * Which of many entities the caller may see, for reads that cover the whole
 * platform (the portfolio, its totals and CSV, the thickness meter).
 *
 * The catalog's own gate is the `catalog.entity.read` permission, so it is
 * asked first: when the policy allows it outright the caller sees every
 * entity and no catalog call is needed; when it denies, nothing. Only a
 * conditional decision (the policy's rules need the entity) makes the refs
 * be checked against the catalog with the caller's credentials, in chunks.
 */
export class CatalogReadScope {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      permissions: PermissionsService;
    },
  ) {}

  /**
   * `all` when the caller sees every entity, otherwise the subset of
   * `refs` (as given, expected normalized) the caller sees.
   */
  async visible(
    refs: readonly string[],
    credentials: BackstageCredentials,
  ): Promise<'all' | Set<string>> {
    const decision = await this.decide(credentials);
    if (decision !== 'conditional') return decision;
    return this.checkEach(refs, credentials);
  }

  /**
   * The policy's answer to `catalog.entity.read` for the caller: `all`,
   * nothing, or `conditional` when each entity must be checked.
   */
  async decide(
    credentials: BackstageCredentials,
  ): Promise<'all' | Set<string> | 'conditional'> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return 'all';
    if (decision.result === AuthorizeResult.DENY) return new Set();
    return 'conditional';
  }

  /** Keeps from `refs` those the caller sees. */
  async filter<T extends string>(
    refs: readonly T[],
    credentials: BackstageCredentials,
  ): Promise<T[]> {
    const scope = await this.visible(refs, credentials);
    return scope === 'all' ? [...refs] : refs.filter(ref => scope.has(ref));
  }

  /** The subset of `refs` the catalog returns to the caller. */
  async checkEach(
    refs: readonly string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const unique = [...new Set(refs)];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += CHUNK) {
      chunks.push(unique.slice(i, i + CHUNK));
    }
    const visible = new Set<string>();
    for (let i = 0; i < chunks.length; i += PARALLEL_CHUNKS) {
      const round = chunks.slice(i, i + PARALLEL_CHUNKS);
      const answers = await Promise.all(
        round.map(chunk =>
          this.options.catalog.getEntitiesByRefs(
            { entityRefs: chunk, fields: MINIMAL_FIELDS },
            { credentials },
          ),
        ),
      );
      answers.forEach((answer, c) =>
        answer.items.forEach((item, j) => {
          if (item) visible.add(round[c][j]);
        }),
      );
    }
    return visible;
  }
}
