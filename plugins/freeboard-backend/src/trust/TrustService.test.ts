import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TrustStore } from '../database/TrustStore';
import { DEFAULT_TRUST_CATEGORIES } from './config';
import { TrustService } from './TrustService';

describe('TrustService.summaries', () => {
  it('asks the catalog once for the entities and their consumers together', async () => {
    const store = {
      getSummaryParts: jest.fn(async () => {
        const totals = {
          entityRef: 'component:default/a',
          balance: 12,
          earned: 12,
          spent: 0,
          entryCount: 1,
        };
        return new Map([
          [
            'component:default/a',
            {
              totals,
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
          ],
        ]);
      }),
    } as unknown as TrustStore;
    const catalog = catalogServiceMock.mock({
      getEntitiesByRefs: jest.fn(async ({ entityRefs }) => ({
        // The caller can see "a" and "seen", not "b" nor "hidden".
        items: entityRefs.map((ref: string) =>
          ref.endsWith('/a') || ref.endsWith('/seen')
            ? {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: { name: ref.split('/')[1] },
              }
            : undefined,
        ),
      })),
    });
    const service = new TrustService(store, catalog, {
      halfLifeDays: 180,
      maxAmount: 100,
      levels: { healthy: 10, strong: 50 },
      categories: DEFAULT_TRUST_CATEGORIES,
    });

    const summaries = await service.summaries(
      ['component:default/a', 'component:default/b'],
      mockCredentials.user(),
      { consumerLimit: 5, onlyVisibleEntities: true },
    );

    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(1);
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
});
