import { DAY_MS, ENTITY, T0, TEAMS } from './__testUtils__/initiatives';
import { phaseTestSetup } from './__testUtils__/phaseStores';

jest.setTimeout(60_000);

/*
 * Daily adoption snapshots on SQLite and PostgreSQL: "adopted since", lost
 * adoptions, new runs after a loss, and the curve, idempotent per day.
 */

const [A, B, C] = TEAMS;
const day = (n: number, ms = 0) => new Date(T0.getTime() + n * DAY_MS + ms);

describe('DatabaseAdoptionStore', () => {
  const { databases, setup } = phaseTestSetup();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('tracks runs of adoption and the daily curve', async () => {
      const { adoption } = await setup(databaseId);
      expect(await adoption.getAdoption(ENTITY)).toEqual([]);
      expect(await adoption.getCurve(ENTITY)).toEqual([]);

      await adoption.recordSnapshot(ENTITY, [B, A, A], day(0));
      expect(await adoption.getAdoption(ENTITY)).toEqual(
        [
          { teamRef: A, adoptedSince: day(0) },
          { teamRef: B, adoptedSince: day(0) },
        ].sort((x, y) => (x.teamRef < y.teamRef ? -1 : 1)),
      );

      // Day 1: B is lost, C adopts.
      await adoption.recordSnapshot(ENTITY, [A, C], day(1));
      const byTeam = async () =>
        Object.fromEntries(
          (await adoption.getAdoption(ENTITY)).map(r => [r.teamRef, r]),
        );
      expect(await byTeam()).toEqual({
        [A]: { teamRef: A, adoptedSince: day(0) },
        [B]: { teamRef: B, adoptedSince: day(0), lostAt: day(1) },
        [C]: { teamRef: C, adoptedSince: day(1) },
      });

      // Day 2: still lost: the loss keeps its first date.
      await adoption.recordSnapshot(ENTITY, [A, C], day(2));
      expect((await byTeam())[B]).toEqual({
        teamRef: B,
        adoptedSince: day(0),
        lostAt: day(1),
      });

      // Day 3: B adopts again: a new run.
      await adoption.recordSnapshot(ENTITY, [A, B, C], day(3));
      expect((await byTeam())[B]).toEqual({ teamRef: B, adoptedSince: day(3) });
      expect((await byTeam())[A]).toEqual({ teamRef: A, adoptedSince: day(0) });

      // Day 4: nobody.
      await adoption.recordSnapshot(ENTITY, [], day(4));
      expect(Object.values(await byTeam()).map(r => r.lostAt)).toEqual([
        day(4),
        day(4),
        day(4),
      ]);

      expect(await adoption.getCurve(ENTITY)).toEqual([
        { day: '2026-11-21', adopted: 2 },
        { day: '2026-11-22', adopted: 2 },
        { day: '2026-11-23', adopted: 2 },
        { day: '2026-11-24', adopted: 3 },
        { day: '2026-11-25', adopted: 0 },
      ]);
      expect(await adoption.getCurve(ENTITY, '2026-11-24')).toEqual([
        { day: '2026-11-24', adopted: 3 },
        { day: '2026-11-25', adopted: 0 },
      ]);
      expect(await adoption.getCurve('component:default/other')).toEqual([]);
    });

    it('is idempotent for the same day, and upserts its count', async () => {
      const { adoption, knex } = await setup(databaseId);
      await adoption.recordSnapshot(ENTITY, [A, B], day(0));
      const rows = await knex('freeboard_phase_adoption').orderBy('team_ref');
      await adoption.recordSnapshot(ENTITY, [B, A], day(0, 3_600_000));
      await adoption.recordSnapshot(ENTITY, [A, B], day(0, 7_200_000));
      expect(
        await knex('freeboard_phase_adoption').orderBy('team_ref'),
      ).toEqual(rows);
      expect(await adoption.getCurve(ENTITY)).toEqual([
        { day: '2026-11-21', adopted: 2 },
      ]);
      // A later snapshot the same day that sees more replaces the count.
      await adoption.recordSnapshot(ENTITY, [A, B, C], day(0, 10_800_000));
      expect(await adoption.getCurve(ENTITY)).toEqual([
        { day: '2026-11-21', adopted: 3 },
      ]);
    });

    it('keeps entities apart, and survives concurrent snapshots', async () => {
      const { adoption } = await setup(databaseId);
      const other = 'component:default/other';
      await Promise.all([
        adoption.recordSnapshot(ENTITY, [A], day(0)),
        adoption.recordSnapshot(ENTITY, [A], day(0)),
        adoption.recordSnapshot(other, [B, C], day(0)),
        adoption.recordSnapshot(other, [B, C], day(0)),
      ]);
      expect((await adoption.getAdoption(ENTITY)).map(r => r.teamRef)).toEqual([
        A,
      ]);
      expect((await adoption.getAdoption(other)).map(r => r.teamRef)).toEqual(
        [B, C].sort(),
      );
      expect(await adoption.getCurve(other)).toEqual([
        { day: '2026-11-21', adopted: 2 },
      ]);
    });

    it('records a thousand teams in one snapshot', async () => {
      const { adoption } = await setup(databaseId);
      const many = Array.from(
        { length: 1000 },
        (_, i) => `group:default/t${i}`,
      );
      await adoption.recordSnapshot(ENTITY, many, day(0));
      await adoption.recordSnapshot(ENTITY, many.slice(0, 10), day(1));
      const rows = await adoption.getAdoption(ENTITY);
      expect(rows).toHaveLength(1000);
      expect(rows.filter(r => r.lostAt)).toHaveLength(990);
    });
  });
});
