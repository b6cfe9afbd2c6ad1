import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_API_CONSUMED_BY,
  RELATION_DEPENDENCY_OF,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_PROVIDES_API,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Refs per `getEntitiesByRefs` call; larger lists are split. */
const CHUNK = 1000;
/** Chunks of one round asked for at once. */
const PARALLEL_CHUNKS = 4;

const REF_FIELDS = ['kind', 'metadata.name', 'metadata.namespace'];
const WITH_RELATIONS = [...REF_FIELDS, 'relations'];

/** Relations whose source depends on or consumes the entity holding them. */
const CONSUMED_BY = [RELATION_DEPENDENCY_OF, RELATION_API_CONSUMED_BY];

function normalize(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

function kindOf(ref: string): string {
  return ref.slice(0, ref.indexOf(':'));
}

function targets(entity: Entity | undefined, type: string): string[] {
  return (entity?.relations ?? [])
    .filter(r => r.type === type)
    .map(r => normalize(r.targetRef));
}

/** What one initiative's adoption is read from. */
interface Plan {
  /** The entities whose dependents and consumers count. */
  targets: string[];
  /** Refs that never count as consumers: the entity itself, a system's parts. */
  excluded: Set<string>;
}

/**
 * Adoption measured from the catalog (issue 7): a team has adopted an entity
 * when one of its components depends on the entity or consumes an API the
 * entity provides; for an API, consumes it; for a system, does either to any
 * of its parts (the system's own parts do not count as consumers).
 *
 * Everything is read with the caller's credentials, so entities the caller
 * cannot see (the initiative, a provided API, a consumer, the owning group)
 * are left out. Reads are batched by round, never by consumer: at most five
 * rounds of `getEntitiesByRefs` for any number of initiatives, each split
 * into chunks of {@link CHUNK} refs.
 */
export class AdoptionReader {
  constructor(private readonly catalog: CatalogService) {}

  /**
   * Teams (normalized group refs) that have adopted `entityRef`, each with
   * the consumer component refs through which it did. Empty when the entity
   * does not exist or the caller cannot see it.
   */
  async adopters(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Map<string, string[]>> {
    const all = await this.adoptersOfMany([entityRef], credentials);
    return all.get(entityRef) ?? new Map();
  }

  /**
   * {@link AdoptionReader.adopters} for many initiatives in shared batches,
   * keyed by the refs as given. Initiatives that do not exist or that the
   * caller cannot see are left out of the result, so a caller can tell "no
   * adopters" from "could not read" (the daily snapshot must not record a
   * missing entity as having lost every team).
   */
  async adoptersOfMany(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, Map<string, string[]>>> {
    const cache = new Map<string, Entity | null>();
    const fetch = (refs: Iterable<string>, fields: string[]) =>
      this.load(cache, refs, fields, credentials);

    // Round 1: the initiatives.
    const initiatives = [...new Set(entityRefs.map(normalize))];
    await fetch(initiatives, WITH_RELATIONS);

    // Round 2: the APIs they provide and the parts of systems.
    const firstLevel = new Set<string>();
    for (const ref of initiatives) {
      const entity = cache.get(ref) ?? undefined;
      targets(entity, RELATION_PROVIDES_API).forEach(r => firstLevel.add(r));
      if (kindOf(ref) === 'system') {
        targets(entity, RELATION_HAS_PART).forEach(r => firstLevel.add(r));
      }
    }
    await fetch(firstLevel, WITH_RELATIONS);

    // Round 3: the APIs that a system's parts provide.
    const secondLevel = new Set<string>();
    for (const ref of initiatives) {
      if (kindOf(ref) !== 'system') continue;
      for (const part of targets(
        cache.get(ref) ?? undefined,
        RELATION_HAS_PART,
      )) {
        targets(cache.get(part) ?? undefined, RELATION_PROVIDES_API).forEach(
          r => secondLevel.add(r),
        );
      }
    }
    await fetch(secondLevel, WITH_RELATIONS);

    // Which entities count for each initiative, and who consumes them.
    const plans = new Map<string, Plan>();
    const consumers = new Set<string>();
    for (const ref of initiatives) {
      const entity = cache.get(ref);
      if (!entity) continue;
      const plan: Plan = { targets: [ref], excluded: new Set([ref]) };
      const provided = targets(entity, RELATION_PROVIDES_API);
      plan.targets.push(...provided);
      if (kindOf(ref) === 'system') {
        for (const part of targets(entity, RELATION_HAS_PART)) {
          plan.excluded.add(part);
          plan.targets.push(part);
          plan.targets.push(
            ...targets(cache.get(part) ?? undefined, RELATION_PROVIDES_API),
          );
        }
      }
      plans.set(ref, plan);
      for (const consumer of this.consumersOf(plan, cache)) {
        consumers.add(consumer);
      }
    }

    // Round 4: the consumers, for their owners.
    await fetch(consumers, WITH_RELATIONS);
    const owners = new Set<string>();
    for (const consumer of consumers) {
      this.teamsOwning(consumer, cache).forEach(t => owners.add(t));
    }

    // Round 5: the owning groups, so that a team the caller cannot see is
    // not named through its components.
    await fetch(owners, REF_FIELDS);

    const result = new Map<string, Map<string, string[]>>();
    for (const given of entityRefs) {
      const plan = plans.get(normalize(given));
      if (!plan) continue;
      const byTeam = new Map<string, string[]>();
      for (const consumer of [...this.consumersOf(plan, cache)].sort()) {
        for (const team of this.teamsOwning(consumer, cache)) {
          if (!cache.get(team)) continue;
          const via = byTeam.get(team) ?? [];
          via.push(consumer);
          byTeam.set(team, via);
        }
      }
      result.set(
        given,
        new Map([...byTeam].sort(([a], [b]) => (a < b ? -1 : 1))),
      );
    }
    return result;
  }

  /**
   * Components that depend on or consume any visible target of `plan`.
   * Only components count: the rule is about a team's components, and a
   * resource or system "depending" on a platform says nothing about a team
   * building on it.
   */
  private consumersOf(plan: Plan, cache: Map<string, Entity | null>) {
    const found = new Set<string>();
    for (const target of plan.targets) {
      const entity = cache.get(target);
      if (!entity) continue;
      for (const type of CONSUMED_BY) {
        for (const ref of targets(entity, type)) {
          if (kindOf(ref) === 'component' && !plan.excluded.has(ref)) {
            found.add(ref);
          }
        }
      }
    }
    return found;
  }

  /**
   * Groups owning a visible consumer. Owners come from `ownedBy` relations,
   * which the catalog has already normalized to full refs (`spec.owner` may
   * be shorthand). A user owning a component is not a team: cohorts and the
   * pioneer are groups, so a personal project must not count as adoption.
   */
  private teamsOwning(consumer: string, cache: Map<string, Entity | null>) {
    const entity = cache.get(consumer);
    if (!entity) return [];
    return [
      ...new Set(
        targets(entity, RELATION_OWNED_BY).filter(r => kindOf(r) === 'group'),
      ),
    ];
  }

  /** Fetches the refs not yet in `cache`, in chunks; null where not visible. */
  private async load(
    cache: Map<string, Entity | null>,
    refs: Iterable<string>,
    fields: string[],
    credentials: BackstageCredentials,
  ): Promise<void> {
    const missing = [...new Set(refs)].filter(ref => !cache.has(ref));
    const chunks: string[][] = [];
    for (let i = 0; i < missing.length; i += CHUNK) {
      chunks.push(missing.slice(i, i + CHUNK));
    }
    for (let i = 0; i < chunks.length; i += PARALLEL_CHUNKS) {
      await Promise.all(
        chunks.slice(i, i + PARALLEL_CHUNKS).map(async chunk => {
          const { items } = await this.catalog.getEntitiesByRefs(
            { entityRefs: chunk, fields },
            { credentials },
          );
          chunk.forEach((ref, j) => cache.set(ref, items[j] ?? null));
        }),
      );
    }
  }
}
