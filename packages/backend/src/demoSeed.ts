import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  TrustLedgerWrite,
  freeboardTrustExtensionPoint,
} from '@freeboard/backstage-plugin-node';
import { waitForCatalog } from './waitForCatalog';

const DAY_MS = 24 * 60 * 60 * 1000;

type Story = Omit<
  TrustLedgerWrite,
  'occurredAt' | 'recordedBy' | 'entityRef'
> & {
  daysAgo: number;
};

const ADA = 'user:default/ada.platform';
const GRACE = 'user:default/grace.platform';
const team = (name: string) => `group:default/${name}`;

/*
 * Several months of a platform team's life, per capability. Kubernetes runtime
 * is mid-migration and has overdrawn Logistics and Payments; observability
 * floated to a vendor and Growth paid for it; golden paths mostly earned.
 */
const HISTORY: Record<string, Story[]> = {
  'component:default/ci-pipelines': [
    {
      daysAgo: 210,
      direction: 'earn',
      category: 'self-service',
      amount: 15,
      title: 'Self-service pipeline creation from templates',
      consumerRef: team('payments'),
    },
    {
      daysAgo: 180,
      direction: 'earn',
      category: 'pain-point-removed',
      amount: 12,
      title: 'Build cache cut median build time from 14 to 5 minutes',
      consumerRef: team('checkout'),
    },
    {
      daysAgo: 150,
      direction: 'spend',
      category: 'breaking-change',
      amount: 15,
      title: 'Pipeline syntax v2: old step names removed',
      consumerRef: team('identity'),
    },
    {
      daysAgo: 120,
      direction: 'earn',
      category: 'docs-improved',
      amount: 5,
      title: 'Troubleshooting guide for flaky test quarantine',
      consumerRef: team('mobile-apps'),
    },
    {
      daysAgo: 75,
      direction: 'earn',
      category: 'fast-support',
      amount: 3,
      title: 'Unblocked the release train within 20 minutes',
      consumerRef: team('logistics'),
    },
    {
      daysAgo: 40,
      direction: 'spend',
      category: 'outage',
      amount: 12,
      title: 'Runner pool exhausted for half a day',
      consumerRef: team('growth'),
    },
    {
      daysAgo: 12,
      direction: 'earn',
      category: 'feedback-acted-on',
      amount: 8,
      title: 'Parallel test sharding, asked for in the last survey',
      consumerRef: team('growth'),
    },
  ],
  'component:default/kubernetes-runtime': [
    {
      daysAgo: 230,
      direction: 'earn',
      category: 'self-service',
      amount: 15,
      title: 'Namespaces on demand through the portal',
      consumerRef: team('checkout'),
    },
    {
      daysAgo: 160,
      direction: 'spend',
      category: 'migration',
      amount: 20,
      title: 'Migration to the new ingress controller',
      consumerRef: team('logistics'),
    },
    {
      daysAgo: 150,
      direction: 'spend',
      category: 'migration',
      amount: 20,
      title: 'Migration to the new ingress controller',
      consumerRef: team('payments'),
    },
    {
      daysAgo: 95,
      direction: 'spend',
      category: 'mandate',
      amount: 10,
      title: 'Resource limits mandatory on every deployment',
      consumerRef: team('logistics'),
    },
    {
      daysAgo: 60,
      direction: 'spend',
      category: 'migration',
      amount: 20,
      title: 'Cluster move to managed Kubernetes, wave 1',
      consumerRef: team('logistics'),
    },
    {
      daysAgo: 55,
      direction: 'spend',
      category: 'migration',
      amount: 20,
      title: 'Cluster move to managed Kubernetes, wave 1',
      consumerRef: team('payments'),
    },
    {
      daysAgo: 30,
      direction: 'earn',
      category: 'demo-delivered',
      amount: 4,
      title: 'Demo of the managed cluster dashboards to engineering',
      consumerRef: team('identity'),
    },
    {
      daysAgo: 40,
      direction: 'earn',
      category: 'self-service',
      amount: 15,
      title: 'Autoscaling on by default for every namespace',
      consumerRef: team('growth'),
    },
    {
      daysAgo: 25,
      direction: 'earn',
      category: 'pain-point-removed',
      amount: 10,
      title: 'Cost dashboards per namespace',
      consumerRef: team('mobile-apps'),
    },
    {
      daysAgo: 14,
      direction: 'earn',
      category: 'pain-point-removed',
      amount: 12,
      title: 'Cluster upgrades without downtime',
      consumerRef: team('checkout'),
    },
    {
      daysAgo: 9,
      direction: 'earn',
      category: 'fast-support',
      amount: 3,
      title: 'Paired with Logistics on the failed rollout',
      consumerRef: team('logistics'),
    },
    {
      daysAgo: 3,
      direction: 'earn',
      category: 'docs-improved',
      amount: 8,
      title: 'Upgrade runbook written with the Logistics on-call',
      consumerRef: team('logistics'),
    },
    {
      daysAgo: 5,
      direction: 'earn',
      category: 'self-service',
      amount: 15,
      title: 'Namespace quotas raised through the portal',
      consumerRef: team('identity'),
    },
  ],
  'component:default/observability-stack': [
    {
      daysAgo: 200,
      direction: 'earn',
      category: 'pain-point-removed',
      amount: 10,
      title: 'One dashboard per service, generated',
      consumerRef: team('growth'),
    },
    {
      daysAgo: 120,
      direction: 'spend',
      category: 'deprecation',
      amount: 8,
      title: 'Self-hosted log search deprecated',
      consumerRef: team('growth'),
    },
    {
      daysAgo: 70,
      direction: 'spend',
      category: 'migration',
      amount: 20,
      title: 'Move alerts to the vendor',
      consumerRef: team('growth'),
    },
    {
      daysAgo: 65,
      direction: 'spend',
      category: 'migration',
      amount: 20,
      title: 'Move alerts to the vendor',
      consumerRef: team('logistics'),
    },
    {
      daysAgo: 20,
      direction: 'earn',
      category: 'docs-improved',
      amount: 5,
      title: 'Vendor query cookbook for our services',
      consumerRef: team('payments'),
    },
  ],
  'component:default/secrets-manager': [
    {
      daysAgo: 190,
      direction: 'earn',
      category: 'self-service',
      amount: 15,
      title: 'Automatic rotation for database credentials',
      consumerRef: team('payments'),
    },
    {
      daysAgo: 110,
      direction: 'earn',
      category: 'pain-point-removed',
      amount: 10,
      title: 'No more tickets to read a secret in staging',
      consumerRef: team('identity'),
    },
    {
      daysAgo: 45,
      direction: 'spend',
      category: 'breaking-change',
      amount: 15,
      title: 'Secret paths renamed per environment',
      consumerRef: team('checkout'),
    },
    {
      daysAgo: 15,
      direction: 'earn',
      category: 'fast-support',
      amount: 3,
      title: 'Rotated a leaked token within the hour',
      consumerRef: team('growth'),
    },
  ],
  'component:default/golden-path-templates': [
    {
      daysAgo: 170,
      direction: 'earn',
      category: 'self-service',
      amount: 15,
      title: 'New service in ten minutes, CI and runtime wired',
      consumerRef: team('identity'),
    },
    {
      daysAgo: 100,
      direction: 'earn',
      category: 'feedback-acted-on',
      amount: 8,
      title: 'Kotlin template, asked for by Logistics',
      consumerRef: team('logistics'),
    },
    {
      daysAgo: 50,
      direction: 'earn',
      category: 'demo-delivered',
      amount: 4,
      title: 'Golden path demo for leadership',
      consumerRef: team('growth'),
    },
    {
      daysAgo: 18,
      direction: 'earn',
      category: 'docs-improved',
      amount: 5,
      title: 'Golden path decision records published',
      consumerRef: team('payments'),
    },
  ],
  'component:default/artifact-registry': [
    {
      daysAgo: 140,
      direction: 'earn',
      category: 'pain-point-removed',
      amount: 10,
      title: 'Pull-through cache ended rate-limit failures',
      consumerRef: team('mobile-apps'),
    },
    {
      daysAgo: 35,
      direction: 'spend',
      category: 'deprecation',
      amount: 8,
      title: 'Self-hosted registry deprecated in favour of the cloud registry',
      consumerRef: team('logistics'),
    },
  ],
  'component:default/feature-flags': [
    {
      daysAgo: 130,
      direction: 'earn',
      category: 'self-service',
      amount: 15,
      title: 'Percentage rollouts without a deploy',
      consumerRef: team('growth'),
    },
    {
      daysAgo: 80,
      direction: 'spend',
      category: 'outage',
      amount: 12,
      title: 'Flag service latency spike during the sale',
      consumerRef: team('checkout'),
    },
    {
      daysAgo: 25,
      direction: 'earn',
      category: 'fast-support',
      amount: 3,
      title: 'Cleaned up 140 stale flags with Checkout',
      consumerRef: team('checkout'),
    },
  ],
};

/**
 * Demo only: fills an empty ledger with the history above, once. Real
 * installations do not add this module.
 */
export const demoSeedModule = createBackendModule({
  pluginId: 'freeboard',
  moduleId: 'demo-seed',
  register(reg) {
    reg.registerInit({
      deps: {
        trust: freeboardTrustExtensionPoint,
        logger: coreServices.logger,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ trust, logger, auth, catalog }) {
        // Module writes are checked against the catalog like API writes, so
        // the seed waits until the catalog has ingested every entity it names.
        const refs = [
          ...new Set(
            Object.entries(HISTORY).flatMap(([ref, stories]) => [
              ref,
              ...stories.flatMap(s => (s.consumerRef ? [s.consumerRef] : [])),
            ]),
          ),
        ];
        trust.addLedgerTask('demo-seed', async ledger => {
          if (!(await ledger.isEmpty())) return;
          if (!(await waitForCatalog({ catalog, auth, refs }))) {
            logger.warn(
              'The catalog never held the sample entities; not seeding',
            );
            return;
          }
          const now = Date.now();
          let count = 0;
          for (const [entityRef, stories] of Object.entries(HISTORY)) {
            for (const [i, { daysAgo, ...story }] of stories.entries()) {
              await ledger.record({
                ...story,
                entityRef,
                occurredAt: new Date(now - daysAgo * DAY_MS),
                recordedBy: i % 2 ? GRACE : ADA,
              });
              count++;
            }
          }
          logger.info('Seeded the demo trust ledger', { entries: count });
        });
      },
    });
  },
});
