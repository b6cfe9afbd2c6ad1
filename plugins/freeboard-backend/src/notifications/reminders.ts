import { LoggerService } from '@backstage/backend-plugin-api';
import { DecisionHistoryStore } from '../decisions/store';
import { PhaseStore } from '../phases/store/PhaseStore';
import { DAY_MS } from '../trust/store/decay';
import { NotificationSender } from './NotificationSender';
import { Reminder, expiringWaivers, overdueReviews } from './rules';
import { SentStore } from './SentStore';

/** Entities read per page. */
const PAGE = 200;

/**
 * How long a sent event is remembered. An event still true after that (a
 * review overdue for more than a year) is announced again, once: a yearly
 * reminder rather than a table that grows forever.
 */
export const SENT_RETENTION_DAYS = 400;

export interface RemindersDeps {
  phases: PhaseStore;
  decisions: DecisionHistoryStore;
  sent: SentStore;
  sender: NotificationSender;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * Sends each reminder whose kind is on and whose event no run has claimed:
 * claim first (insert-or-ignore), then send; a failed send gives its claim
 * back so the next run tries again.
 */
async function deliver(
  deps: RemindersDeps,
  reminders: Reminder[],
  at: Date,
): Promise<number> {
  let sent = 0;
  for (const reminder of reminders) {
    const { kind } = reminder.notification;
    if (!deps.sender.enabled(kind)) continue;
    const event = {
      eventKey: reminder.eventKey,
      kind,
      entityRef: reminder.entityRef,
    };
    if (!(await deps.sent.claim(event, at))) continue;
    if (await deps.sender.send(reminder.notification)) {
      sent += 1;
    } else {
      await deps.sent.release(reminder.eventKey);
    }
  }
  return sent;
}

/**
 * Announces float-or-sink reviews that became overdue and waivers that
 * expire within a week, each event once.
 */
export async function sendReminders(
  deps: RemindersDeps,
): Promise<{ reviewsOverdue: number; waiversExpiring: number }> {
  const now = deps.now?.() ?? new Date();
  let reviewsOverdue = 0;
  if (deps.sender.enabled('reviewOverdue')) {
    let afterEntityRef: string | undefined;
    for (;;) {
      const states = await deps.decisions.listStates({
        limit: PAGE,
        afterEntityRef,
      });
      reviewsOverdue += await deliver(deps, overdueReviews(states, now), now);
      if (states.length < PAGE) break;
      afterEntityRef = states[states.length - 1].entityRef;
    }
  }
  let waiversExpiring = 0;
  if (deps.sender.enabled('waiverExpiring')) {
    let afterEntityRef: string | undefined;
    for (;;) {
      const refs = await deps.phases.listInitiatives({
        limit: PAGE,
        afterEntityRef,
      });
      if (refs.length > 0) {
        const records = await deps.phases.getRecords(refs);
        waiversExpiring += await deliver(
          deps,
          expiringWaivers(records, now),
          now,
        );
      }
      if (refs.length < PAGE) break;
      afterEntityRef = refs[refs.length - 1];
    }
  }
  await deps.sent.prune(new Date(now.getTime() - SENT_RETENTION_DAYS * DAY_MS));
  return { reviewsOverdue, waiversExpiring };
}
