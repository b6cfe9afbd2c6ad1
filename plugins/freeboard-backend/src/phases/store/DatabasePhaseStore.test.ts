import { ConflictError, NotFoundError } from '@backstage/errors';
import { PhaseBlockedError } from '../domain/commands';
import { NewPhaseEvent } from '../domain/events';
import { InitiativeRecord, replay } from '../domain/record';
import {
  ENTITY,
  LEAD,
  PIONEER,
  T0,
  TEAMS,
  clearing,
  transition,
} from './__testUtils__/initiatives';
import { phaseTestSetup, startEvent } from './__testUtils__/phaseStores';
import { PhaseStore, StaleVersionError } from './PhaseStore';

jest.setTimeout(120_000);

/*
 * The phase store on SQLite and PostgreSQL: starts, appends under
 * concurrency (the 20-way transition race, concurrent ticks), history and
 * time travel reads.
 */

const iso = (ms: number) => new Date(T0.getTime() + ms).toISOString();

function tick(id: string, at: string, actorRef = LEAD): NewPhaseEvent {
  return {
    occurredAt: at,
    actorRef,
    data: { type: 'criterion-set', id, state: 'done' },
  };
}

async function allEvents(phases: PhaseStore, entityRef = ENTITY) {
  return (await phases.listEvents(entityRef, { limit: 100_000 })).reverse();
}

/** Started, with a pioneer team and a fully adopted first cohort. */
async function ready(phases: PhaseStore, entityRef = ENTITY) {
  await phases.start(entityRef, startEvent(T0));
  return (
    await phases.append(entityRef, 1, () => [
      {
        occurredAt: iso(1),
        actorRef: LEAD,
        data: { type: 'pioneer-set', teamRef: PIONEER },
      },
      {
        occurredAt: iso(1),
        actorRef: LEAD,
        data: {
          type: 'cohort-added',
          cohort: {
            id: 'cohort-3',
            name: 'Wave 1',
            targetDate: '2027-03-01',
            teamRefs: TEAMS.slice(0, 2),
          },
        },
      },
    ])
  ).record;
}

describe('DatabasePhaseStore', () => {
  const { databases, setup } = phaseTestSetup();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('starts an initiative once', async () => {
      const { phases } = await setup(databaseId);
      expect(await phases.getRecord(ENTITY)).toBeUndefined();
      const started = await phases.start(ENTITY, startEvent(T0));
      expect(started.events).toEqual([{ version: 1, ...startEvent(T0) }]);
      expect(started.record).toMatchObject({
        entityRef: ENTITY,
        version: 1,
        iteration: 1,
        phase: 'discovery',
        startedAt: T0.toISOString(),
      });
      expect(await phases.getRecord(ENTITY)).toEqual(started.record);
      expect(await allEvents(phases)).toEqual(started.events);

      await expect(
        phases.start(ENTITY, startEvent(new Date(T0.getTime() + 1))),
      ).rejects.toThrow(ConflictError);
      await expect(phases.start(ENTITY, startEvent(T0))).rejects.toThrow(
        `${ENTITY} has already started`,
      );
      expect(await allEvents(phases)).toHaveLength(1);
    });

    it('lets exactly one of concurrent starts win', async () => {
      const { phases, knex } = await setup(databaseId);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          phases.start(ENTITY, startEvent(new Date(T0.getTime() + i))),
        ),
      );
      const won = results.filter(r => r.status === 'fulfilled');
      const lost = results.flatMap(r =>
        r.status === 'rejected' ? [r.reason] : [],
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(7);
      for (const reason of lost) expect(reason).toBeInstanceOf(ConflictError);
      expect(await knex('freeboard_phase_events')).toHaveLength(1);
      expect(await knex('freeboard_phase_initiatives')).toHaveLength(1);
    });

    it('refuses to append to an initiative that has not started', async () => {
      const { phases } = await setup(databaseId);
      const decide = jest.fn(() => [tick('discovery.golden-paths', iso(1))]);
      await expect(phases.append(ENTITY, undefined, decide)).rejects.toThrow(
        NotFoundError,
      );
      await expect(phases.append(ENTITY, 0, decide)).rejects.toThrow(
        NotFoundError,
      );
      expect(decide).not.toHaveBeenCalled();
    });

    it('appends decided events with the next versions, folded into the projection', async () => {
      const { phases, knex } = await setup(databaseId);
      await phases.start(ENTITY, startEvent(T0));
      const result = await phases.append(ENTITY, 1, record => {
        expect(record.version).toBe(1);
        return [
          tick('discovery.golden-paths', iso(1000)),
          {
            ...tick('discovery.technical-outcomes', iso(1000)),
            reason: 'Agreed in the kick-off',
          },
        ];
      });
      expect(result.events.map(e => e.version)).toEqual([2, 3]);
      expect(result.record.version).toBe(3);
      expect(result.record.marks['discovery.technical-outcomes']).toEqual({
        state: 'done',
        by: LEAD,
        at: iso(1000),
        reason: 'Agreed in the kick-off',
      });
      expect(await phases.getRecord(ENTITY)).toEqual(result.record);
      const events = await allEvents(phases);
      expect(events.slice(1)).toEqual(result.events);
      expect(replay(ENTITY, events)).toEqual(result.record);
      // The columns beside the JSON follow it.
      const row = await knex('freeboard_phase_initiatives').first();
      expect(row).toMatchObject({
        version: 3,
        iteration: 1,
        phase: 'discovery',
      });

      // Nothing decided: nothing written.
      const none = await phases.append(ENTITY, 3, () => []);
      expect(none).toEqual({ record: result.record, events: [] });
      expect(await allEvents(phases)).toHaveLength(3);
    });

    it('refuses a stale expected version with the current one', async () => {
      const { phases } = await setup(databaseId);
      await phases.start(ENTITY, startEvent(T0));
      await phases.append(ENTITY, 1, () => [
        tick('discovery.golden-paths', iso(1)),
      ]);
      for (const expected of [0, 1, 3, 99]) {
        const error = await phases
          .append(ENTITY, expected, () => [
            tick('discovery.golden-paths', iso(2)),
          ])
          .catch(e => e);
        expect(error).toBeInstanceOf(StaleVersionError);
        expect(error.currentVersion).toBe(2);
      }
      expect(await allEvents(phases)).toHaveLength(2);
    });

    it('writes nothing when decide throws, and rethrows what it threw', async () => {
      const { phases } = await setup(databaseId);
      const record = await ready(phases);
      const before = await allEvents(phases);
      const blocked = await phases
        .append(ENTITY, record.version, current => [
          transition(current, 'integration', { occurredAt: iso(5) }),
        ])
        .catch(e => e);
      expect(blocked).toBeInstanceOf(PhaseBlockedError);
      expect(blocked.blockers.length).toBeGreaterThan(0);

      const thrown = new Error('the decision failed');
      await expect(
        phases.append(ENTITY, undefined, () => {
          throw thrown;
        }),
      ).rejects.toBe(thrown);
      // An event the reducer refuses (a second start) is a bug: also nothing.
      await expect(
        phases.append(ENTITY, undefined, () => [
          tick('discovery.golden-paths', iso(6)),
          { ...startEvent(T0), occurredAt: iso(6) },
        ]),
      ).rejects.toThrow(/started twice/);
      expect(await allEvents(phases)).toEqual(before);
      expect(await phases.getRecord(ENTITY)).toEqual(record);
    });

    it('lets exactly one of 20 concurrent transitions from the same state win', async () => {
      const { phases } = await setup(databaseId);
      let record = await ready(phases);
      record = (
        await phases.append(ENTITY, record.version, r => clearing(r, iso(10)))
      ).record;
      const from = record.version;
      const decide = jest.fn((current: InitiativeRecord) => [
        transition(current, 'integration', { occurredAt: iso(20) }),
      ]);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => phases.append(ENTITY, from, decide)),
      );
      const won = results.flatMap(r =>
        r.status === 'fulfilled' ? [r.value] : [],
      );
      const lost = results.flatMap(r =>
        r.status === 'rejected' ? [r.reason] : [],
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      for (const reason of lost) {
        expect(reason).toBeInstanceOf(StaleVersionError);
        expect(reason.currentVersion).toBe(from + 1);
      }
      // Only the winner decided: the others were refused before deciding.
      expect(decide).toHaveBeenCalledTimes(1);
      expect(won[0].events).toEqual([
        expect.objectContaining({
          version: from + 1,
          data: {
            type: 'advanced',
            from: 'discovery',
            to: 'integration',
            iteration: 1,
          },
        }),
      ]);
      const stored = await phases.getRecord(ENTITY);
      expect(stored).toMatchObject({ phase: 'integration', version: from + 1 });
      expect(replay(ENTITY, await allEvents(phases))).toEqual(stored);
    });

    it('decides every concurrent transition without a version on the record the previous one wrote', async () => {
      const { phases } = await setup(databaseId);
      const record = await ready(phases);
      await phases.append(ENTITY, record.version, r => clearing(r, iso(10)));
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          phases.append(ENTITY, undefined, current => [
            transition(current, 'integration', { occurredAt: iso(20) }),
          ]),
        ),
      );
      // The first advances; the others find the initiative in integration,
      // where "integration" is no longer a move.
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.flatMap(r =>
        r.status === 'rejected' ? [r.reason] : [],
      );
      expect(
        refused.map(e => [
          e instanceof ConflictError,
          e instanceof PhaseBlockedError,
          e.message,
        ]),
      ).toEqual(
        Array(9).fill([
          true,
          false,
          expect.stringContaining('already in integration'),
        ]),
      );
    });

    it('appends every concurrent tick without a version, with consecutive versions', async () => {
      const { phases } = await setup(databaseId);
      await phases.start(ENTITY, startEvent(T0));
      const ids = [
        'discovery.technical-outcomes',
        'discovery.golden-paths',
        'discovery.project-management',
        'discovery.production-out-of-scope',
        'discovery.stakeholders-engaged',
        'integration.infrastructure-built',
        'integration.components-connected',
        'deployment.representative-apps',
      ];
      const results = await Promise.all(
        [...ids, ...ids].map((id, i) =>
          phases.append(ENTITY, undefined, () => [
            tick(id, iso(1000 + i), `user:default/u${i}`),
          ]),
        ),
      );
      const versions = results
        .map(r => r.events[0].version)
        .sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 16 }, (_, i) => i + 2));
      const stored = await phases.getRecord(ENTITY);
      expect(stored!.version).toBe(17);
      expect(Object.keys(stored!.marks).sort()).toEqual([...ids].sort());
      const events = await allEvents(phases);
      expect(events.map(e => e.version)).toEqual(
        Array.from({ length: 17 }, (_, i) => i + 1),
      );
      expect(replay(ENTITY, events)).toEqual(stored);
    });

    it('refuses a writer that got past the lock (an event already holds the version)', async () => {
      const { phases, knex } = await setup(databaseId);
      await phases.start(ENTITY, startEvent(T0));
      // As if another writer had inserted version 2 without the projection.
      await knex('freeboard_phase_events').insert({
        entity_ref: ENTITY,
        version: 2,
        type: 'pioneer-set',
        occurred_at: new Date(T0.getTime() + 1),
        actor_ref: LEAD,
        reason: null,
        data: JSON.stringify({ type: 'pioneer-set', teamRef: PIONEER }),
      });
      const error = await phases
        .append(ENTITY, undefined, () => [
          tick('discovery.golden-paths', iso(2)),
        ])
        .catch(e => e);
      expect(error).toBeInstanceOf(StaleVersionError);
      expect((await phases.getRecord(ENTITY))!.version).toBe(1);
    });

    it('keeps event times to the millisecond, in canonical form, never before the last', async () => {
      const { phases } = await setup(databaseId);
      await phases.start(ENTITY, {
        ...startEvent(T0),
        occurredAt: '2026-11-21T12:00:00Z',
      });
      await phases.append(ENTITY, undefined, () => [
        tick('discovery.golden-paths', '2026-11-21T12:00:00.001Z'),
      ]);
      await phases.append(ENTITY, undefined, () => [
        tick('discovery.technical-outcomes', '2026-11-21T12:59:59.000+01:00'),
      ]);
      await phases.append(ENTITY, undefined, () => [
        tick('discovery.project-management', '2026-11-21T12:00:01.5Z'),
      ]);
      const events = await allEvents(phases);
      expect(events.map(e => e.occurredAt)).toEqual([
        '2026-11-21T12:00:00.000Z',
        '2026-11-21T12:00:00.001Z',
        // An hour ahead of UTC: a time before the last event's, which a
        // replica with a slow clock could write, is raised to it.
        '2026-11-21T12:00:00.001Z',
        '2026-11-21T12:00:01.500Z',
      ]);
      expect(replay(ENTITY, events)).toEqual(await phases.getRecord(ENTITY));

      const until = async (at: string) =>
        (await phases.eventsUntil(ENTITY, new Date(at))).map(e => e.version);
      expect(await until('2026-11-21T11:59:59.999Z')).toEqual([]);
      expect(await until('2026-11-21T12:00:00.000Z')).toEqual([1]);
      expect(await until('2026-11-21T12:00:00.001Z')).toEqual([1, 2, 3]);
      expect(await until('2026-11-21T12:00:01.499Z')).toEqual([1, 2, 3]);
      expect(await until('2026-11-21T12:00:01.500Z')).toEqual([1, 2, 3, 4]);
      expect(
        await phases.eventsUntil('component:default/other', new Date()),
      ).toEqual([]);
    });

    it('lists events newest first, in pages', async () => {
      const { phases } = await setup(databaseId);
      await phases.start(ENTITY, startEvent(T0));
      await phases.start('component:default/other', startEvent(T0));
      for (let i = 0; i < 11; i++) {
        await phases.append(ENTITY, undefined, () => [
          {
            occurredAt: iso(i + 1),
            actorRef: LEAD,
            reason: i % 2 === 0 ? 'why' : undefined,
            data: {
              type: 'target-set',
              phase: 'integration',
              date: `2027-01-${10 + i}`,
            },
          },
        ]);
      }
      const pages: number[][] = [];
      let before: number | undefined;
      for (;;) {
        const page = await phases.listEvents(ENTITY, {
          limit: 5,
          beforeVersion: before,
        });
        if (page.length === 0) break;
        pages.push(page.map(e => e.version));
        before = page[page.length - 1].version;
      }
      expect(pages).toEqual([
        [12, 11, 10, 9, 8],
        [7, 6, 5, 4, 3],
        [2, 1],
      ]);
      const [latest] = await phases.listEvents(ENTITY, { limit: 1 });
      expect(latest).toEqual({
        version: 12,
        occurredAt: iso(11),
        actorRef: LEAD,
        reason: 'why',
        data: { type: 'target-set', phase: 'integration', date: '2027-01-20' },
      });
      const [unreasoned] = await phases.listEvents(ENTITY, {
        limit: 1,
        beforeVersion: 12,
      });
      expect(unreasoned).not.toHaveProperty('reason');
      expect(
        await phases.listEvents('component:default/other', { limit: 5 }),
      ).toHaveLength(1);
    });

    it('reads many records and lists initiatives in pages', async () => {
      const { phases } = await setup(databaseId);
      const refs = Array.from(
        { length: 7 },
        (_, i) => `component:default/c${i}`,
      );
      for (const ref of [...refs].reverse())
        await phases.start(ref, startEvent(T0));
      const records = await phases.getRecords([
        refs[1],
        'component:default/none',
        refs[4],
        refs[1],
      ]);
      expect(records.map(r => r.entityRef).sort()).toEqual([refs[1], refs[4]]);
      expect(await phases.getRecords([])).toEqual([]);

      const listed: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await phases.listInitiatives({
          limit: 3,
          afterEntityRef: after,
        });
        if (page.length === 0) break;
        listed.push(...page);
        after = page[page.length - 1];
      }
      expect(listed).toEqual(refs);
    });
  });
});
