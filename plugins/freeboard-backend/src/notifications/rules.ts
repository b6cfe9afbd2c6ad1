import {
  MvpPhase,
  TrustLedgerEntry,
  TrustLevel,
  TrustLevelThresholds,
  decisionReviewOf,
  trustLevelOf,
} from '@freeboard/backstage-plugin-common';
import { DecisionState } from '../decisions/store';
import { PhaseEvent } from '../phases/domain/events';
import { InitiativeRecord } from '../phases/domain/record';
import { DAY_MS } from '../trust/store/decay';
import { FreeboardNotification, scopeOf } from './kinds';
import {
  PHASES_TAB_PATH,
  TRUST_CREDITS_TAB_PATH,
  entityName,
  entityPageLink,
} from './links';

/*
 * Who hears of what: pure functions from what happened to the notifications
 * it causes. Sending, switching kinds off and remembering what was sent
 * happen elsewhere.
 */

const PHASE_TITLES: Record<MvpPhase, string> = {
  discovery: 'Discovery',
  integration: 'Integration',
  deployment: 'Deployment',
  adoption: 'Adoption',
};

const LEVEL_ORDER: TrustLevel[] = ['overdrawn', 'thin', 'healthy', 'strong'];

/** The notifications an initiative's newly appended events cause. */
export function phaseNotifications(
  entityRef: string,
  events: PhaseEvent[],
  record: InitiativeRecord,
): FreeboardNotification[] {
  const name = entityName(entityRef);
  const link = entityPageLink(entityRef, PHASES_TAB_PATH);
  return events.flatMap((event): FreeboardNotification[] => {
    const data = event.data;
    const excludeRef = event.actorRef;
    switch (data.type) {
      case 'signoff-requested':
        // The stakeholder group's members: the notifications backend
        // resolves a group to its members.
        return [
          {
            kind: 'signoffRequested',
            recipients: [data.groupRef],
            excludeRef,
            title: `Sign-off requested: ${name}, ${PHASE_TITLES[data.phase]}`,
            description: `${entityName(event.actorRef)} asks ${entityName(
              data.groupRef,
            )} to sign off the ${PHASE_TITLES[data.phase]} phase of ${name}.`,
            link,
            severity: 'high',
            scope: scopeOf('signoffRequested', entityRef, data.groupRef),
          },
        ];
      case 'signoff-decided': {
        const approved = data.decision === 'approved';
        return [
          {
            kind: 'signoffDecided',
            // The initiative's owners: an entity resolves to its owner.
            recipients: [entityRef],
            excludeRef,
            title: `Sign-off ${approved ? 'given' : 'rejected'}: ${name}, ${
              PHASE_TITLES[data.phase]
            }`,
            description: `${entityName(data.groupRef)} ${
              approved ? 'approved' : 'rejected'
            } the ${PHASE_TITLES[data.phase]} phase of ${name}${
              data.comment ? `: ${data.comment}` : '.'
            }`,
            link,
            severity: approved ? 'normal' : 'high',
            scope: scopeOf('signoffDecided', entityRef, data.groupRef),
          },
        ];
      }
      case 'advanced':
      case 'stepped-back': {
        const advanced = data.type === 'advanced';
        return [
          {
            kind: 'phaseChanged',
            recipients: [
              entityRef,
              ...(record.pioneerTeamRef ? [record.pioneerTeamRef] : []),
            ],
            excludeRef,
            title: `${name} ${advanced ? 'advanced' : 'stepped back'} to ${
              PHASE_TITLES[data.to]
            }`,
            description: `The initiative ${name} moved from ${
              PHASE_TITLES[data.from]
            } to ${PHASE_TITLES[data.to]}${
              event.reason ? `: ${event.reason}` : '.'
            }`,
            link,
            severity: 'normal',
            scope: scopeOf('phaseChanged', entityRef),
          },
        ];
      }
      default:
        return [];
    }
  });
}

/** Balances around one ledger entry: the entity's and its consumer's. */
export interface BalancesAround {
  entity: { before: number; after: number };
  /** The entry's consumer's balance within the entity's ledger, if it names one. */
  consumer?: { before: number; after: number };
}

/**
 * What an entry added to a balance read at `at`: its amount faded by the
 * half-life, positive for an earning and negative for a spending. The
 * balance before the entry is the balance after it minus this, so no read
 * has to happen before the write.
 */
export function contributionOf(
  entry: Pick<TrustLedgerEntry, 'direction' | 'amount' | 'occurredAt'>,
  at: Date,
  halfLifeDays: number,
): number {
  const ageMs = at.getTime() - Date.parse(entry.occurredAt);
  const faded = entry.amount * Math.pow(0.5, ageMs / (halfLifeDays * DAY_MS));
  return entry.direction === 'earn' ? faded : -faded;
}

/** The notifications one ledger entry causes, given the balances around it. */
export function trustNotifications(
  entry: TrustLedgerEntry,
  balances: BalancesAround,
  levels: TrustLevelThresholds,
): FreeboardNotification[] {
  const entityRef = entry.entityRef;
  const name = entityName(entityRef);
  const link = entityPageLink(entityRef, TRUST_CREDITS_TAB_PATH);
  const excludeRef = entry.recordedBy;
  const out: FreeboardNotification[] = [];

  const before = trustLevelOf(balances.entity.before, levels);
  const after = trustLevelOf(balances.entity.after, levels);
  if (
    (after === 'thin' || after === 'overdrawn') &&
    LEVEL_ORDER.indexOf(after) < LEVEL_ORDER.indexOf(before)
  ) {
    out.push({
      kind: 'trustLevelFell',
      recipients: [entityRef],
      excludeRef,
      title: `Trust in ${name} is ${after} now`,
      description: `The trust-credit balance of ${name} fell from ${before} to ${after} (${round(
        balances.entity.after,
      )} credits) after "${entry.title}".`,
      link,
      severity: after === 'overdrawn' ? 'critical' : 'high',
      scope: scopeOf('trustLevelFell', entityRef),
    });
  }

  const consumerRef = entry.consumerRef;
  if (
    consumerRef &&
    balances.consumer &&
    balances.consumer.after < 0 &&
    balances.consumer.before >= 0
  ) {
    out.push({
      kind: 'consumerOverdrawn',
      recipients: [entityRef, consumerRef],
      excludeRef,
      title: `${entityName(consumerRef)} is overdrawn on ${name}`,
      description: `${name} has spent more trust on ${entityName(
        consumerRef,
      )} than it earned (${round(balances.consumer.after)} credits) after "${
        entry.title
      }".`,
      link,
      severity: 'high',
      scope: scopeOf('consumerOverdrawn', entityRef, consumerRef),
    });
  }

  // A correction is not a new cost on the team.
  if (consumerRef && entry.direction === 'spend' && !entry.revertsEntryId) {
    out.push({
      kind: 'spendRecorded',
      recipients: [consumerRef],
      excludeRef,
      title: `${name} recorded what it cost you: ${entry.title}`,
      description: `The platform team of ${name} recorded a spend of ${round(
        entry.amount,
      )} trust credits on ${entityName(consumerRef)}: "${entry.title}"${
        entry.description ? `. ${entry.description}` : '.'
      }`,
      link,
      severity: 'normal',
      scope: scopeOf('spendRecorded', entityRef, consumerRef),
    });
  }
  return out;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A notification of something that became true with time, once per event. */
export interface Reminder {
  /** What happened to what; the same event always has the same key. */
  eventKey: string;
  entityRef: string;
  notification: FreeboardNotification;
}

/**
 * Float-or-sink reviews past their review-by date. The key names the date,
 * so a review moved to a new date that passes in turn is a new event.
 */
export function overdueReviews(states: DecisionState[], now: Date): Reminder[] {
  return states.flatMap((state): Reminder[] => {
    const { decision, reviewBy } = state.values;
    if (!decision || !reviewBy || state.problems) return [];
    const review = decisionReviewOf(reviewBy, now);
    if (!review?.overdueDays) return [];
    const entityRef = state.entityRef;
    const name = entityName(entityRef);
    return [
      {
        eventKey: `reviewOverdue:${entityRef}:${reviewBy}`,
        entityRef,
        notification: {
          kind: 'reviewOverdue',
          recipients: [entityRef],
          title: `The float-or-sink review of ${name} is overdue`,
          description: `The decision to ${decision} ${name} was due for review on ${reviewBy}. Review it, then update its review-by date.`,
          link: entityPageLink(entityRef),
          severity: 'high',
          scope: scopeOf('reviewOverdue', entityRef),
        },
      },
    ];
  });
}

/** How far ahead a waiver's expiry is announced. */
export const WAIVER_NOTICE_DAYS = 7;

/**
 * Waived criteria whose waiver runs out within {@link WAIVER_NOTICE_DAYS}.
 * The key names the expiry, so a renewed waiver is a new event.
 */
export function expiringWaivers(
  records: InitiativeRecord[],
  now: Date,
): Reminder[] {
  const until = now.getTime() + WAIVER_NOTICE_DAYS * DAY_MS;
  return records.flatMap(record =>
    Object.entries(record.marks).flatMap(([criterionId, mark]): Reminder[] => {
      if (mark.state !== 'waived' || !mark.waiverExpiresAt) return [];
      const expires = Date.parse(mark.waiverExpiresAt);
      if (!(expires > now.getTime() && expires <= until)) return [];
      const criterion = record.criteria.find(c => c.id === criterionId);
      if (!criterion) return [];
      const entityRef = record.entityRef;
      const name = entityName(entityRef);
      const day = mark.waiverExpiresAt.slice(0, 10);
      return [
        {
          eventKey: `waiverExpiring:${entityRef}:${criterionId}:${mark.waiverExpiresAt}`,
          entityRef,
          notification: {
            kind: 'waiverExpiring',
            recipients: [entityRef],
            title: `A waiver of ${name} expires on ${day}`,
            description: `The waiver of "${criterion.title}" (${
              PHASE_TITLES[criterion.phase]
            }) expires on ${day}. Meet the criterion or renew the waiver.`,
            link: entityPageLink(entityRef, PHASES_TAB_PATH),
            severity: 'normal',
            scope: scopeOf('waiverExpiring', entityRef, criterionId),
          },
        },
      ];
    }),
  );
}
