import { mockServices } from '@backstage/backend-test-utils';
import { NOTIFICATION_KINDS, FreeboardNotification } from './kinds';
import { NotificationSender } from './NotificationSender';

const ALL_ON = Object.fromEntries(
  NOTIFICATION_KINDS.map(k => [k, true]),
) as any;

const notification: FreeboardNotification = {
  kind: 'signoffRequested',
  recipients: ['group:default/security', 'group:default/security'],
  excludeRef: 'user:default/lead',
  title: 'Sign-off requested: ci-pipelines, Discovery',
  description: 'lead asks security to sign off.',
  link: '/catalog/default/component/ci-pipelines/phases',
  severity: 'high',
  scope:
    'freeboard:signoffRequested:component:default/ci-pipelines:group:default/security',
};

describe('NotificationSender', () => {
  it('sends to entity recipients with the topic, severity, link and scope', async () => {
    const send = jest.fn(async () => {});
    const sender = new NotificationSender({
      notifications: { send },
      logger: mockServices.logger.mock(),
      config: { kinds: ALL_ON },
    });
    expect(await sender.send(notification)).toBe(true);
    expect(send).toHaveBeenCalledWith({
      recipients: {
        type: 'entity',
        entityRef: ['group:default/security'],
        excludeEntityRef: 'user:default/lead',
      },
      payload: {
        title: notification.title,
        description: notification.description,
        link: notification.link,
        severity: 'high',
        topic: 'Freeboard: sign-off requested',
        scope: notification.scope,
      },
    });
  });

  it('sends nothing of a kind switched off', async () => {
    const send = jest.fn(async () => {});
    const sender = new NotificationSender({
      notifications: { send },
      logger: mockServices.logger.mock(),
      config: { kinds: { ...ALL_ON, signoffRequested: false } },
    });
    expect(await sender.send(notification)).toBe(false);
    sender.dispatch(async () => [notification]);
    await sender.settled();
    expect(send).not.toHaveBeenCalled();
  });

  it('logs a failing send at warn and goes on', async () => {
    const logger = mockServices.logger.mock();
    const send = jest.fn(async () => {
      throw new Error('notifications backend down');
    });
    const sender = new NotificationSender({
      notifications: { send },
      logger,
      config: { kinds: ALL_ON },
    });
    expect(await sender.send(notification)).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications backend down'),
      expect.objectContaining({ kind: 'signoffRequested' }),
    );
  });

  it('returns from dispatch at once and logs what fails in the background', async () => {
    const logger = mockServices.logger.mock();
    let release: () => void = () => {};
    const send = jest.fn(
      () => new Promise<void>(resolve => (release = resolve)),
    );
    const sender = new NotificationSender({
      notifications: { send },
      logger,
      config: { kinds: ALL_ON },
    });
    expect(() =>
      sender.dispatch(async () => {
        throw new Error('balances unreadable');
      }),
    ).not.toThrow();
    sender.dispatch(async () => [notification]);
    // The dispatch returned while the send is still pending.
    await new Promise(r => setImmediate(r));
    expect(send).toHaveBeenCalledTimes(1);
    let settled = false;
    const waiting = sender.settled().then(() => (settled = true));
    await new Promise(r => setImmediate(r));
    expect(settled).toBe(false);
    release();
    await waiting;
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('balances unreadable'),
    );
  });
});
