import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  LEAD,
  SAM,
  entity,
  startPhasesBackend,
} from '../__testUtils__/phasesBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { startTrustBackend } from '../__testUtils__/trustBackend';

/*
 * The write paths send their notifications once committed, through the
 * notification service the plugin depends on, and a notification service
 * that fails never fails the write.
 */

jest.setTimeout(120_000);

const databases = createTestDatabases();

const PHASES = '/api/freeboard/phases/entities/component/default/ci';
const TRUST = '/api/freeboard/trust/entities/component/default/ci';
const CI = 'component:default/ci';

const ENTITIES = [
  entity('Component', 'ci', [['ownedBy', 'group:default/platform']]),
  ...['platform', 'platform-leads', 'team-a', 'security'].map(name =>
    entity('Group', name),
  ),
];

const CONFIG = {
  freeboard: {
    phases: {
      templates: {
        discovery: [{ id: 'outcomes', title: 'Technical outcomes agreed' }],
        integration: [],
        deployment: [],
        adoption: [],
      },
      signoffs: { discovery: [] },
    },
  },
};

/** A notification service that records, or throws when told to. */
function notifications(options: { fail?: boolean } = {}) {
  const sent: NotificationSendOptions[] = [];
  const send = jest.fn(async (o: NotificationSendOptions) => {
    if (options.fail) throw new Error('notifications backend down');
    sent.push(o);
  });
  return {
    sent,
    send,
    factory: createServiceFactory({
      service: notificationService,
      deps: {},
      factory: () => ({ send }),
    }),
  };
}

/** Waits until `check` passes: sends happen after the response. */
async function eventually(check: () => void) {
  for (let i = 0; ; i++) {
    try {
      check();
      return;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise(r => setTimeout(r, 20));
    }
  }
}

describe.each(databases.eachSupportedId())('notifications on %s', id => {
  it('tells the stakeholders of a sign-off request, the owners of the decision, and the pioneer team of an advance', async () => {
    const service = notifications();
    const backend = await startPhasesBackend({
      knex: await databases.init(id),
      entities: ENTITIES,
      config: CONFIG,
      extraFeatures: [service.factory],
    });
    try {
      const lead = backend.as(LEAD);
      const version = async () => (await lead.get(PHASES)).body.version;
      expect((await lead.post(`${PHASES}/start`)).status).toBe(201);
      expect(
        (
          await lead
            .put(`${PHASES}/pioneer`)
            .send({ teamRef: 'group:default/team-a' })
        ).status,
      ).toBe(200);
      const requested = await lead
        .post(`${PHASES}/signoffs`)
        .send({ phase: 'discovery', groupRef: 'group:default/security' });
      expect(requested.status).toBe(201);
      await eventually(() => expect(service.sent).toHaveLength(1));
      expect(service.sent[0]).toEqual({
        recipients: {
          type: 'entity',
          entityRef: ['group:default/security'],
          excludeEntityRef: LEAD,
        },
        payload: expect.objectContaining({
          title: 'Sign-off requested: ci, Discovery',
          link: '/catalog/default/component/ci/phases',
          severity: 'high',
          topic: 'Freeboard: sign-off requested',
          scope: `freeboard:signoffRequested:${CI}:group:default/security`,
        }),
      });

      const decided = await backend.as(SAM).put(`${PHASES}/signoffs`).send({
        phase: 'discovery',
        groupRef: 'group:default/security',
        decision: 'approve',
      });
      expect(decided.status).toBe(200);
      expect(
        (
          await lead
            .put(`${PHASES}/criteria/discovery.outcomes`)
            .send({ state: 'done' })
        ).status,
      ).toBe(200);
      const advanced = await lead
        .post(`${PHASES}/transitions`)
        .send({ to: 'integration', expectedVersion: await version() });
      expect(advanced.status).toBe(200);
      await eventually(() => expect(service.sent).toHaveLength(3));
      expect(service.sent.map(s => [s.payload.topic, s.recipients])).toEqual([
        [
          'Freeboard: sign-off requested',
          expect.objectContaining({ entityRef: ['group:default/security'] }),
        ],
        [
          'Freeboard: sign-off decided',
          expect.objectContaining({ entityRef: [CI], excludeEntityRef: SAM }),
        ],
        [
          'Freeboard: initiative phase changed',
          expect.objectContaining({
            entityRef: [CI, 'group:default/team-a'],
          }),
        ],
      ]);
    } finally {
      await backend.stop();
    }
  });

  it('writes a phase change whatever the notification service does, and sends nothing of a kind switched off', async () => {
    const service = notifications({ fail: true });
    const backend = await startPhasesBackend({
      knex: await databases.init(id),
      entities: ENTITIES,
      config: {
        freeboard: {
          ...CONFIG.freeboard,
          notifications: { phaseChanged: false },
        },
      },
      extraFeatures: [service.factory],
    });
    try {
      const lead = backend.as(LEAD);
      const version = async () => (await lead.get(PHASES)).body.version;
      expect((await lead.post(`${PHASES}/start`)).status).toBe(201);
      const requested = await lead
        .post(`${PHASES}/signoffs`)
        .send({ phase: 'discovery', groupRef: 'group:default/security' });
      expect(requested.status).toBe(201);
      await eventually(() => expect(service.send).toHaveBeenCalledTimes(1));
      const decided = await backend.as(SAM).put(`${PHASES}/signoffs`).send({
        phase: 'discovery',
        groupRef: 'group:default/security',
        decision: 'approve',
      });
      expect(decided.status).toBe(200);
      await eventually(() => expect(service.send).toHaveBeenCalledTimes(2));
      // Phase changes are switched off: the advance goes through, unsent.
      await lead
        .put(`${PHASES}/criteria/discovery.outcomes`)
        .send({ state: 'done' });
      const advanced = await lead
        .post(`${PHASES}/transitions`)
        .send({ to: 'integration', expectedVersion: await version() });
      expect(advanced.status).toBe(200);
      expect(advanced.body.state.phase).toBe('integration');
      await new Promise(r => setTimeout(r, 200));
      expect(service.send).toHaveBeenCalledTimes(2);
    } finally {
      await backend.stop();
    }
  });

  /** Records a spend that overdraws team-a; answers what was sent and logged. */
  async function overdrawingSpend(fail: boolean) {
    const service = notifications({ fail });
    const logger = mockServices.logger.mock();
    const { as } = await startTrustBackend({
      knex: await databases.init(id),
      entities: ENTITIES,
      extraFeatures: [service.factory, logger.factory],
    });
    const res = await as(LEAD).post(`${TRUST}/entries`).send({
      direction: 'spend',
      category: 'migration',
      amount: 5,
      title: 'Move to the new runners',
      consumerRef: 'group:default/team-a',
    });
    expect(res.status).toBe(201);
    await eventually(() => expect(service.send).toHaveBeenCalledTimes(3));
    const calls = service.send.mock.calls.map(([o]) => [
      o.payload.topic,
      o.payload.severity,
      (o.recipients as { entityRef: string[] }).entityRef,
    ]);
    return { as, service, logger, calls };
  }

  const OVERDRAWN = [
    ['Freeboard: trust level fell', 'critical', [CI]],
    ['Freeboard: consumer overdrawn', 'high', [CI, 'group:default/team-a']],
    ['Freeboard: trust spent on your team', 'normal', ['group:default/team-a']],
  ];

  it('tells the owners and the team of a spend that overdraws them, once', async () => {
    const { as, service, calls } = await overdrawingSpend(false);
    expect(calls).toEqual(OVERDRAWN);
    // An earning afterwards brings nothing new.
    service.send.mockClear();
    const earned = await as(LEAD).post(`${TRUST}/entries`).send({
      direction: 'earn',
      category: 'docs-improved',
      amount: 1,
      title: 'Docs',
      consumerRef: 'group:default/team-a',
    });
    expect(earned.status).toBe(201);
    await new Promise(r => setTimeout(r, 200));
    expect(service.send).not.toHaveBeenCalled();
  });

  it('records the spend when sending fails, and logs it at warn', async () => {
    const { logger, calls } = await overdrawingSpend(true);
    expect(calls).toEqual(OVERDRAWN);
    await eventually(() =>
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('notifications backend down'),
        expect.objectContaining({ kind: 'spendRecorded' }),
      ),
    );
  });
});
