import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { NotificationsConfig } from './config';
import { FreeboardNotification, NOTIFICATION_TOPICS } from './kinds';

/**
 * Hands notifications to Backstage's notification service. Sending never
 * fails or slows the write that caused it: writes `dispatch` work that runs
 * after they have committed, in the background, and any error is logged at
 * warn and dropped.
 */
export class NotificationSender {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly options: {
      notifications: NotificationService;
      logger: LoggerService;
      config: NotificationsConfig;
    },
  ) {}

  /** Whether a kind is switched on. */
  enabled(kind: FreeboardNotification['kind']): boolean {
    return this.options.config.kinds[kind];
  }

  /**
   * Works out (with `work`, which may read) and sends notifications in the
   * background. Returns at once; nothing it does can throw into the caller.
   */
  dispatch(work: () => Promise<FreeboardNotification[]>): void {
    const running = (async () => {
      try {
        const notifications = await work();
        for (const notification of notifications) {
          await this.send(notification);
        }
      } catch (error) {
        this.options.logger.warn(
          `Could not work out Freeboard notifications: ${error}`,
        );
      }
    })();
    this.inFlight.add(running);
    running.finally(() => this.inFlight.delete(running));
  }

  /**
   * Sends one notification if its kind is on. Resolves whether it was sent;
   * never rejects.
   */
  async send(notification: FreeboardNotification): Promise<boolean> {
    if (!this.enabled(notification.kind)) return false;
    const recipients = [...new Set(notification.recipients)];
    if (recipients.length === 0) return false;
    try {
      await this.options.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: recipients,
          ...(notification.excludeRef
            ? { excludeEntityRef: notification.excludeRef }
            : {}),
        },
        payload: {
          title: notification.title,
          description: notification.description,
          link: notification.link,
          severity: notification.severity,
          topic: NOTIFICATION_TOPICS[notification.kind],
          scope: notification.scope,
        },
      });
      return true;
    } catch (error) {
      this.options.logger.warn(
        `Could not send the Freeboard notification "${notification.title}": ${error}`,
        { kind: notification.kind, scope: notification.scope },
      );
      return false;
    }
  }

  /** Resolves when every dispatched notification has been sent or dropped. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.all([...this.inFlight]);
    }
  }
}
