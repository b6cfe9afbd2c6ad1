import { Knex } from 'knex';
import { isPostgres, toDate } from '../../shared/database';
import { AdoptionRow, AdoptionStore } from './PhaseStore';
import { ADOPTION, ADOPTION_DAYS, AdoptionRowData, chunks } from './rows';

/** Daily adoption snapshots in Knex (SQLite, PostgreSQL). */
export class DatabaseAdoptionStore implements AdoptionStore {
  private readonly isPostgres: boolean;

  constructor(private readonly db: Knex) {
    this.isPostgres = isPostgres(db);
  }

  async getAdoption(entityRef: string): Promise<AdoptionRow[]> {
    const rows = await this.db<AdoptionRowData>(ADOPTION)
      .where({ entity_ref: entityRef })
      .orderBy('team_ref', 'asc');
    return rows.map(row => ({
      teamRef: row.team_ref,
      adoptedSince: toDate(row.adopted_since),
      ...(row.lost_at !== null ? { lostAt: toDate(row.lost_at) } : {}),
    }));
  }

  async getCurve(
    entityRef: string,
    since?: string,
  ): Promise<Array<{ day: string; adopted: number }>> {
    let query = this.db(ADOPTION_DAYS)
      .where({ entity_ref: entityRef })
      .orderBy('day', 'asc')
      .select('day', 'adopted');
    if (since !== undefined) query = query.where('day', '>=', since);
    return (await query).map(row => ({
      day: row.day,
      adopted: Number(row.adopted),
    }));
  }

  async recordSnapshot(
    entityRef: string,
    adoptedTeams: string[],
    now: Date,
  ): Promise<void> {
    const adopted = new Set(adoptedTeams);
    const day = now.toISOString().slice(0, 10);
    await this.db.transaction(async tx => {
      let query = tx<AdoptionRowData>(ADOPTION).where({
        entity_ref: entityRef,
      });
      // Two snapshots of one entity at once (a task run twice) take turns.
      if (this.isPostgres) query = query.forUpdate();
      const rows = await query;
      const known = new Set(rows.map(r => r.team_ref));
      const fresh = [...adopted].filter(team => !known.has(team));
      // Adopted again after a loss: a new run starts today.
      const back = rows
        .filter(r => r.lost_at !== null && adopted.has(r.team_ref))
        .map(r => r.team_ref);
      const lost = rows
        .filter(r => r.lost_at === null && !adopted.has(r.team_ref))
        .map(r => r.team_ref);

      for (const slice of chunks(fresh, 200)) {
        await tx(ADOPTION)
          .insert(
            slice.map(team => ({
              entity_ref: entityRef,
              team_ref: team,
              adopted_since: now,
              lost_at: null,
            })),
          )
          .onConflict(['entity_ref', 'team_ref'])
          .ignore();
      }
      for (const slice of chunks(back, 500)) {
        await tx(ADOPTION)
          .where({ entity_ref: entityRef })
          .whereIn('team_ref', slice)
          .update({ adopted_since: now, lost_at: null });
      }
      for (const slice of chunks(lost, 500)) {
        await tx(ADOPTION)
          .where({ entity_ref: entityRef })
          .whereIn('team_ref', slice)
          .update({ lost_at: now });
      }
      await tx(ADOPTION_DAYS)
        .insert({ entity_ref: entityRef, day, adopted: adopted.size })
        .onConflict(['entity_ref', 'day'])
        .merge(['adopted']);
    });
  }
}
