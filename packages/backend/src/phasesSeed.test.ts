import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import freeboardPlugin from '@freeboard/backstage-plugin-backend';
import { InitiativeState } from '@freeboard/backstage-plugin-common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AddressInfo } from 'node:net';
import { demoInitiatives, demoPhasesSeedModule } from './phasesSeed';

jest.setTimeout(60_000);

/*
 * The demo's MVP initiatives, imported by the real Freeboard backend through
 * the extension point, then read back over HTTP as the demo shows them.
 */

/** `memberOf` of each user in the sample catalog (examples/org.yaml). */
function sampleMemberships(): Map<string, string[]> {
  const text = readFileSync(
    resolve(__dirname, '../../../examples/org.yaml'),
    'utf8',
  );
  const memberships = new Map<string, string[]>();
  for (const doc of text.split(/^---$/m)) {
    if (!/^kind: User$/m.test(doc)) continue;
    const name = /^ {2}name: (\S+)$/m.exec(doc)![1];
    const groups = /memberOf:\n((?:\s*- \S+\n?)+)/
      .exec(doc)![1]
      .split('\n')
      .map(l => l.replace(/^\s*- /, '').trim())
      .filter(Boolean);
    memberships.set(
      `user:default/${name}`,
      groups.map(g => `group:default/${g}`),
    );
  }
  return memberships;
}

function entity(
  kind: string,
  name: string,
  relations: Array<[string, string]> = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: {},
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

/** The part of the sample catalog the seed and the adoption reads need. */
const consumers: Array<[string, string]> = [
  ['payments-ledger', 'payments'],
  ['cart-service', 'checkout'],
  ['user-profile', 'identity'],
  ['shipment-tracker', 'logistics'],
];
const CATALOG: Entity[] = [
  entity(
    'Component',
    'observability-stack',
    consumers.map(([c]) => ['dependencyOf', `component:default/${c}`]),
  ),
  entity('Component', 'kubernetes-runtime'),
  entity('Component', 'secrets-manager'),
  ...consumers.map(([c, team]) =>
    entity('Component', c, [['ownedBy', `group:default/${team}`]]),
  ),
  ...[
    'security',
    'data-governance',
    'finance',
    'payments',
    'checkout',
    'identity',
    'mobile-apps',
    'logistics',
  ].map(g => entity('Group', g)),
];

describe('the demo MVP initiatives', () => {
  it('sign-off decisions are by members of the group', () => {
    const memberships = sampleMemberships();
    expect(memberships.get('user:default/sam.security')).toEqual([
      'group:default/security',
    ]);
    const decisions = demoInitiatives(Date.now()).flatMap(i =>
      i.events.filter(e => e.data.type === 'signoff-decided'),
    );
    expect(decisions.length).toBeGreaterThan(5);
    for (const { actorRef, data } of decisions) {
      if (data.type !== 'signoff-decided') continue;
      expect(memberships.get(actorRef)).toContain(data.groupRef);
    }
  });

  it('are imported once and show the three stages the demo tells', async () => {
    const backend = await startTestBackend({
      features: [
        freeboardPlugin,
        demoPhasesSeedModule,
        catalogServiceMock.factory({ entities: CATALOG }),
        mockServices.database.factory(),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    const get = async (name: string): Promise<InitiativeState> => {
      const response = await fetch(
        `http://localhost:${port}/api/freeboard/phases/entities/component/default/${name}`,
        {
          headers: {
            authorization: mockCredentials.user.header('user:default/guest'),
          },
        },
      );
      if (response.status !== 200) throw new Error(await response.text());
      return response.json();
    };
    // The seed runs after start-up.
    for (let i = 0; i < 100; i++) {
      if ((await get('secrets-manager')).started) break;
      await new Promise(r => setTimeout(r, 100));
    }

    const observability = await get('observability-stack');
    expect(observability).toMatchObject({
      started: true,
      iteration: 1,
      phase: 'adoption',
      pioneerTeamRef: 'group:default/payments',
    });
    const adoption = observability.phases.find(p => p.id === 'adoption')!;
    expect(adoption.targetDate).toBeDefined();
    const states = Object.fromEntries(
      adoption.criteria.map(c => [c.id, c.state]),
    );
    expect(states).toMatchObject({
      'adoption.objectives': 'done',
      'adoption.demo-leadership': 'waived',
      // Measured from the catalog: both Wave 1 teams depend on it.
      'adoption.first-cohort-onboarded': 'done',
    });
    expect(
      observability.cohorts.map(c => [c.name, c.adopted, c.total]),
    ).toEqual([
      ['Wave 1', 2, 2],
      ['Wave 2', 2, 3],
    ]);
    const integration = observability.phases.find(p => p.id === 'integration')!;
    expect(integration.criteria.map(c => [c.title, c.state])).toContainEqual([
      "Collector autoscaling proven under the pioneer's peak load",
      'done',
    ]);

    const kubernetes = await get('kubernetes-runtime');
    expect(kubernetes).toMatchObject({ phase: 'integration', iteration: 1 });
    expect(kubernetes.blockers.map(b => b.id)).toEqual([
      'integration.components-connected',
      'group:default/security',
    ]);
    const discovery = kubernetes.phases.find(p => p.id === 'discovery')!;
    expect(discovery.signoffs.map(s => [s.groupRef, s.state])).toEqual([
      ['group:default/security', 'approved'],
      ['group:default/data-governance', 'approved'],
      ['group:default/finance', 'approved'],
    ]);

    const secrets = await get('secrets-manager');
    expect(secrets).toMatchObject({ phase: 'discovery' });
    const waiver = secrets.phases[0].criteria.find(
      c => c.id === 'discovery.project-management',
    )!;
    expect(waiver.state).toBe('expired');
    expect(secrets.blockers.map(b => b.id)).toEqual(
      expect.arrayContaining([
        'discovery.project-management',
        'group:default/security',
      ]),
    );
    expect(secrets.phases[0].signoffs.map(s => [s.groupRef, s.state])).toEqual([
      ['group:default/security', 'pending'],
      ['group:default/data-governance', 'approved'],
      ['group:default/finance', 'approved'],
    ]);
  });
});
