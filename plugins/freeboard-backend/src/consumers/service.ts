import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import {
  ConsumerCapabilityBalance,
  ConsumerView,
  TrustLevelThresholds,
  parseCatalogRef,
  trustLevelOf,
} from '@freeboard/backstage-plugin-common';
import { CatalogVisibility } from '../shared/visibility';
import { ConsumerBalanceStore } from './store';

/** Kinds whose owner team the consumer view shows. */
const OWNED_KINDS = new Set(['component', 'api', 'system', 'resource']);

const TITLE_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
];

const kindOf = (ref: string) => ref.slice(0, ref.indexOf(':'));

/**
 * The group owning an entity (the first by ref when several do), or
 * undefined when no group does: a user may own a component, but a person
 * is not a consumer team.
 */
function ownerGroupOf(entity: Entity): string | undefined {
  // Relation targets are full refs; the ledger keys consumers by their
  // lower-case form.
  const groups: string[] = [];
  for (const relation of entity.relations ?? []) {
    if (relation.type !== RELATION_OWNED_BY) continue;
    const parsed = parseCatalogRef(relation.targetRef);
    if ('ref' in parsed && kindOf(parsed.ref) === 'group') {
      groups.push(parsed.ref);
    }
  }
  return groups.sort()[0];
}

/**
 * "Your balance with the platform": the capabilities a consumer team
 * depends on, each with the team's own balance. Only capabilities the
 * caller can see are listed, and a team the caller cannot see is not named.
 */
export class ConsumerViewService {
  constructor(
    private readonly options: {
      store: ConsumerBalanceStore;
      visibility: CatalogVisibility;
      levels: TrustLevelThresholds;
      now?: () => Date;
    },
  ) {}

  /**
   * The view of a group, or of the team owning a component (API, system,
   * resource). NotFoundError when the caller cannot see the entity. When no
   * team answers for it (no owner group, an owner the caller cannot see, or
   * another kind of entity), `teamRef` is empty and there are no items: the
   * card has nothing to show.
   */
  async view(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ConsumerView> {
    const { store, visibility } = this.options;
    const entity = await visibility.entity(entityRef, credentials);
    const kind = kindOf(entityRef);
    if (kind !== 'group' && !OWNED_KINDS.has(kind)) {
      return { teamRef: '', items: [] };
    }
    const ownerAsked = kind !== 'group';
    const asked = ownerAsked ? { componentRef: entityRef } : {};
    const teamRef = ownerAsked ? ownerGroupOf(entity) : entityRef;
    if (!teamRef) return { teamRef: '', ...asked, items: [] };

    const rows = await store.teamCapabilities(
      teamRef,
      this.options.now?.() ?? new Date(),
    );
    // One catalog round trip: the capabilities' titles and whether the
    // caller sees them, and the owner team when it is not the entity asked.
    const refs = rows.map(row => row.entityRef);
    const entities = await visibility.entities(
      ownerAsked ? [teamRef, ...refs] : refs,
      TITLE_FIELDS,
      credentials,
    );
    if (ownerAsked && !entities[0]) return { teamRef: '', ...asked, items: [] };
    const found = ownerAsked ? entities.slice(1) : entities;

    const items: ConsumerCapabilityBalance[] = [];
    rows.forEach((row, i) => {
      const capability = found[i];
      if (!capability) return;
      items.push({
        entityRef: row.entityRef,
        title: capability.metadata.title ?? capability.metadata.name,
        balance: row.balance,
        level: trustLevelOf(row.balance, this.options.levels),
        entryCount: row.entryCount,
        ...(row.lastCharge ? { lastCharge: row.lastCharge } : {}),
        ...(row.decision ? { decision: row.decision } : {}),
      });
    });
    items.sort(
      (a, b) =>
        a.balance - b.balance ||
        a.title.localeCompare(b.title) ||
        (a.entityRef < b.entityRef ? -1 : 1),
    );
    return { teamRef, ...asked, items };
  }
}
