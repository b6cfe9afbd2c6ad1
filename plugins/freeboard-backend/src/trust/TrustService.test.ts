import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogVisibility } from '../shared/visibility';
import { DEFAULT_TRUST_CATEGORIES } from './config';
import { TrustCursors } from './cursors';
import { TrustReadStore } from './store/TrustStore';
import { TrustService } from './TrustService';

const config = {
  halfLifeDays: 180,
  maxAmount: 100,
  levels: { healthy: 10, strong: 50 },
  categories: DEFAULT_TRUST_CATEGORIES,
};

function entity(
  kind: string,
  name: string,
  relations: Array<[string, string]> = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

const totals = (entityRef: string, balance: number) => ({
  entityRef,
  balance,
  earned: balance,
  spent: 0,
  entryCount: 1,
});

describe('TrustService', () => {
  // The caller can see "a", "seen" and the components, not "b" nor "hidden".
  const visibleEntities = [
    entity('Component', 'a', [
      ['ownedBy', 'group:default/platform'],
      ['dependencyOf', 'component:default/app-seen'],
      ['dependencyOf', 'component:default/app-hidden-owner'],
    ]),
    entity('Group', 'seen'),
    entity('Group', 'platform'),
    entity('Component', 'app-seen', [['ownedBy', 'group:default/seen']]),
    entity('Component', 'app-hidden-owner', [
      ['ownedBy', 'group:default/hidden'],
    ]),
  ];

  function setup() {
    const reads = {
      getSummaryParts: jest.fn(async (refs: string[]) => {
        return new Map(
          refs.map(ref => [
            ref,
            {
              totals: totals(ref, 12),
              consumers: [
                {
                  consumerRef: 'group:default/seen',
                  balance: 8,
                  entryCount: 1,
                },
                {
                  consumerRef: 'group:default/hidden',
                  balance: 4,
                  entryCount: 1,
                },
              ],
              pulses: [
                { up: 1, down: 0 },
                { up: 0, down: 0 },
              ],
            },
          ]),
        );
      }),
      getBalances: jest.fn(
        async (_ref: string, _at: Date, o: { consumerRefs: string[] }) => ({
          totals: totals('component:default/a', 30),
          consumers: o.consumerRefs.map(consumerRef => ({
            consumerRef,
            balance: 5,
            entryCount: 1,
          })),
        }),
      ),
    } as unknown as jest.Mocked<TrustReadStore>;
    const catalog = catalogServiceMock({ entities: visibleEntities });
    const service = new TrustService(
      reads,
      new CatalogVisibility(catalog),
      {} as TrustCursors,
      config,
    );
    return { reads, service };
  }

  it('checks entities against the catalog before the store sees them', async () => {
    const { reads, service } = setup();
    const summaries = await service.summaries(
      ['component:default/a', 'component:default/b'],
      mockCredentials.user(),
    );
    // The invisible "b" never reaches the store.
    expect(reads.getSummaryParts).toHaveBeenCalledWith(
      ['component:default/a'],
      expect.any(Date),
      expect.objectContaining({ consumerLimit: 5 }),
    );
    expect(summaries).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/a',
        balance: 12,
        level: 'healthy',
        consumers: [
          { consumerRef: 'group:default/seen', balance: 8, level: 'thin' },
        ],
        pulses: {
          last30Days: { up: 1, down: 0 },
          last7Days: { up: 0, down: 0 },
        },
      }),
    ]);
  });

  it('asks the store nothing when no entity is visible', async () => {
    const { reads, service } = setup();
    await expect(
      service.summaries(['component:default/b'], mockCredentials.user()),
    ).resolves.toEqual([]);
    await expect(
      service.summary('component:default/b', mockCredentials.user()),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(reads.getSummaryParts).not.toHaveBeenCalled();
  });

  it('reads a level from the totals alone, and none without entries', async () => {
    const { reads, service } = setup();
    await expect(service.levelOf('component:default/a')).resolves.toBe(
      'healthy',
    );
    expect(reads.getBalances).toHaveBeenCalledWith(
      'component:default/a',
      expect.any(Date),
      { consumerRefs: [] },
    );
    reads.getBalances.mockResolvedValueOnce({ consumers: [] });
    await expect(
      service.levelOf('component:default/none'),
    ).resolves.toBeUndefined();
    expect(reads.getSummaryParts).not.toHaveBeenCalled();
  });

  it('leaves owners the caller cannot see out of a pre-flight', async () => {
    const { reads, service } = setup();
    const result = await service.preflight({
      entity: visibleEntities[0],
      amount: 10,
      credentials: mockCredentials.user(),
    });
    expect(result.consumers.map(c => c.consumerRef)).toEqual([
      'group:default/seen',
    ]);
    expect(reads.getBalances).toHaveBeenCalledWith(
      'component:default/a',
      expect.any(Date),
      { consumerRefs: ['group:default/seen'] },
    );
  });
});
