import { InputError } from '@backstage/errors';
import { MVP_PHASES, PhasesConfig } from '@freeboard/backstage-plugin-common';
import {
  ImportedPhaseEvent,
  ImportedPhaseEventData,
  PhasesModuleWriter,
} from '@freeboard/backstage-plugin-node';
import { z } from 'zod';
import {
  entityRef,
  multiLineText,
  parse,
  singleLineText,
} from '../shared/validation';
import {
  decideAddCohort,
  decideAddCriterion,
  decidePioneer,
  decideRemoveCohort,
  decideRemoveCriterion,
  decideRequestSignoff,
  decideSetCriterion,
  decideSignoff,
  decideStart,
  decideTarget,
  decideTransition,
  decideUpdateCohort,
} from './domain/commands';
import { NewPhaseEvent, PhaseEvent, PhaseEventData } from './domain/events';
import { InitiativeRecord, applyEvent, nextPhase } from './domain/record';
import { PhaseStore } from './store/PhaseStore';
import {
  calendarDate,
  cohortIdParam,
  cohortSchema,
  criterionIdParam,
  groupRef,
} from './validation';

/** The longest history one import may hold. */
export const MAX_IMPORTED_EVENTS = 10_000;

/** How far ahead of the server's clock an event may be (clock skew). */
const FUTURE_SLACK_MS = 5 * 60 * 1000;
/** The range of times both databases store and the API accepts. */
const EARLIEST = Date.UTC(2000, 0, 1);

const phase = z.enum(MVP_PHASES, {
  errorMap: () => ({ message: `must be one of ${MVP_PHASES.join(', ')}` }),
});

/** A Date that holds a time (not `new Date('nonsense')`). */
const validDate = z
  .instanceof(Date, { message: 'must be a Date' })
  .refine(d => Number.isFinite(d.getTime()), 'must be a valid Date');

const cohortFields = cohortSchema.omit({ expectedVersion: true }).shape;

/** The fields of each event type besides `type`. */
const dataFields: Record<ImportedPhaseEventData['type'], z.ZodRawShape> = {
  started: {},
  advanced: { to: phase },
  'stepped-back': { to: phase },
  'criterion-added': {
    phase,
    title: singleLineText(200),
    description: multiLineText(2000).optional(),
  },
  'criterion-removed': { id: criterionIdParam },
  'criterion-set': {
    id: criterionIdParam,
    state: z.enum(['done', 'open', 'waived'], {
      errorMap: () => ({ message: 'must be "done", "open" or "waived"' }),
    }),
    waiverExpiresAt: validDate.optional(),
  },
  'signoff-requested': { phase, groupRef },
  'signoff-decided': {
    phase,
    groupRef,
    decision: z.enum(['approve', 'reject'], {
      errorMap: () => ({ message: 'must be "approve" or "reject"' }),
    }),
    comment: multiLineText(2000).optional(),
  },
  'pioneer-set': { teamRef: groupRef.nullable() },
  'target-set': { phase, date: calendarDate.nullable() },
  'cohort-added': cohortFields,
  'cohort-updated': { ...cohortFields, id: cohortIdParam },
  'cohort-removed': { id: cohortIdParam },
};

const EVENT_TYPES = Object.keys(dataFields) as [
  ImportedPhaseEventData['type'],
  ...ImportedPhaseEventData['type'][],
];

/** Each type's data, strict: another field is refused by name. */
const dataSchema = z.discriminatedUnion(
  'type',
  EVENT_TYPES.map(type =>
    z.object({ type: z.literal(type), ...dataFields[type] }).strict(),
  ) as unknown as [z.AnyZodObject, z.AnyZodObject, ...z.AnyZodObject[]],
  {
    errorMap: (issue, ctx) =>
      issue.code === z.ZodIssueCode.invalid_union_discriminator
        ? { message: `must be one of ${EVENT_TYPES.join(', ')}` }
        : { message: ctx.defaultError },
  },
);

const envelope = z
  .object({
    occurredAt: validDate.refine(
      d => d.getTime() >= EARLIEST,
      'must not be before 2000',
    ),
    actorRef: entityRef,
    reason: multiLineText(2000).optional(),
    data: dataSchema,
  })
  .strict();

/** Folds one checked event into what the store would decide and write. */
function decide(
  record: InitiativeRecord | undefined,
  data: any,
  reason: string | undefined,
  at: Date,
  config: PhasesConfig,
): PhaseEventData {
  if (data.type === 'started') {
    if (record) throw new InputError('only the first event may be started');
    return decideStart(config);
  }
  if (!record) throw new InputError('the first event must be started');
  switch (data.type) {
    case 'advanced': {
      if (data.to !== nextPhase(record.phase)) {
        throw new InputError(
          `to: from ${record.phase} the initiative advances to ${nextPhase(
            record.phase,
          )}, not ${data.to}`,
        );
      }
      // Imported history records what happened: no blockers are evaluated.
      return decideTransition(record, data.to, reason, []);
    }
    case 'stepped-back': {
      const decided = decideTransition(record, data.to, reason, []);
      if (decided.type !== 'stepped-back') {
        throw new InputError(
          `to: ${data.to} is not earlier than ${record.phase}`,
        );
      }
      return decided;
    }
    case 'criterion-added':
      return decideAddCriterion(record, data);
    case 'criterion-removed':
      return decideRemoveCriterion(record, data.id);
    case 'criterion-set':
      return decideSetCriterion(
        record,
        data.id,
        { state: data.state, reason, waiverExpiresAt: data.waiverExpiresAt },
        config,
        at,
      );
    case 'signoff-requested':
      return decideRequestSignoff(record, data.phase, data.groupRef);
    case 'signoff-decided':
      return decideSignoff(record, data);
    case 'pioneer-set':
      return decidePioneer(data.teamRef);
    case 'target-set':
      return decideTarget(data.phase, data.date);
    case 'cohort-added':
      return decideAddCohort(record, data);
    case 'cohort-updated': {
      const { id, ...cohort } = data;
      return decideUpdateCohort(record, id, cohort);
    }
    case 'cohort-removed':
      return decideRemoveCohort(record, data.id);
    default:
      throw new InputError(`type: ${data.type} is not a phase event type`);
  }
}

/** The group refs an event names, to check against the catalog. */
function groupsOf(data: PhaseEventData): string[] {
  switch (data.type) {
    case 'signoff-requested':
    case 'signoff-decided':
      return [data.groupRef];
    case 'pioneer-set':
      return data.teamRef ? [data.teamRef] : [];
    case 'cohort-added':
    case 'cohort-updated':
      return data.cohort.teamRefs;
    default:
      return [];
  }
}

/**
 * Checks a whole imported history and turns it into the events the store
 * writes: each event is validated like the API request it stands for, then
 * decided by the same commands against the record the events before it
 * make, and folded with `applyEvent`. A bad history throws here, before
 * anything is written.
 */
export function planImport(
  events: ImportedPhaseEvent[],
  options: { entityRef: string; config: PhasesConfig; now: Date },
): { events: NewPhaseEvent[]; groupRefs: string[] } {
  if (!Array.isArray(events) || events.length === 0) {
    throw new InputError('events: must hold at least the started event');
  }
  if (events.length > MAX_IMPORTED_EVENTS) {
    throw new InputError(
      `events: must hold at most ${MAX_IMPORTED_EVENTS} events`,
    );
  }
  const latest = options.now.getTime() + FUTURE_SLACK_MS;
  const planned: NewPhaseEvent[] = [];
  const groupRefs = new Set<string>();
  let record: InitiativeRecord | undefined;
  let previous = -Infinity;
  events.forEach((input, i) => {
    const where = `events[${i}]`;
    try {
      const event = parse(envelope, input);
      const at = event.occurredAt;
      if (at.getTime() > latest) {
        throw new InputError('occurredAt: must not be in the future');
      }
      if (at.getTime() < previous) {
        throw new InputError(
          'occurredAt: must not be before the previous event',
        );
      }
      previous = at.getTime();
      const decided = decide(
        record,
        event.data,
        event.reason,
        at,
        options.config,
      );
      const next: NewPhaseEvent = {
        occurredAt: at.toISOString(),
        actorRef: event.actorRef,
        ...(event.reason ? { reason: event.reason } : {}),
        data: decided,
      };
      const stored: PhaseEvent = { ...next, version: i + 1 };
      record = applyEvent(record, stored, options.entityRef);
      groupsOf(decided).forEach(g => groupRefs.add(g));
      planned.push(next);
    } catch (error) {
      const e = error as Error;
      throw new InputError(`${where} (${describeType(input)}): ${e.message}`);
    }
  });
  return { events: planned, groupRefs: [...groupRefs] };
}

function describeType(input: unknown): string {
  const type = (input as { data?: { type?: unknown } })?.data?.type;
  return typeof type === 'string' ? type.slice(0, 40) : 'no type';
}

/**
 * The writer handed to backend modules: imports an initiative's history on
 * the phase store. Modules are trusted code, so no permission is asked; the
 * history is checked like API requests, and the entity and the groups it
 * names like API writes check them, when `existing` is given.
 */
export function createPhasesModuleWriter(options: {
  phases: PhaseStore;
  config: PhasesConfig;
  now: () => Date;
  /** The subset of `refs` the catalog holds. */
  existing?: (refs: string[]) => Promise<Set<string>>;
}): PhasesModuleWriter {
  const { phases, config, now, existing } = options;
  const refOf = (value: string) =>
    parse(z.object({ entityRef }), { entityRef: value }).entityRef;
  return {
    async hasInitiative(ref) {
      return (await phases.getRecord(refOf(ref))) !== undefined;
    },
    async importInitiative(ref, events) {
      const target = refOf(ref);
      const plan = planImport(events, {
        entityRef: target,
        config,
        now: now(),
      });
      if (existing) {
        const wanted = [target, ...plan.groupRefs];
        const found = await existing(wanted);
        const missing = wanted.filter(r => !found.has(r));
        if (missing.length > 0) {
          throw new InputError(
            `No entity ${missing.slice(0, 5).join(', ')} in the catalog`,
          );
        }
      }
      const [first, ...rest] = plan.events;
      // start refuses an initiative that exists (ConflictError). The rest
      // goes in one append, one transaction, expecting the start's version:
      // it was all decided above, so only the database can fail it now.
      await phases.start(target, first as Parameters<PhaseStore['start']>[1]);
      if (rest.length > 0) await phases.append(target, 1, () => rest);
    },
  };
}
