import { mockCredentials } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AdoptionReader } from './adoption';

/** Relation pairs the catalog emits, forward → reverse. */
const REVERSE: Record<string, string> = {
  dependsOn: 'dependencyOf',
  consumesApi: 'apiConsumedBy',
  providesApi: 'apiProvidedBy',
  hasPart: 'partOf',
  ownedBy: 'ownerOf',
};

/**
 * Builds entities with their relations in both directions, as the catalog's
 * processors emit them (tests state each edge once).
 */
function catalogOf(edges: Array<[string, string, string]>, extra: string[]) {
  const entities = new Map<string, Entity>();
  const get = (ref: string) => {
    let entity = entities.get(ref);
    if (!entity) {
      const { kind, namespace, name } = parseEntityRef(ref);
      entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: kind[0].toLocaleUpperCase('en-US') + kind.slice(1),
        metadata: { name, namespace },
        spec: {},
        relations: [],
      };
      entities.set(ref, entity);
    }
    return entity;
  };
  for (const [source, type, target] of edges) {
    get(source).relations!.push({ type, targetRef: target });
    get(target).relations!.push({ type: REVERSE[type], targetRef: source });
  }
  extra.forEach(get);
  return [...entities.values()];
}

const OUTSIDER = 'user:default/outsider';

/**
 * The in-memory catalog (which honours `fields`), with entities hidden from
 * the outsider as a permission policy would, and every request recorded.
 */
function visibilityAwareCatalog(entities: Entity[], hidden: string[]) {
  const inner = catalogServiceMock({ entities });
  const requests: string[][] = [];
  const catalog = catalogServiceMock.mock({
    getEntitiesByRefs: jest.fn(async (request: any, options: any) => {
      requests.push(request.entityRefs);
      const { items } = await inner.getEntitiesByRefs(request);
      const outsider =
        (options?.credentials as BackstageCredentials<any>)?.principal
          ?.userEntityRef === OUTSIDER;
      return {
        items: items.map((item, i) =>
          outsider && hidden.includes(request.entityRefs[i]) ? undefined : item,
        ),
      };
    }) as any,
  });
  return { catalog, requests };
}

const PLATFORM = 'component:default/platform';
const EVENTS_API = 'api:default/events-api';
const SYSTEM = 'system:default/observability';
const SHARED_DB = 'resource:default/shared-db';

const entities = catalogOf(
  [
    // A component initiative: depended on, and its API consumed.
    [PLATFORM, 'ownedBy', 'group:default/platform-team'],
    [PLATFORM, 'providesApi', 'api:default/platform-api'],
    ['component:default/checkout', 'ownedBy', 'group:default/payments'],
    ['component:default/checkout', 'dependsOn', PLATFORM],
    ['component:default/billing', 'ownedBy', 'group:default/payments'],
    ['component:default/billing', 'consumesApi', 'api:default/platform-api'],
    ['component:default/search-indexer', 'ownedBy', 'group:default/search'],
    [
      'component:default/search-indexer',
      'consumesApi',
      'api:default/platform-api',
    ],
    // Hidden from the outsider: a consumer, and a team.
    ['component:default/secret-thing', 'ownedBy', 'group:default/security'],
    ['component:default/secret-thing', 'dependsOn', PLATFORM],
    ['component:default/stealth-app', 'ownedBy', 'group:default/stealth'],
    ['component:default/stealth-app', 'dependsOn', PLATFORM],
    // A user's own component, and a resource: not a team's component.
    ['component:default/alice-toy', 'ownedBy', 'user:default/alice'],
    ['component:default/alice-toy', 'dependsOn', PLATFORM],
    ['resource:default/cache', 'ownedBy', 'group:default/data'],
    ['resource:default/cache', 'dependsOn', PLATFORM],
    // The platform using its own API does not adopt itself.
    [PLATFORM, 'consumesApi', 'api:default/platform-api'],

    // An API initiative.
    ['component:default/events', 'providesApi', EVENTS_API],
    ['component:default/events', 'ownedBy', 'group:default/platform-team'],
    ['component:default/checkout', 'consumesApi', EVENTS_API],
    ['component:default/reporting', 'ownedBy', 'group:default/data'],
    ['component:default/reporting', 'consumesApi', EVENTS_API],

    // A system initiative: its parts, and an API of a part that is not one.
    [SYSTEM, 'hasPart', 'component:default/collector'],
    [SYSTEM, 'hasPart', 'api:default/metrics-api'],
    [SYSTEM, 'hasPart', 'component:default/dashboards'],
    [SYSTEM, 'hasPart', 'component:default/agent'],
    ['component:default/collector', 'providesApi', 'api:default/metrics-api'],
    ['component:default/collector', 'ownedBy', 'group:default/observability'],
    ['component:default/dashboards', 'ownedBy', 'group:default/observability'],
    ['component:default/agent', 'ownedBy', 'group:default/observability'],
    ['component:default/agent', 'providesApi', 'api:default/agent-api'],
    ['component:default/dashboards', 'consumesApi', 'api:default/metrics-api'],
    ['component:default/dashboards', 'dependsOn', 'component:default/agent'],
    ['component:default/checkout', 'consumesApi', 'api:default/metrics-api'],
    [
      'component:default/search-indexer',
      'dependsOn',
      'component:default/agent',
    ],
    ['component:default/reporting', 'consumesApi', 'api:default/agent-api'],

    // A resource initiative.
    ['component:default/reporting', 'dependsOn', SHARED_DB],
  ],
  ['group:default/nobody'],
);

const HIDDEN = [
  'component:default/secret-thing',
  'group:default/stealth',
  SHARED_DB,
];

function teams(adopters: Map<string, string[]> | undefined) {
  return Object.fromEntries(adopters ?? []);
}

describe('AdoptionReader', () => {
  const lead = mockCredentials.user('user:default/lead');
  const outsider = mockCredentials.user(OUTSIDER);

  it('counts components that depend on a component or consume its APIs', async () => {
    const { catalog } = visibilityAwareCatalog(entities, HIDDEN);
    const reader = new AdoptionReader(catalog);
    expect(teams(await reader.adopters(PLATFORM, lead))).toEqual({
      'group:default/payments': [
        'component:default/billing',
        'component:default/checkout',
      ],
      'group:default/search': ['component:default/search-indexer'],
      'group:default/security': ['component:default/secret-thing'],
      'group:default/stealth': ['component:default/stealth-app'],
      // Not alice (a user), not data (only a resource depends on it), not
      // the platform's own team (its component uses its own API).
    });
  });

  it('leaves out consumers and teams the caller cannot see', async () => {
    const { catalog } = visibilityAwareCatalog(entities, HIDDEN);
    const reader = new AdoptionReader(catalog);
    expect(teams(await reader.adopters(PLATFORM, outsider))).toEqual({
      'group:default/payments': [
        'component:default/billing',
        'component:default/checkout',
      ],
      'group:default/search': ['component:default/search-indexer'],
    });
  });

  it('counts the consumers of an API', async () => {
    const { catalog } = visibilityAwareCatalog(entities, HIDDEN);
    const reader = new AdoptionReader(catalog);
    expect(teams(await reader.adopters(EVENTS_API, lead))).toEqual({
      'group:default/data': ['component:default/reporting'],
      'group:default/payments': ['component:default/checkout'],
    });
  });

  it("counts a system's parts and their APIs, not its parts as consumers", async () => {
    const { catalog } = visibilityAwareCatalog(entities, HIDDEN);
    const reader = new AdoptionReader(catalog);
    expect(teams(await reader.adopters(SYSTEM, lead))).toEqual({
      'group:default/data': ['component:default/reporting'],
      'group:default/payments': ['component:default/checkout'],
      'group:default/search': ['component:default/search-indexer'],
      // observability only uses its own parts.
    });
  });

  it('counts the dependents of a resource, and nothing for an invisible one', async () => {
    const { catalog } = visibilityAwareCatalog(entities, HIDDEN);
    const reader = new AdoptionReader(catalog);
    expect(teams(await reader.adopters(SHARED_DB, lead))).toEqual({
      'group:default/data': ['component:default/reporting'],
    });
    expect(teams(await reader.adopters(SHARED_DB, outsider))).toEqual({});
    const many = await reader.adoptersOfMany([SHARED_DB, PLATFORM], outsider);
    expect([...many.keys()]).toEqual([PLATFORM]);
  });

  it('reads many initiatives in a few batched calls, keyed as given', async () => {
    const { catalog, requests } = visibilityAwareCatalog(entities, HIDDEN);
    const reader = new AdoptionReader(catalog);
    const given = [PLATFORM, 'API:default/Events-API', SYSTEM, SHARED_DB];
    const many = await reader.adoptersOfMany(given, lead);
    // Initiatives, first-level targets, system parts' APIs, consumers, groups.
    expect(requests).toHaveLength(5);
    expect(requests[0]).toEqual([PLATFORM, EVENTS_API, SYSTEM, SHARED_DB]);
    // Nothing is asked for twice within one read.
    const asked = requests.flat();
    expect(new Set(asked).size).toBe(asked.length);
    expect([...many.keys()]).toEqual(given);
    expect(teams(many.get('API:default/Events-API'))).toEqual(
      teams(await reader.adopters(EVENTS_API, lead)),
    );
    expect(teams(many.get(SYSTEM))).toEqual(
      teams(await reader.adopters(SYSTEM, lead)),
    );
  });

  it('splits long lists into chunks and keeps the call count per round', async () => {
    const edges: Array<[string, string, string]> = [];
    for (let i = 0; i < 2500; i++) {
      edges.push([`component:default/c${i}`, 'dependsOn', PLATFORM]);
      edges.push([
        `component:default/c${i}`,
        'ownedBy',
        `group:default/team-${i % 1200}`,
      ]);
    }
    const { catalog, requests } = visibilityAwareCatalog(
      catalogOf(edges, []),
      [],
    );
    const reader = new AdoptionReader(catalog);
    const adopters = await reader.adopters(PLATFORM, lead);
    expect(adopters.size).toBe(1200);
    expect(adopters.get('group:default/team-0')).toEqual([
      'component:default/c0',
      'component:default/c1200',
      'component:default/c2400',
    ]);
    // 1 initiative call, 3 consumer chunks, 2 group chunks.
    expect(requests.map(r => r.length)).toEqual([
      1, 1000, 1000, 500, 1000, 200,
    ]);
  });
});
