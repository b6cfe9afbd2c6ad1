import { NotificationSeverity } from '@backstage/plugin-notifications-common';

/**
 * The kinds of notification Freeboard sends. Each is a key of
 * `freeboard.notifications` (set to `false` to stop it) and its topic, which
 * people can mute in their notification settings.
 */
export const NOTIFICATION_KINDS = [
  'signoffRequested',
  'signoffDecided',
  'phaseChanged',
  'trustLevelFell',
  'consumerOverdrawn',
  'spendRecorded',
  'reviewOverdue',
  'waiverExpiring',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The topic of each kind, as the notification settings list it. */
export const NOTIFICATION_TOPICS: Record<NotificationKind, string> = {
  signoffRequested: 'Freeboard: sign-off requested',
  signoffDecided: 'Freeboard: sign-off decided',
  phaseChanged: 'Freeboard: initiative phase changed',
  trustLevelFell: 'Freeboard: trust level fell',
  consumerOverdrawn: 'Freeboard: consumer overdrawn',
  spendRecorded: 'Freeboard: trust spent on your team',
  reviewOverdue: 'Freeboard: float-or-sink review overdue',
  waiverExpiring: 'Freeboard: waiver expiring',
};

/**
 * A notification to send: to whom (entity refs, resolved by the
 * notifications backend: a group to its members, anything else to its
 * owners), what, and where it explains itself.
 */
export interface FreeboardNotification {
  kind: NotificationKind;
  /** Entity refs of the recipients. */
  recipients: string[];
  /** Who caused it, left out of the recipients (people need not hear of their own acts). */
  excludeRef?: string;
  title: string;
  description: string;
  /** An app-relative link to the page that explains it. */
  link: string;
  severity: NotificationSeverity;
  /**
   * Notifications of one scope replace each other: a burst of writes
   * updates one notification per (kind, entity, team) instead of adding one
   * per write.
   */
  scope: string;
}

/** The scope of a kind of notification about an entity and, if any, a team. */
export function scopeOf(
  kind: NotificationKind,
  entityRef: string,
  teamRef?: string,
): string {
  return ['freeboard', kind, entityRef, ...(teamRef ? [teamRef] : [])].join(
    ':',
  );
}
