import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  TrustLedgerWriter,
  freeboardTrustExtensionPoint,
} from '@freeboard/backstage-plugin-node';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { LEAD, entity, startTrustBackend } from '../__testUtils__/trustBackend';
import { freeboardPlugin } from '../plugin';

jest.setTimeout(120_000);

const databases = createTestDatabases();

/** A module that hands its writer to the test once the backend has started. */
function capturingModule(moduleId: string) {
  let resolve!: (w: TrustLedgerWriter) => void;
  const writer = new Promise<TrustLedgerWriter>(r => (resolve = r));
  const feature = createBackendModule({
    pluginId: 'freeboard',
    moduleId: 'capture',
    register(reg) {
      reg.registerInit({
        deps: { trust: freeboardTrustExtensionPoint },
        async init({ trust }) {
          trust.addLedgerTask(moduleId, async w => resolve(w));
        },
      });
    },
  });
  return { feature, writer };
}

describe.each(databases.eachSupportedId())(
  'module writes on %s',
  databaseId => {
    it('refuses what an HTTP write refuses, and records what it accepts', async () => {
      const knex = await databases.init(databaseId);
      const capture = capturingModule('jira-sync');
      const backend = await startTrustBackend({
        knex,
        entities: [entity('Component', 'ci'), entity('Group', 'team-a')],
        extraFeatures: [capture.feature],
      });
      const writer = await capture.writer;
      const valid = {
        entityRef: 'component:default/ci',
        direction: 'earn' as const,
        category: 'pain-point-removed',
        amount: 5,
        title: 'Closed JIRA-1',
        recordedBy: 'user:default/bot',
      };
      const refusals: Array<[Record<string, unknown>, string]> = [
        [
          { consumerRef: 'group:default/nobody' },
          'consumerRef: no entity group:default/nobody in the catalog',
        ],
        [
          { entityRef: 'component:default/ghost' },
          'No entity component:default/ghost',
        ],
        [{ title: 'a\u0000b' }, 'title: must not contain control characters'],
        [{ amount: 1e-300 }, 'amount: must be at least 0.01'],
        [{ amount: 1e9 }, 'amount: must be at most 100'],
        [{ category: 'bribes' }, 'category: "bribes" is not a known category'],
        [
          { evidenceUrl: 'ftp://x' },
          'evidenceUrl: must be an http or https URL',
        ],
        [{ recordedBy: 'not a ref:' }, 'recordedBy:'],
        [
          { occurredAt: new Date('2999-01-01') },
          'occurredAt: must not be more than 5 minutes in the future',
        ],
      ];
      for (const [patch, message] of refusals) {
        await expect(
          writer.record({ ...valid, ...(patch as any) }),
        ).rejects.toThrow(message);
      }
      // The same refusals over HTTP, for the cases HTTP can express.
      const http = await backend
        .as(LEAD)
        .post('/api/freeboard/trust/entities/component/default/ci/entries')
        .send({
          category: 'pain-point-removed',
          amount: 5,
          title: 't',
          consumerRef: 'group:default/nobody',
        });
      expect(http.status).toBe(400);
      expect(http.body.error.message).toContain(
        'consumerRef: no entity group:default/nobody in the catalog',
      );

      const recorded = await writer.record({
        ...valid,
        consumerRef: 'group:team-a',
      });
      expect(recorded).toMatchObject({
        source: 'jira-sync',
        recordedBy: 'user:default/bot',
        consumerRef: 'group:default/team-a',
      });
      const [{ n }] = await knex('trust_entries').count({ n: '*' });
      expect(Number(n)).toBe(1);
    });
  },
);

describe('ledger task registration', () => {
  it.each([['x'.repeat(65)], ['has space'], ['pulse'], ['']])(
    'stops the start-up for the module id %j',
    async moduleId => {
      const capture = capturingModule(moduleId);
      await expect(
        startTestBackend({
          features: [
            freeboardPlugin,
            capture.feature,
            mockServices.database.factory(),
          ],
        }),
      ).rejects.toThrow(/module id .* must be 1 to 64/);
    },
  );
});
