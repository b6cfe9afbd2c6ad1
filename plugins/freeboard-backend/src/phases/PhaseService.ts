import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  AdoptionCohort,
  InitiativeAdoption,
  InitiativePhaseState,
  InitiativeState,
  PhaseBlocker,
  PhaseHistoryEvent,
  PhaseHistoryPage,
  PhasesConfig,
  TeamAdoption,
  TrustLevel,
  parseFloatOrSinkAnnotations,
} from '@freeboard/backstage-plugin-common';
import { CatalogVisibility } from '../shared/visibility';
import { AdoptionReader } from './adoption';
import { PhaseCursors } from './cursors';
import { decideStart } from './domain/commands';
import { describeEvent } from './domain/describe';
import { Measurements, evaluate, notStartedPhases } from './domain/evaluate';
import { PhaseEvent, PhaseEventData } from './domain/events';
import { InitiativeRecord, replay } from './domain/record';
import { AdoptionRow, AdoptionStore, PhaseStore } from './store/PhaseStore';

/** What the state machine measures an initiative against, and the evidence. */
export interface Measured {
  measurements: Measurements;
  /** Adopting teams with the components through which they adopted; live only. */
  via: Map<string, string[]>;
  /** The daily snapshots' rows. */
  rows: AdoptionRow[];
  /** When the adoption was measured: now, or the `asOf` time. */
  at: Date;
  live: boolean;
}

/** What the history of an entity shows of a team the caller cannot see. */
const HIDDEN_TEAM = 'a team you cannot see';

function sortedUnique(refs: Iterable<string>): string[] {
  return [...new Set(refs)].sort();
}

/**
 * The phases' reads: an initiative's state (now or as of a past time), its
 * history and its steering report.
 *
 * Measurements (adoption, trust, the float-or-sink decision) are taken as
 * the plugin, so that the state machine answers the same whoever asks; what
 * is shown is then cut to what the caller may see: teams the caller cannot
 * see are left out of cohorts, adoption and history, and not counted.
 */
export class PhaseService {
  constructor(
    private readonly options: {
      phases: PhaseStore;
      adoption: AdoptionStore;
      reader: AdoptionReader;
      visibility: CatalogVisibility;
      auth: AuthService;
      cursors: PhaseCursors;
      config: PhasesConfig;
      /** The entity's trust level; undefined when it has no ledger. */
      trustLevel: (entityRef: string) => Promise<TrustLevel | undefined>;
      now?: () => Date;
    },
  ) {}

  get config(): PhasesConfig {
    return this.options.config;
  }

  currentTime(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The entity, visible to the caller; NotFoundError otherwise. */
  entity(entityRef: string, credentials: BackstageCredentials) {
    return this.options.visibility.entity(entityRef, credentials);
  }

  /** Live measurements of the entity, read as the plugin. */
  async measure(entity: Entity, entityRef: string): Promise<Measured> {
    const at = this.currentTime();
    const service = await this.options.auth.getOwnServiceCredentials();
    const [via, rows, trustLevel] = await Promise.all([
      this.options.reader.adopters(entityRef, service),
      this.options.adoption.getAdoption(entityRef),
      this.options.trustLevel(entityRef),
    ]);
    return {
      measurements: {
        adoptedTeams: new Set(via.keys()),
        ...(trustLevel ? { trustLevel } : {}),
        decisionValid: hasValidDecision(entity),
      },
      via,
      rows,
      at,
      live: true,
    };
  }

  /**
   * Measurements as of a past time. Adoption comes from the daily snapshots
   * (teams adopted since before `asOf` and not lost by then); the trust
   * level and the decision are today's, as no history of them is kept.
   */
  private async measureAsOf(
    entity: Entity,
    entityRef: string,
    asOf: Date,
  ): Promise<Measured> {
    const [rows, trustLevel] = await Promise.all([
      this.options.adoption.getAdoption(entityRef),
      this.options.trustLevel(entityRef),
    ]);
    const adopted = rows
      .filter(r => adoptedAt(r, asOf))
      .map(r => [r.teamRef, []] as [string, string[]]);
    return {
      measurements: {
        adoptedTeams: new Set(adopted.map(([team]) => team)),
        ...(trustLevel ? { trustLevel } : {}),
        decisionValid: hasValidDecision(entity),
      },
      via: new Map(),
      rows: rows.filter(r => r.adoptedSince.getTime() <= asOf.getTime()),
      at: asOf,
      live: false,
    };
  }

  /** The state now, or as of `asOf` rebuilt from the events until then. */
  async state(
    entityRef: string,
    credentials: BackstageCredentials,
    asOf?: Date,
  ): Promise<InitiativeState> {
    const entity = await this.entity(entityRef, credentials);
    if (asOf) {
      const events = await this.options.phases.eventsUntil(entityRef, asOf);
      const record = replay(entityRef, events);
      const measured = await this.measureAsOf(entity, entityRef, asOf);
      return this.stateOf(entityRef, record, measured, credentials);
    }
    const [record, measured] = await Promise.all([
      this.options.phases.getRecord(entityRef),
      this.measure(entity, entityRef),
    ]);
    return this.stateOf(entityRef, record, measured, credentials);
  }

  /** The state of `record` under `measured`, as the caller may see it. */
  async stateOf(
    entityRef: string,
    record: InitiativeRecord | undefined,
    measured: Measured,
    credentials: BackstageCredentials,
  ): Promise<InitiativeState> {
    const { measurements, at } = measured;
    const cohortDefs = record?.cohorts ?? [];
    const candidates = sortedUnique([
      ...cohortDefs.flatMap(c => c.teamRefs),
      ...measured.via.keys(),
      ...measured.rows.map(r => r.teamRef),
      ...(record?.pioneerTeamRef ? [record.pioneerTeamRef] : []),
    ]);
    const visible = await this.options.visibility.refs(candidates, credentials);
    const adopted = (team: string) => measurements.adoptedTeams.has(team);

    let phases: InitiativePhaseState[];
    let blockers: PhaseBlocker[];
    if (record) {
      ({ phases, blockers } = evaluate(record, measurements, at));
    } else {
      const start = decideStart(this.options.config);
      if (start.type !== 'started') throw new Error('Unexpected start event');
      phases = notStartedPhases(
        start.criteria,
        start.signoffs,
        measurements,
        at,
      );
      blockers = [];
    }

    // A pioneer team the caller cannot see is not named, here or in words.
    const pioneer = record?.pioneerTeamRef;
    if (pioneer && !visible.has(pioneer)) {
      const unname = (text: string) =>
        text.split(pioneer).join('the pioneer team');
      phases = phases.map(p => ({
        ...p,
        criteria: p.criteria.map(c =>
          c.measured ? { ...c, measured: unname(c.measured) } : c,
        ),
      }));
      blockers = blockers.map(b => ({ ...b, title: unname(b.title) }));
    }

    const cohorts: AdoptionCohort[] = cohortDefs.map((c, index) => {
      const teamRefs = c.teamRefs.filter(t => visible.has(t));
      return {
        id: c.id,
        name: c.name,
        targetDate: c.targetDate,
        order: index + 1,
        teamRefs,
        adopted: teamRefs.filter(adopted).length,
        total: teamRefs.length,
      };
    });

    const state: InitiativeState = {
      entityRef,
      started: Boolean(record),
      iteration: record?.iteration ?? 1,
      phase: record?.phase ?? 'discovery',
      version: record?.version ?? 0,
      ...(record ? { startedAt: record.startedAt } : {}),
      ...(pioneer && visible.has(pioneer) ? { pioneerTeamRef: pioneer } : {}),
      phases,
      blockers,
      cohorts,
      adoption: await this.adoptionOf(
        entityRef,
        measured,
        candidates.filter(t => visible.has(t)),
        new Set(cohorts.flatMap(c => c.teamRefs)),
      ),
      ...(measurements.trustLevel
        ? { trustLevel: measurements.trustLevel }
        : {}),
      ...(measured.live ? {} : { asOf: at.toISOString() }),
    };
    return state;
  }

  private async adoptionOf(
    entityRef: string,
    measured: Measured,
    teams: string[],
    cohortTeams: Set<string>,
  ): Promise<InitiativeAdoption> {
    const { at, live } = measured;
    const rows = new Map(measured.rows.map(r => [r.teamRef, r]));
    const result: TeamAdoption[] = [];
    for (const teamRef of teams) {
      const row = rows.get(teamRef);
      const adopted = measured.measurements.adoptedTeams.has(teamRef);
      // Not adopted, never adopted, and in no cohort: nothing to show.
      if (!adopted && !row && !cohortTeams.has(teamRef)) continue;
      const via = measured.via.get(teamRef) ?? [];
      if (adopted) {
        // Snapshotted and not lost since: adopted since then. Otherwise the
        // snapshot has not seen this run yet: adopted since now.
        const since =
          row && !(row.lostAt && row.lostAt.getTime() <= at.getTime())
            ? row.adoptedSince
            : at;
        result.push({
          teamRef,
          state: 'adopted',
          adoptedSince: since.toISOString(),
          via,
        });
      } else if (row && (live || row.lostAt)) {
        // The snapshot saw it adopted, and now the catalog edge is gone.
        result.push({
          teamRef,
          state: 'lost',
          adoptedSince: row.adoptedSince.toISOString(),
          ...(row.lostAt ? { lostAt: row.lostAt.toISOString() } : {}),
          via,
        });
      } else {
        result.push({ teamRef, state: 'not-yet', via });
      }
    }
    const isAdopted = (t: string) => measured.measurements.adoptedTeams.has(t);
    const day = at.toISOString().slice(0, 10);
    const curve = (await this.options.adoption.getCurve(entityRef)).filter(
      point => live || point.day <= day,
    );
    return {
      teams: result,
      adoptedTeams: result.filter(t => t.state === 'adopted').length,
      cohortTeams: cohortTeams.size,
      cohortTeamsAdopted: [...cohortTeams].filter(isAdopted).length,
      curve,
    };
  }

  /** A page of the initiative's events, newest first. */
  async history(
    entityRef: string,
    query: { limit: number; cursor?: string },
    credentials: BackstageCredentials,
  ): Promise<PhaseHistoryPage> {
    await this.entity(entityRef, credentials);
    const beforeVersion = query.cursor
      ? this.options.cursors.openHistory(entityRef, query.cursor)
      : undefined;
    const events = await this.options.phases.listEvents(entityRef, {
      limit: query.limit + 1,
      beforeVersion,
    });
    const page = events.slice(0, query.limit);
    const items = await this.describe(entityRef, page, credentials);
    return {
      items,
      ...(events.length > query.limit
        ? {
            nextCursor: this.options.cursors.sealHistory(
              entityRef,
              page[page.length - 1].version,
            ),
          }
        : {}),
    };
  }

  /** Events in words, with the teams the caller cannot see left out. */
  private async describe(
    entityRef: string,
    events: PhaseEvent[],
    credentials: BackstageCredentials,
  ): Promise<PhaseHistoryEvent[]> {
    if (events.length === 0) return [];
    const titles = await this.titles(entityRef, events);
    const teams = events.flatMap(e => {
      const data = e.data;
      if (data.type === 'pioneer-set' && data.teamRef) return [data.teamRef];
      if (data.type === 'cohort-added' || data.type === 'cohort-updated') {
        return data.cohort.teamRefs;
      }
      return [];
    });
    const visible = await this.options.visibility.refs(teams, credentials);
    return events.map(event => {
      const data = visibleData(event.data, visible);
      const shown: PhaseEvent = {
        ...event,
        data:
          data.type === 'pioneer-set' && data.teamRef === undefined
            ? { type: 'pioneer-set', teamRef: HIDDEN_TEAM }
            : data,
      };
      return {
        version: event.version,
        type: event.data.type,
        occurredAt: event.occurredAt,
        actorRef: event.actorRef,
        ...(event.reason ? { reason: event.reason } : {}),
        summary: describeEvent(shown, id => titles.get(id)),
        data: data as unknown as Record<string, unknown>,
      };
    });
  }

  /**
   * Titles of criteria and names of cohorts by id, from the record; when
   * an event names one removed since, from the whole history.
   */
  private async titles(
    entityRef: string,
    events: PhaseEvent[],
  ): Promise<Map<string, string>> {
    const titles = new Map<string, string>();
    const record = await this.options.phases.getRecord(entityRef);
    for (const c of record?.criteria ?? []) titles.set(c.id, c.title);
    for (const c of record?.cohorts ?? []) titles.set(c.id, c.name);
    const named = events.flatMap(e =>
      e.data.type === 'criterion-set' ||
      e.data.type === 'criterion-removed' ||
      e.data.type === 'cohort-removed'
        ? [e.data.id]
        : [],
    );
    if (named.every(id => titles.has(id))) return titles;
    const all = await this.options.phases.eventsUntil(
      entityRef,
      this.currentTime(),
    );
    // Removed since: the latest title or name the history gave them.
    const earlier = new Map<string, string>();
    for (const { data } of all) {
      if (data.type === 'started') {
        for (const c of data.criteria) earlier.set(c.id, c.title);
      } else if (data.type === 'criterion-added') {
        earlier.set(data.criterion.id, data.criterion.title);
      } else if (
        data.type === 'cohort-added' ||
        data.type === 'cohort-updated'
      ) {
        earlier.set(data.cohort.id, data.cohort.name);
      }
    }
    for (const [id, title] of earlier) {
      if (!titles.has(id)) titles.set(id, title);
    }
    return titles;
  }
}

/** Whether the entity carries a valid float-or-sink decision. */
function hasValidDecision(entity: Entity): boolean {
  const parsed = parseFloatOrSinkAnnotations(entity.metadata.annotations);
  return Boolean(parsed.decision) && parsed.problems.length === 0;
}

/** Whether a snapshot row had the team adopted at `at`. */
function adoptedAt(row: AdoptionRow, at: Date): boolean {
  return (
    row.adoptedSince.getTime() <= at.getTime() &&
    !(row.lostAt && row.lostAt.getTime() <= at.getTime())
  );
}

/**
 * An event's data with teams the caller cannot see left out; a pioneer the
 * caller cannot see has no `teamRef` (the history says "a team you cannot
 * see").
 */
function visibleData(
  data: PhaseEventData,
  visible: Set<string>,
): PhaseEventData | { type: 'pioneer-set'; teamRef: undefined } {
  if (data.type === 'pioneer-set' && data.teamRef) {
    return visible.has(data.teamRef)
      ? data
      : { type: 'pioneer-set', teamRef: undefined };
  }
  if (data.type === 'cohort-added' || data.type === 'cohort-updated') {
    return {
      ...data,
      cohort: {
        ...data.cohort,
        teamRefs: data.cohort.teamRefs.filter(t => visible.has(t)),
      },
    };
  }
  return data;
}
