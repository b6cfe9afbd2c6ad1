import { ThicknessCategory } from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import { ThicknessLogEntry, thicknessCategoryOf, weightOf } from './figures';

/** A capability with a valid decision, as today's figures count it. */
export interface CountedCapability {
  entityRef: string;
  systemRef?: string;
  category: ThicknessCategory;
  weight: number;
}

/** What the thickness meter reads. */
export interface ThicknessStore {
  /**
   * Capabilities with a valid decision, from `freeboard_capabilities`;
   * with `systemRef`, only those in that system.
   */
  listCounted(systemRef?: string): Promise<CountedCapability[]>;

  /**
   * The log rows a trend from `firstDay` to `lastDay` replays: each
   * capability's latest row on or before `firstDay`, and every row after
   * it up to `lastDay`. With `systemRef`, only capabilities currently in
   * that system.
   */
  readLog(options: {
    firstDay: string;
    lastDay: string;
    systemRef?: string;
  }): Promise<ThicknessLogEntry[]>;
}

/** The Knex implementation of {@link ThicknessStore}. */
export class DatabaseThicknessStore implements ThicknessStore {
  constructor(private readonly db: Knex) {}

  async listCounted(systemRef?: string): Promise<CountedCapability[]> {
    let query = this.db('freeboard_capabilities')
      .whereNotNull('decision')
      .select(
        'entity_ref',
        'system_ref',
        'decision',
        'base_capability',
        'consumer_teams',
      );
    if (systemRef !== undefined) query = query.where('system_ref', systemRef);
    const rows = await query;
    const counted: CountedCapability[] = [];
    for (const row of rows) {
      const category = thicknessCategoryOf({
        decision: row.decision,
        baseCapability: row.base_capability,
      });
      if (!category) continue;
      counted.push({
        entityRef: row.entity_ref,
        ...(row.system_ref ? { systemRef: row.system_ref } : {}),
        category,
        weight: weightOf(row.consumer_teams),
      });
    }
    return counted;
  }

  async readLog(options: {
    firstDay: string;
    lastDay: string;
    systemRef?: string;
  }): Promise<ThicknessLogEntry[]> {
    const { db } = this;
    let query = db('freeboard_capability_log as l')
      .where('l.day', '<=', options.lastDay)
      .where(q =>
        q
          .where('l.day', '>', options.firstDay)
          .orWhere(
            'l.day',
            '=',
            db('freeboard_capability_log as p')
              .max('p.day')
              .where('p.entity_ref', db.ref('l.entity_ref'))
              .where('p.day', '<=', options.firstDay),
          ),
      )
      .select('l.entity_ref', 'l.day', 'l.category', 'l.weight');
    if (options.systemRef !== undefined) {
      query = query
        .join('freeboard_capabilities as c', 'c.entity_ref', 'l.entity_ref')
        .where('c.system_ref', options.systemRef);
    }
    const rows = await query;
    return rows.map(row => ({
      entityRef: row.entity_ref,
      day: row.day,
      category: row.category,
      weight: Number(row.weight),
    }));
  }
}
