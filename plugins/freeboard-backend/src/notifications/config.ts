import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readGlobalSchedule } from '../shared/schedule';
import { NOTIFICATION_KINDS, NotificationKind } from './kinds';

/** Which kinds of notification are sent. */
export interface NotificationsConfig {
  kinds: Record<NotificationKind, boolean>;
}

/**
 * `freeboard.notifications`: `enabled: false` stops them all (e.g. where the
 * notifications backend is not installed), `<kind>: false` stops one kind.
 * Every kind is on by default.
 */
export function readNotificationsConfig(
  config: RootConfigService,
): NotificationsConfig {
  const section = config.getOptionalConfig('freeboard.notifications');
  const all = section?.getOptionalBoolean('enabled') ?? true;
  const kinds = Object.fromEntries(
    NOTIFICATION_KINDS.map(kind => [
      kind,
      all && (section?.getOptionalBoolean(kind) ?? true),
    ]),
  ) as Record<NotificationKind, boolean>;
  return { kinds };
}

/** The reminders task's id, as the scheduler lists it. */
export const REMINDERS_TASK_ID = 'freeboard-notifications-reminders';

/**
 * `freeboard.notifications.reminders` (frequency, timeout, initialDelay as
 * in any Backstage task schedule) over the defaults: hourly, so a review
 * gone overdue is announced within the hour. The scope is always global.
 */
export function readRemindersSchedule(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  return readGlobalSchedule(config, 'freeboard.notifications.reminders', {
    frequency: { hours: 1 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 2 },
  });
}
