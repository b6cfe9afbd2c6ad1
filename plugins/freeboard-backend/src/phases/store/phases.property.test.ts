import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  MVP_PHASES,
  MvpPhase,
  TrustLevel,
} from '@freeboard/backstage-plugin-common';
import fc from 'fast-check';
import {
  PhaseBlockedError,
  decideAddCohort,
  decideAddCriterion,
  decidePioneer,
  decideRemoveCohort,
  decideRemoveCriterion,
  decideRequestSignoff,
  decideSetCriterion,
  decideSignoff,
  decideTarget,
  decideTransition,
  decideUpdateCohort,
} from '../domain/commands';
import { evaluate } from '../domain/evaluate';
import { NewPhaseEvent, PhaseEventData } from '../domain/events';
import {
  InitiativeRecord,
  nextPhase,
  phaseIndex,
  replay,
} from '../domain/record';
import {
  ALL_MET,
  ARCHITECTS,
  CONFIG,
  DAY_MS,
  LEAD,
  PIONEER,
  SECURITY,
  T0,
  TEAMS,
  clearing,
} from './__testUtils__/initiatives';
import { phaseTestSetup, startEvent } from './__testUtils__/phaseStores';
import { PhaseStore, StaleVersionError } from './PhaseStore';

jest.setTimeout(120_000);

/*
 * Random sequences of valid and invalid operations, through the domain
 * commands and the store, on a clock that moves between them. After each:
 * the stored projection equals a replay of the stored events, and the events
 * until the time of every earlier operation replay to the projection read
 * right after it (time travel shows what was shown then).
 */

const SEED = 20261123;
const RUNS = 20;

const GROUPS = [SECURITY, ARCHITECTS, 'group:default/ops'];
const TEAM_POOL = [PIONEER, ...TEAMS];
const LEVELS: TrustLevel[] = ['overdrawn', 'thin', 'healthy', 'strong'];

type Action =
  | {
      kind: 'set';
      pick: number;
      state: 'done' | 'open' | 'waived';
      reason: boolean;
      expiryDays?: number;
    }
  | { kind: 'add'; phase: MvpPhase; title: string }
  | { kind: 'remove'; pick: number }
  | { kind: 'request'; phase: MvpPhase; group: number }
  | { kind: 'decide'; pick: number; approve: boolean; comment?: string }
  | { kind: 'pioneer'; team: number | null }
  | { kind: 'target'; phase: MvpPhase; date: string | null }
  | { kind: 'cohort-add'; teams: number[] }
  | { kind: 'cohort-update'; pick: number; teams: number[] }
  | { kind: 'cohort-remove'; pick: number }
  | { kind: 'clear' }
  | {
      kind: 'advance';
      /** Measurements; every measure met when left out. */
      adopted?: number[];
      trust?: TrustLevel;
      decided?: boolean;
    }
  | { kind: 'back'; pick: number; reason: boolean }
  | { kind: 'move'; to: MvpPhase; reason: boolean };

interface Operation {
  action: Action;
  /** How far the clock moves before the operation. */
  advanceMs: number;
  /** No expected version, the current one, or a stale one (by this much). */
  version: 'none' | 'current' | -2 | -1 | 1;
}

const phase = fc.constantFrom(...MVP_PHASES);
const pick = fc.nat(40);
const teams = fc.uniqueArray(fc.nat(TEAM_POOL.length - 1), { maxLength: 6 });

const anyAction: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      pick,
      state: fc.constantFrom(
        'done' as const,
        'open' as const,
        'waived' as const,
      ),
      reason: fc.boolean(),
      expiryDays: fc.option(fc.integer({ min: -2, max: 400 }), {
        nil: undefined,
      }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      phase,
      title: fc.string({ maxLength: 20 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('remove' as const), pick }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      phase,
      group: fc.nat(GROUPS.length - 1),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        kind: fc.constant('decide' as const),
        pick,
        approve: fc.boolean(),
        comment: fc.string({ minLength: 1, maxLength: 10 }),
      },
      { requiredKeys: ['kind', 'pick', 'approve'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('pioneer' as const),
      team: fc.option(fc.nat(TEAM_POOL.length - 1), { nil: null }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('target' as const),
      phase,
      date: fc.option(fc.constantFrom('2027-01-31', '2027-06-30'), {
        nil: null,
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('cohort-add' as const), teams }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cohort-update' as const),
      pick,
      teams,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('cohort-remove' as const), pick }),
  },
  { weight: 7, arbitrary: fc.constant({ kind: 'clear' as const }) },
  {
    weight: 8,
    arbitrary: fc.oneof(
      // Mostly with every measure met, so initiatives get somewhere.
      { weight: 3, arbitrary: fc.constant({ kind: 'advance' as const }) },
      {
        weight: 1,
        arbitrary: fc.record(
          {
            kind: fc.constant('advance' as const),
            adopted: fc.uniqueArray(fc.nat(TEAM_POOL.length - 1), {
              maxLength: 6,
            }),
            trust: fc.constantFrom(...LEVELS),
            decided: fc.boolean(),
          },
          { requiredKeys: ['kind', 'adopted', 'decided'] },
        ),
      },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('back' as const),
      pick,
      // Mostly with the reason a step back needs.
      reason: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      to: phase,
      reason: fc.boolean(),
    }),
  },
);

const operation: fc.Arbitrary<Operation> = fc.record({
  action: anyAction,
  advanceMs: fc.oneof(
    fc.integer({ min: 1, max: 1000 }),
    fc.integer({ min: 1, max: 3 * DAY_MS }),
  ),
  version: fc.oneof(
    { weight: 5, arbitrary: fc.constant('none' as const) },
    { weight: 4, arbitrary: fc.constant('current' as const) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(-2 as const, -1 as const, 1 as const),
    },
  ),
});

/** The item at `n` of `items`, or (one time in length+1) an id that is not. */
function picked<T>(items: T[], n: number, id: (item: T) => string): string {
  const index = n % (items.length + 1);
  return index === items.length ? 'missing' : id(items[index]);
}

/** What an operation decides on the locked record, as the service would. */
function decision(
  record: InitiativeRecord,
  action: Action,
  now: Date,
): NewPhaseEvent[] {
  const at = now.toISOString();
  const reason = 'Because we learned something';
  const one = (data: PhaseEventData, withReason = false): NewPhaseEvent[] => [
    { occurredAt: at, actorRef: LEAD, ...(withReason ? { reason } : {}), data },
  ];
  switch (action.kind) {
    case 'set':
      return one(
        decideSetCriterion(
          record,
          picked(record.criteria, action.pick, c => c.id),
          {
            state: action.state,
            ...(action.reason ? { reason } : {}),
            ...(action.expiryDays !== undefined
              ? {
                  waiverExpiresAt: new Date(
                    now.getTime() + action.expiryDays * DAY_MS,
                  ),
                }
              : {}),
          },
          CONFIG,
          now,
        ),
        action.reason,
      );
    case 'add':
      return one(
        decideAddCriterion(record, {
          phase: action.phase,
          title: action.title,
        }),
      );
    case 'remove':
      return one(
        decideRemoveCriterion(
          record,
          picked(record.criteria, action.pick, c => c.id),
        ),
      );
    case 'request':
      return one(
        decideRequestSignoff(record, action.phase, GROUPS[action.group]),
      );
    case 'decide': {
      const signoff =
        record.signoffs[action.pick % (record.signoffs.length + 1)];
      return one(
        decideSignoff(record, {
          phase: signoff?.phase ?? 'adoption',
          groupRef: signoff?.groupRef ?? 'group:default/nobody',
          decision: action.approve ? 'approve' : 'reject',
          ...(action.comment ? { comment: action.comment } : {}),
        }),
      );
    }
    case 'pioneer':
      return one(
        decidePioneer(action.team === null ? null : TEAM_POOL[action.team]),
      );
    case 'target':
      return one(decideTarget(action.phase, action.date));
    case 'cohort-add':
    case 'cohort-update': {
      const input = {
        name: 'Wave',
        targetDate: '2027-03-01',
        teamRefs: action.teams.map(t => TEAM_POOL[t]),
      };
      return one(
        action.kind === 'cohort-add'
          ? decideAddCohort(record, input)
          : decideUpdateCohort(
              record,
              picked(record.cohorts, action.pick, c => c.id),
              input,
            ),
      );
    }
    case 'cohort-remove':
      return one(
        decideRemoveCohort(
          record,
          picked(record.cohorts, action.pick, c => c.id),
        ),
      );
    case 'clear':
      return clearing(record, at);
    case 'advance': {
      const { blockers } = evaluate(
        record,
        action.adopted
          ? {
              adoptedTeams: new Set(action.adopted.map(t => TEAM_POOL[t])),
              trustLevel: action.trust,
              decisionValid: action.decided ?? false,
            }
          : ALL_MET,
        now,
      );
      return one(
        decideTransition(record, nextPhase(record.phase), undefined, blockers),
      );
    }
    case 'back': {
      const earlier = MVP_PHASES.filter(
        p => phaseIndex(p) < phaseIndex(record.phase),
      );
      const to = earlier.length
        ? earlier[action.pick % earlier.length]
        : record.phase;
      return one(
        decideTransition(record, to, action.reason ? reason : undefined, []),
        action.reason,
      );
    }
    case 'move':
      return one(
        decideTransition(
          record,
          action.to,
          action.reason ? reason : undefined,
          [],
        ),
        action.reason,
      );
    default: {
      const unknown: never = action;
      throw new Error(`Unknown action ${JSON.stringify(unknown)}`);
    }
  }
}

function isRefusal(error: unknown): boolean {
  return (
    error instanceof StaleVersionError ||
    error instanceof InputError ||
    error instanceof ConflictError ||
    error instanceof NotFoundError
  );
}

async function allEvents(phases: PhaseStore, entityRef: string) {
  return (await phases.listEvents(entityRef, { limit: 100_000 })).reverse();
}

describe('phases, property', () => {
  const { databases, setup } = phaseTestSetup();

  it.each(databases.eachSupportedId())(
    'keeps the projection equal to the replay of its events, now and as of every past operation, on %p',
    async databaseId => {
      const { phases } = await setup(databaseId);
      let run = 0;
      const tally = {
        ok: 0,
        refused: 0,
        advanced: 0,
        steppedBack: 0,
        iteration2: 0,
        blocked: 0,
        stale: 0,
      };

      await fc.assert(
        fc.asyncProperty(
          fc.array(operation, { minLength: 1, maxLength: 35, size: 'max' }),
          async operations => {
            const entityRef = `component:default/property-${run++}`;
            let now = T0;
            await phases.start(entityRef, startEvent(now));
            // Before the start there is nothing to replay.
            expect(
              await phases.eventsUntil(entityRef, new Date(now.getTime() - 1)),
            ).toEqual([]);
            // A pioneer and a first cohort, so measured criteria can be met.
            now = new Date(now.getTime() + 1);
            let { record } = await phases.append(entityRef, 1, () =>
              [
                decidePioneer(PIONEER),
                decideTarget('discovery', '2027-01-01'),
              ].map(data => ({
                occurredAt: now.toISOString(),
                actorRef: LEAD,
                data,
              })),
            );
            record = (
              await phases.append(entityRef, undefined, r =>
                decision(r, { kind: 'cohort-add', teams: [1, 2, 3] }, now),
              )
            ).record;
            const shown = [{ at: now, record }];

            for (const op of operations) {
              now = new Date(now.getTime() + op.advanceMs);
              const expected =
                op.version === 'none'
                  ? undefined
                  : record.version +
                    (op.version === 'current' ? 0 : op.version);
              const at = now;
              const result = await phases
                .append(entityRef, expected, current =>
                  decision(current, op.action, at),
                )
                .catch(error => {
                  if (!isRefusal(error)) throw error;
                  if (error instanceof PhaseBlockedError) tally.blocked += 1;
                  if (error instanceof StaleVersionError) tally.stale += 1;
                  return undefined;
                });

              const stored = await phases.getRecord(entityRef);
              const events = await allEvents(phases, entityRef);
              expect(replay(entityRef, events)).toEqual(stored);
              // A refusal writes nothing; a success what it says it wrote.
              const written = result?.events ?? [];
              expect(stored).toEqual(result?.record ?? record);
              expect(stored!.version).toBe(record.version + written.length);
              expect(events).toHaveLength(record.version + written.length);
              tally[result ? 'ok' : 'refused'] += 1;
              for (const e of written) {
                if (e.data.type === 'advanced') tally.advanced += 1;
                if (e.data.type === 'advanced' && e.data.iteration > 1) {
                  tally.iteration2 += 1;
                }
                if (e.data.type === 'stepped-back') tally.steppedBack += 1;
              }
              record = stored!;
              shown.push({ at: now, record });

              const asOf = await Promise.all(
                shown.map(async past =>
                  replay(
                    entityRef,
                    await phases.eventsUntil(entityRef, past.at),
                  ),
                ),
              );
              expect(asOf).toEqual(shown.map(past => past.record));
            }
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      // The generator reaches the interesting paths, not only refusals.
      const minimum: typeof tally = {
        ok: 100,
        refused: 100,
        advanced: 10,
        steppedBack: 3,
        iteration2: 2,
        blocked: 10,
        stale: 10,
      };
      const short = Object.entries(minimum).filter(
        ([key, least]) => tally[key as keyof typeof tally] < least,
      );
      expect({ tally, short }).toEqual({ tally, short: [] });
    },
  );
});
