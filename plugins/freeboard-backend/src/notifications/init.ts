import {
  LifecycleService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  TrustConfig,
  TrustLedgerEntry,
} from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import { DatabaseDecisionHistoryStore } from '../decisions/store';
import { createDatabasePhaseStores } from '../phases/store/DatabasePhaseStore';
import { AppendResult } from '../phases/store/PhaseStore';
import { scheduleRecordedTask } from '../shared/taskRuns';
import { roundCredits } from '../trust/store/decay';
import { TrustReadStore } from '../trust/store/TrustStore';
import {
  REMINDERS_TASK_ID,
  readNotificationsConfig,
  readRemindersSchedule,
} from './config';
import { NotificationKind } from './kinds';
import { NotificationSender } from './NotificationSender';
import { sendReminders } from './reminders';
import {
  BalancesAround,
  contributionOf,
  phaseNotifications,
  trustNotifications,
} from './rules';
import { SentStore } from './SentStore';

/** How long shutdown waits for notifications still being sent. */
const SHUTDOWN_WAIT_MS = 5_000;

/**
 * What the instruments call after a write has committed. Each call returns
 * at once and never throws: the notifications are worked out and sent in
 * the background.
 */
export interface FreeboardNotifier {
  /** After phase events were appended to an initiative. */
  phasesAppended(entityRef: string, result: AppendResult): void;
  /** A listener for ledger entries, reading balances from `reads`. */
  trustRecorder(options: {
    reads: TrustReadStore;
    config: TrustConfig;
    now: () => Date;
  }): (entry: TrustLedgerEntry) => void;
  /** Resolves when everything dispatched so far has been sent or dropped. */
  settled(): Promise<void>;
}

/** The balances around `entry`, from one read after it was written. */
async function balancesAround(
  entry: TrustLedgerEntry,
  reads: TrustReadStore,
  config: TrustConfig,
  at: Date,
): Promise<BalancesAround> {
  const consumerRef = entry.consumerRef;
  const { totals, consumers } = await reads.getBalances(entry.entityRef, at, {
    consumerRefs: consumerRef ? [consumerRef] : [],
  });
  const added = contributionOf(entry, at, config.halfLifeDays);
  const after = totals?.balance ?? 0;
  const consumerAfter = consumerRef
    ? consumers.find(c => c.consumerRef === consumerRef)?.balance ?? 0
    : undefined;
  // Balances are read rounded; the balance before is rounded alike, or an
  // entry that took a balance from 0 to -5 would seem to start below 0.
  return {
    entity: { before: roundCredits(after - added), after },
    ...(consumerAfter !== undefined
      ? {
          consumer: {
            before: roundCredits(consumerAfter - added),
            after: consumerAfter,
          },
        }
      : {}),
  };
}

/**
 * Sets up Freeboard's notifications: the sender the instruments' writes
 * call, and the scheduled task that sends reminders (overdue reviews,
 * expiring waivers) once per event across replicas.
 */
export async function initNotifications(deps: {
  db: Knex;
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  notifications: NotificationService;
}): Promise<FreeboardNotifier> {
  const config = readNotificationsConfig(deps.config);
  const sender = new NotificationSender({
    notifications: deps.notifications,
    logger: deps.logger,
    config,
  });
  const sent = new SentStore(deps.db);

  await scheduleRecordedTask(deps, {
    id: REMINDERS_TASK_ID,
    ...readRemindersSchedule(deps.config),
    fn: async () => {
      const result = await sendReminders({
        phases: createDatabasePhaseStores({ client: deps.db }).phases,
        decisions: new DatabaseDecisionHistoryStore(deps.db),
        sent,
        sender,
        logger: deps.logger,
      });
      if (result.reviewsOverdue + result.waiversExpiring > 0) {
        deps.logger.info('Sent Freeboard reminders', { ...result });
      }
    },
  });

  deps.lifecycle.addShutdownHook(async () => {
    await Promise.race([
      sender.settled(),
      new Promise(resolve => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref()),
    ]);
  });

  const off = Object.entries(config.kinds)
    .filter(([, on]) => !on)
    .map(([kind]) => kind);
  deps.logger.info('Freeboard notifications ready', {
    off: off.join(',') || 'none',
  });

  const trustKinds: NotificationKind[] = [
    'trustLevelFell',
    'consumerOverdrawn',
    'spendRecorded',
  ];
  return {
    phasesAppended(entityRef, result) {
      sender.dispatch(async () =>
        phaseNotifications(entityRef, result.events, result.record),
      );
    },
    trustRecorder({ reads, config: trustConfig, now }) {
      return entry => {
        // Without a trust kind on, there is nothing to read.
        if (!trustKinds.some(kind => sender.enabled(kind))) return;
        sender.dispatch(async () =>
          trustNotifications(
            entry,
            await balancesAround(entry, reads, trustConfig, now()),
            trustConfig.levels,
          ),
        );
      };
    },
    settled: () => sender.settled(),
  };
}
