import { MVP_PHASES, MvpPhase } from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import { readSnapshot, toDate } from '../shared/database';
import { InitiativeRecord } from '../phases/domain/record';
import { snapshotThickness } from '../thickness/log';
import { DAY_MS, DecayBasis } from '../trust/store/decay';

/*
 * The portfolio's storage: the refresher's copy of what the catalog says
 * about each capability and of the group hierarchy, the thickness change
 * log, and the reads a portfolio page joins them with (trust totals, MVP
 * initiatives, adoption snapshots). Refs are normalized (lower case).
 */

export const CAPABILITIES = 'freeboard_capabilities';
export const CAPABILITY_CONSUMERS = 'freeboard_capability_consumers';
export const GROUPS = 'freeboard_groups';

/** Rows per insert and refs per `whereIn`: within both engines' bind limits. */
const CHUNK = 500;

/** A capability as the refresher read it from the catalog. */
export interface CapabilityRecord {
  entityRef: string;
  kind: string;
  title: string;
  ownerRef?: string;
  systemRef?: string;
  /** Set when the decision annotations are valid. */
  decision?: 'float' | 'sink';
  baseCapability?: string;
  replacedBy?: string;
  reviewBy?: string;
  /** Set when the decision annotations are invalid. */
  problems?: string[];
  /** Teams depending on it, sorted. */
  consumerTeams: string[];
}

/** A group and its parent (`childOf`). */
export interface GroupLink {
  groupRef: string;
  parentRef?: string;
}

/** What one refresh writes to the capability tables, all or nothing. */
export interface CapabilityChanges {
  /** Every capability seen: upserted with its consumer teams. */
  upsert: CapabilityRecord[];
  /** Capabilities gone from the set: deleted with their consumer rows. */
  remove: string[];
  at: Date;
}

/** The writes and reads of the portfolio refresher. */
export interface PortfolioRefreshStore {
  /** Refs of the capabilities last written. */
  listCapabilityRefs(): Promise<string[]>;
  /** Refs of entities with a trust ledger. */
  listLedgerRefs(): Promise<string[]>;
  /** Refs of entities run as MVP initiatives. */
  listInitiativeRefs(): Promise<string[]>;
  /** The group hierarchy last written. */
  listGroups(): Promise<GroupLink[]>;
  /** Writes a refresh's capabilities and their consumers in one transaction. */
  applyCapabilities(changes: CapabilityChanges): Promise<void>;
  /**
   * Brings the thickness log up to date with the capabilities as written:
   * a row for the day of `at` where a capability's category or weight
   * changed, `none` once for one that left. Returns the rows written or
   * withdrawn.
   */
  logThickness(at: Date): Promise<number>;
  /** Writes the group hierarchy in one transaction. */
  applyGroups(changes: {
    upsert: GroupLink[];
    remove: string[];
  }): Promise<void>;
}

/** A capability as the refresher copied it from the catalog. */
export interface CatalogCapability {
  entityRef: string;
  kind: string;
  title: string;
  ownerRef?: string;
  systemRef?: string;
  decision?: 'float' | 'sink';
  baseCapability?: string;
  replacedBy?: string;
  reviewBy?: string;
  problems?: string[];
  consumerTeams: number;
}

/** An entity's trust totals, forward-decayed. */
export interface LedgerTotals {
  balanceFwd: number;
  entryCount: number;
}

/** What changes between refreshes: trust totals and initiatives, by ref. */
export interface CapabilityMeasures {
  basis: DecayBasis;
  ledgers: Map<string, LedgerTotals>;
  initiatives: Map<string, { phase: MvpPhase; version: number }>;
}

/** A negative balance of a consumer with a capability, forward-decayed. */
export interface OverdrawnRow {
  entityRef: string;
  consumerRef: string;
  balanceFwd: number;
}

/** Forward-decayed sums for balances at the ends of past days. */
export interface TrendSums {
  totalFwd: number;
  /** Per requested day, the sum of the daily changes after it. */
  after: number[];
}

/** The reads of a portfolio page, its CSV, summary and rollups. */
export interface PortfolioReadStore {
  /**
   * Changes whenever a refresh writes the capabilities (every run stamps
   * the rows it writes), so a copy read under it can be kept until then.
   */
  capabilitiesVersion(): Promise<string>;
  /** The capabilities as last refreshed, and their version. */
  listCapabilities(): Promise<{
    version: string;
    capabilities: CatalogCapability[];
  }>;
  /** Every trust ledger's totals and every initiative, in one snapshot with the decay basis. */
  loadMeasures(): Promise<CapabilityMeasures>;
  /**
   * How many teams the adoption snapshots see adopting each of `refs`, or
   * each initiative; an initiative without adopters is absent.
   */
  adoptedCounts(refs?: string[]): Promise<Map<string, number>>;
  /** Teams currently adopted (the snapshots' view) per ref. */
  adoptedTeams(refs: string[]): Promise<Map<string, Set<string>>>;
  /** The stored records of the initiatives of `refs`. */
  records(refs: string[]): Promise<InitiativeRecord[]>;
  /**
   * Totals and, per day of `days` (UTC day numbers), the sum of the daily
   * balance changes after it, for `refs` or every ledger, in one snapshot.
   */
  trendSums(
    refs: string[] | 'all',
    days: number[],
  ): Promise<{ basis: DecayBasis; sums: Map<string, TrendSums> }>;
  /** Negative consumer balances on capabilities, with the decay basis. */
  overdrawnConsumers(): Promise<{ basis: DecayBasis; rows: OverdrawnRow[] }>;
  /** The group hierarchy. */
  listGroups(): Promise<GroupLink[]>;
}

function chunked<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

function parseProblems(value: string | null): string[] | undefined {
  if (value === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
  } catch {
    return [value];
  }
}

const PHASES: ReadonlySet<string> = new Set(MVP_PHASES);

/**
 * The capabilities' version: their count and latest stamp. Every refresh
 * stamps each row it writes with its own time, and deletes change the
 * count, so a refresh always changes it.
 */
async function versionOf(tx: Knex | Knex.Transaction): Promise<string> {
  const row = await tx(CAPABILITIES)
    .count({ count: '*' })
    .max({ at: 'refreshed_at' })
    .first();
  const at = row?.at ? toDate(row.at as Date | string | number).getTime() : 0;
  return `${Number(row?.count ?? 0)}:${at}`;
}

/** The decay basis; a database without a landmark (no trust yet) reads as no decay. */
async function basisOf(tx: Knex | Knex.Transaction): Promise<DecayBasis> {
  const row = await tx('trust_landmark').where({ id: 1 }).first();
  if (!row) return { landmarkMs: 0, halfLifeMs: Number.POSITIVE_INFINITY };
  return {
    landmarkMs: Number(row.landmark_ms),
    halfLifeMs: Number(row.half_life_days) * DAY_MS,
  };
}

type CapabilityDbRow = {
  entity_ref: string;
  kind: string;
  title: string;
  owner_ref: string | null;
  system_ref: string | null;
  decision: string | null;
  base_capability: string | null;
  replaced_by: string | null;
  review_by: string | null;
  problems: string | null;
  consumer_teams: number | string;
};

function toCatalogCapability(row: CapabilityDbRow): CatalogCapability {
  const result: CatalogCapability = {
    entityRef: row.entity_ref,
    kind: row.kind,
    title: row.title,
    consumerTeams: Number(row.consumer_teams),
  };
  if (row.owner_ref !== null) result.ownerRef = row.owner_ref;
  if (row.system_ref !== null) result.systemRef = row.system_ref;
  if (row.decision === 'float' || row.decision === 'sink') {
    result.decision = row.decision;
  }
  if (row.base_capability !== null) {
    result.baseCapability = row.base_capability;
  }
  if (row.replaced_by !== null) result.replacedBy = row.replaced_by;
  if (row.review_by !== null) result.reviewBy = row.review_by;
  const problems = parseProblems(row.problems);
  if (problems) result.problems = problems;
  return result;
}

function capabilityDbRow(record: CapabilityRecord, at: Date) {
  return {
    entity_ref: record.entityRef,
    kind: record.kind,
    title: record.title,
    owner_ref: record.ownerRef ?? null,
    system_ref: record.systemRef ?? null,
    decision: record.decision ?? null,
    base_capability: record.baseCapability ?? null,
    replaced_by: record.replacedBy ?? null,
    review_by: record.reviewBy ?? null,
    problems: record.problems ? JSON.stringify(record.problems) : null,
    consumer_teams: record.consumerTeams.length,
    refreshed_at: at,
  };
}

/** The Knex implementation of both portfolio stores (SQLite, PostgreSQL). */
export class DatabasePortfolioStore
  implements PortfolioRefreshStore, PortfolioReadStore
{
  constructor(private readonly db: Knex) {}

  async listCapabilityRefs(): Promise<string[]> {
    const rows = await this.db(CAPABILITIES).select('entity_ref');
    return rows.map(r => r.entity_ref);
  }

  async listLedgerRefs(): Promise<string[]> {
    const rows = await this.db('trust_totals as t')
      .join('freeboard_refs as f', 'f.id', 't.entity_id')
      .select('f.ref');
    return rows.map(r => r.ref);
  }

  async listInitiativeRefs(): Promise<string[]> {
    const rows = await this.db('freeboard_phase_initiatives').select(
      'entity_ref',
    );
    return rows.map(r => r.entity_ref);
  }

  async listGroups(): Promise<GroupLink[]> {
    const rows = await this.db(GROUPS).select('group_ref', 'parent_ref');
    return rows.map(r => ({
      groupRef: r.group_ref,
      ...(r.parent_ref !== null ? { parentRef: r.parent_ref } : {}),
    }));
  }

  async applyCapabilities(changes: CapabilityChanges): Promise<void> {
    await this.db.transaction(async tx => {
      for (const part of chunked(changes.remove)) {
        await tx(CAPABILITY_CONSUMERS).whereIn('entity_ref', part).delete();
        await tx(CAPABILITIES).whereIn('entity_ref', part).delete();
      }
      for (const part of chunked(changes.upsert)) {
        await tx(CAPABILITIES)
          .insert(part.map(record => capabilityDbRow(record, changes.at)))
          .onConflict('entity_ref')
          .merge();
      }

      // Consumer rows change for few capabilities per run: rewrite only those.
      const existing = new Map<string, string[]>();
      const pairs = await tx(CAPABILITY_CONSUMERS)
        .select('entity_ref', 'team_ref')
        .orderBy(['entity_ref', 'team_ref']);
      for (const row of pairs) {
        const teams = existing.get(row.entity_ref) ?? [];
        teams.push(row.team_ref);
        existing.set(row.entity_ref, teams);
      }
      const changed = changes.upsert.filter(
        record =>
          (existing.get(record.entityRef) ?? []).join('\n') !==
          record.consumerTeams.join('\n'),
      );
      for (const part of chunked(changed)) {
        await tx(CAPABILITY_CONSUMERS)
          .whereIn(
            'entity_ref',
            part.map(r => r.entityRef),
          )
          .delete();
      }
      const inserts = changed.flatMap(record =>
        record.consumerTeams.map(team => ({
          team_ref: team,
          entity_ref: record.entityRef,
        })),
      );
      for (const part of chunked(inserts)) {
        await tx(CAPABILITY_CONSUMERS).insert(part);
      }
    });
  }

  async logThickness(at: Date): Promise<number> {
    // The thickness meter's own rules (categories, weights, a row only on
    // change), so the refresher and the daily snapshot never disagree.
    const { written } = await snapshotThickness(this.db, at);
    return written;
  }

  async applyGroups(changes: {
    upsert: GroupLink[];
    remove: string[];
  }): Promise<void> {
    await this.db.transaction(async tx => {
      for (const part of chunked(changes.remove)) {
        await tx(GROUPS).whereIn('group_ref', part).delete();
      }
      for (const part of chunked(changes.upsert)) {
        await tx(GROUPS)
          .insert(
            part.map(g => ({
              group_ref: g.groupRef,
              parent_ref: g.parentRef ?? null,
            })),
          )
          .onConflict('group_ref')
          .merge();
      }
    });
  }

  async capabilitiesVersion(): Promise<string> {
    return versionOf(this.db);
  }

  async listCapabilities(): Promise<{
    version: string;
    capabilities: CatalogCapability[];
  }> {
    return readSnapshot(this.db, async tx => {
      const version = await versionOf(tx);
      const rows: CapabilityDbRow[] = await tx(CAPABILITIES).select(
        'entity_ref',
        'kind',
        'title',
        'owner_ref',
        'system_ref',
        'decision',
        'base_capability',
        'replaced_by',
        'review_by',
        'problems',
        'consumer_teams',
      );
      return { version, capabilities: rows.map(toCatalogCapability) };
    });
  }

  async loadMeasures(): Promise<CapabilityMeasures> {
    return readSnapshot(this.db, async tx => {
      const basis = await basisOf(tx);
      const [ledgerRows, initiativeRows] = await Promise.all([
        tx('trust_totals as t')
          .join('freeboard_refs as f', 'f.id', 't.entity_id')
          .select('f.ref', 't.balance_fwd', 't.entry_count'),
        tx('freeboard_phase_initiatives').select(
          'entity_ref',
          'phase',
          'version',
        ),
      ]);
      const ledgers = new Map<string, LedgerTotals>();
      for (const row of ledgerRows) {
        ledgers.set(row.ref, {
          balanceFwd: Number(row.balance_fwd),
          entryCount: Number(row.entry_count),
        });
      }
      const initiatives = new Map<
        string,
        { phase: MvpPhase; version: number }
      >();
      for (const row of initiativeRows) {
        if (!PHASES.has(row.phase)) continue;
        initiatives.set(row.entity_ref, {
          phase: row.phase as MvpPhase,
          version: Number(row.version),
        });
      }
      return { basis, ledgers, initiatives };
    });
  }

  async adoptedCounts(refs?: string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    // The teams adopted now, counted from the adoption rows rather than
    // the latest daily point: the snapshot writes both in one transaction,
    // and the rows are a fraction of the curve's months of points.
    const read = async (part?: string[]) => {
      let query = this.db('freeboard_phase_adoption')
        .whereNull('lost_at')
        .groupBy('entity_ref')
        .select('entity_ref')
        .count({ adopted: '*' });
      if (part) query = query.whereIn('entity_ref', part);
      for (const row of (await query) as Array<{
        entity_ref: string;
        adopted: number | string;
      }>) {
        result.set(row.entity_ref, Number(row.adopted));
      }
    };
    if (!refs) {
      await read();
    } else {
      for (const part of chunked([...new Set(refs)])) await read(part);
    }
    return result;
  }

  async adoptedTeams(refs: string[]): Promise<Map<string, Set<string>>> {
    const result = new Map<string, Set<string>>();
    for (const part of chunked([...new Set(refs)])) {
      const rows = await this.db('freeboard_phase_adoption')
        .whereIn('entity_ref', part)
        .whereNull('lost_at')
        .select('entity_ref', 'team_ref');
      for (const row of rows) {
        const teams = result.get(row.entity_ref) ?? new Set<string>();
        teams.add(row.team_ref);
        result.set(row.entity_ref, teams);
      }
    }
    return result;
  }

  async records(refs: string[]): Promise<InitiativeRecord[]> {
    const result: InitiativeRecord[] = [];
    for (const part of chunked([...new Set(refs)])) {
      const rows = await this.db('freeboard_phase_initiatives')
        .whereIn('entity_ref', part)
        .select('record');
      for (const row of rows) result.push(JSON.parse(row.record));
    }
    return result;
  }

  async trendSums(
    refs: string[] | 'all',
    days: number[],
  ): Promise<{ basis: DecayBasis; sums: Map<string, TrendSums> }> {
    const sums = new Map<string, TrendSums>();
    if (days.length === 0 || (refs !== 'all' && refs.length === 0)) {
      return { basis: await basisOf(this.db), sums };
    }
    const first = Math.min(...days);
    const parts = refs === 'all' ? [undefined] : chunked([...new Set(refs)]);
    let basis: DecayBasis | undefined;
    for (const part of parts) {
      // One statement per part reads each total, the decay landmark and the
      // daily changes after each day (summed by the database) from one
      // snapshot on either engine, in a single round trip.
      let query = this.db('trust_totals as t')
        .join('freeboard_refs as f', 'f.id', 't.entity_id')
        .crossJoin(this.db.raw('?? as ??', ['trust_landmark', 'l']))
        .leftJoin('trust_daily as d', join =>
          join
            .on('d.entity_id', 't.entity_id')
            .andOn('d.day', '>', this.db.raw('?', [first])),
        )
        .where('l.id', 1)
        .groupBy('f.ref', 't.balance_fwd', 'l.landmark_ms', 'l.half_life_days')
        .select(
          'f.ref',
          't.balance_fwd',
          'l.landmark_ms',
          'l.half_life_days',
          ...days.map((day, i) =>
            this.db.raw(
              'coalesce(sum(case when d.day > ? then d.balance_fwd else 0 end), 0) as ??',
              [day, `s${i}`],
            ),
          ),
        );
      if (part) query = query.whereIn('f.ref', part);
      for (const row of await query) {
        basis ??= {
          landmarkMs: Number(row.landmark_ms),
          halfLifeMs: Number(row.half_life_days) * DAY_MS,
        };
        sums.set(row.ref, {
          totalFwd: Number(row.balance_fwd),
          after: days.map((_, i) => Number(row[`s${i}`] ?? 0)),
        });
      }
    }
    return { basis: basis ?? (await basisOf(this.db)), sums };
  }

  async overdrawnConsumers(): Promise<{
    basis: DecayBasis;
    rows: OverdrawnRow[];
  }> {
    return readSnapshot(this.db, async tx => {
      const basis = await basisOf(tx);
      const rows = await tx('trust_consumer_totals as ct')
        .join('freeboard_refs as e', 'e.id', 'ct.entity_id')
        .join('freeboard_refs as c', 'c.id', 'ct.consumer_id')
        .join(`${CAPABILITIES} as cap`, 'cap.entity_ref', 'e.ref')
        .where('ct.balance_fwd', '<', 0)
        .select(
          'e.ref as entity_ref',
          'c.ref as consumer_ref',
          'ct.balance_fwd',
        );
      return {
        basis,
        rows: rows.map(row => ({
          entityRef: row.entity_ref,
          consumerRef: row.consumer_ref,
          balanceFwd: Number(row.balance_fwd),
        })),
      };
    });
  }
}
