/*
 * MVP phases benchmark: 2,000 initiatives with 200,000 events (one with
 * 5,000) over a catalog of 20,000 entities, measured over HTTP through the
 * real plugin on SQLite (a file, WAL, as the demo uses) and on PostgreSQL in
 * one run. Run it with `yarn bench:phases` from the repository root; it is
 * not part of the tests.
 *
 * The catalog is an in-memory map with real relations (components depending
 * on the initiatives, APIs they provide and others consume, systems with
 * parts, owning groups), so adoption does its real work while the catalog
 * itself answers in microseconds: the figures are Freeboard's own cost. The
 * catalog calls, SQL statements and garbage-collection pauses of every
 * operation are counted and printed, so a missed target points at its
 * cause (on a busy machine, GC pauses make most of the tail).
 *
 * The seed is decided by the domain's own commands and folded with
 * `applyEvent`, then written as the store writes it (`eventRow`,
 * `initiativeRow`), in bulk; the projections are checked against a replay
 * of their events before anything is measured. A year of daily adoption
 * snapshots is seeded too, so the daily snapshot measured is a steady-state
 * run and every state read carries a year-long curve.
 *
 * Environment: BENCH_INITIATIVES, BENCH_EVENTS, BENCH_BIG_EVENTS,
 * BENCH_ENTITIES, BENCH_ITERATIONS, BENCH_CURVE_DAYS, BENCH_DATABASES
 * (sqlite,postgres), and BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * (default: the local server).
 */
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { MVP_PHASES, MvpPhase } from '@freeboard/backstage-plugin-common';
import { AddressInfo } from 'node:net';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Knex } from 'knex';
import { freeboardPlugin } from '../src/plugin';
import { onScratchDatabases, percentile, random } from './scratch';
import { AdoptionReader } from '../src/phases/adoption';
import { readPhasesConfig } from '../src/phases/config';
import {
  decideAddCriterion,
  decideRequestSignoff,
  decideSetCriterion,
  decideStart,
  decideTransition,
} from '../src/phases/domain/commands';
import { Measurements, evaluate } from '../src/phases/domain/evaluate';
import { PhaseEvent, PhaseEventData } from '../src/phases/domain/events';
import {
  InitiativeRecord,
  applyEvent,
  nextPhase,
  phaseIndex,
  replay,
} from '../src/phases/domain/record';
import { createDatabasePhaseStores } from '../src/phases/store/DatabasePhaseStore';
import {
  ADOPTION,
  ADOPTION_DAYS,
  EVENTS,
  INITIATIVES,
  asStored,
  eventRow,
  initiativeRow,
} from '../src/phases/store/rows';
import { snapshotAdoption } from '../src/phases/tasks';

const INITIATIVE_COUNT = Number(process.env.BENCH_INITIATIVES ?? 2_000);
const EVENT_COUNT = Number(process.env.BENCH_EVENTS ?? 200_000);
const BIG_EVENTS = Number(process.env.BENCH_BIG_EVENTS ?? 5_000);
const ENTITY_COUNT = Number(process.env.BENCH_ENTITIES ?? 20_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 500);
const CURVE_DAYS = Number(process.env.BENCH_CURVE_DAYS ?? 365);

const DAY_MS = 86_400_000;
const WARM_UP = 50;
const LEAD = 'user:default/bench-lead';
const STAKEHOLDERS = [
  'group:default/security',
  'group:default/data-governance',
  'group:default/finance',
  'group:default/architects',
];
const TARGETS = {
  state: 25,
  asOf: 100,
  tick: 50,
  transition: 50,
  snapshotSeconds: 60,
};

/** The plugin's configuration when none is given: default templates and sign-offs. */
const CONFIG = readPhasesConfig(new ConfigReader({}));

/* ------------------------------------------------------------------ */
/* The catalog                                                          */
/* ------------------------------------------------------------------ */

/** Counts of what the catalog was asked, reset per operation. */
interface CatalogCounter {
  calls: number;
  refs: number;
}

interface BenchCatalog {
  service: CatalogService;
  counter: CatalogCounter;
  initiatives: string[];
  teams: string[];
  sizes: Record<string, number>;
}

/**
 * 20,000 entities with the relations adoption reads: initiatives are
 * platform components (each providing an API), shared APIs and systems
 * (with parts providing APIs); the rest are teams' components that depend
 * on initiatives and consume APIs, owned by groups. Popularity is skewed, as
 * in a real catalog: a few capabilities have hundreds of consumers.
 */
function buildCatalog(): BenchCatalog {
  const next = random(20261123);
  const entities = new Map<string, Entity>();
  const add = (
    kind: string,
    name: string,
    spec: Record<string, string> = {},
  ): Entity => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name, namespace: 'default' },
      spec,
      relations: [],
    };
    entities.set(stringifyEntityRef(entity).toLocaleLowerCase('en-US'), entity);
    return entity;
  };
  const ref = (e: Entity) => stringifyEntityRef(e).toLocaleLowerCase('en-US');
  const relate = (
    from: Entity,
    type: string,
    to: Entity,
    inverse: string,
  ): void => {
    from.relations!.push({ type, targetRef: ref(to) });
    to.relations!.push({ type: inverse, targetRef: ref(from) });
  };

  const teamCount = Math.max(20, Math.round(ENTITY_COUNT * 0.03));
  const systemCount = Math.max(1, Math.round(INITIATIVE_COUNT * 0.025));
  const apiCount = Math.max(1, Math.round(INITIATIVE_COUNT * 0.075));
  const componentCount = INITIATIVE_COUNT - systemCount - apiCount;
  const partsPerSystem = 4;

  const platform = add('Group', 'platform');
  for (const group of STAKEHOLDERS) add('Group', group.split('/')[1]);
  const teams = Array.from({ length: teamCount }, (_, i) =>
    add('Group', `team-${i}`),
  );

  const capabilities: Entity[] = [];
  const capabilityApis: Entity[] = [];
  for (let i = 0; i < componentCount; i++) {
    const c = add('Component', `capability-${i}`, { type: 'service' });
    const api = add('API', `capability-${i}-api`, { type: 'openapi' });
    relate(c, 'ownedBy', platform, 'ownerOf');
    relate(api, 'ownedBy', platform, 'ownerOf');
    relate(c, 'providesApi', api, 'apiProvidedBy');
    capabilities.push(c);
    capabilityApis.push(api);
  }
  const sharedApis: Entity[] = [];
  for (let i = 0; i < apiCount; i++) {
    const api = add('API', `shared-api-${i}`, { type: 'openapi' });
    relate(api, 'ownedBy', platform, 'ownerOf');
    sharedApis.push(api);
  }
  const systems: Entity[] = [];
  const parts: Entity[] = [];
  const partApis: Entity[] = [];
  for (let i = 0; i < systemCount; i++) {
    const system = add('System', `suite-${i}`);
    relate(system, 'ownedBy', platform, 'ownerOf');
    for (let k = 0; k < partsPerSystem; k++) {
      const part = add('Component', `suite-${i}-part-${k}`, {
        type: 'service',
      });
      const api = add('API', `suite-${i}-part-${k}-api`, { type: 'grpc' });
      relate(system, 'hasPart', part, 'partOf');
      relate(part, 'ownedBy', platform, 'ownerOf');
      relate(part, 'providesApi', api, 'apiProvidedBy');
      parts.push(part);
      partApis.push(api);
    }
    systems.push(system);
  }

  const consumers = ENTITY_COUNT - entities.size;
  if (consumers < 1) {
    throw new Error(`BENCH_ENTITIES ${ENTITY_COUNT} leaves no consumers`);
  }
  const skewed = <T>(list: T[]) =>
    list[Math.floor(Math.pow(next(), 1.5) * list.length)];
  const uniform = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  let edges = 0;
  for (let i = 0; i < consumers; i++) {
    const c = add('Component', `service-${i}`, { type: 'service' });
    relate(c, 'ownedBy', uniform(teams), 'ownerOf');
    const depends = new Set<Entity>();
    for (let k = 0; k < 2; k++) {
      depends.add(next() < 0.9 ? skewed(capabilities) : uniform(parts));
    }
    for (const target of depends)
      relate(c, 'dependsOn', target, 'dependencyOf');
    const consumes = new Set<Entity>();
    for (let k = 0; k < 2; k++) {
      const r = next();
      if (r < 0.6) consumes.add(skewed(capabilityApis));
      else if (r < 0.85) consumes.add(skewed(sharedApis));
      else consumes.add(uniform(partApis));
    }
    for (const target of consumes) {
      relate(c, 'consumesApi', target, 'apiConsumedBy');
    }
    edges += depends.size + consumes.size;
  }

  const counter: CatalogCounter = { calls: 0, refs: 0 };
  const get = (r: string) => entities.get(r.toLocaleLowerCase('en-US'));
  const service = {
    async getEntityByRef(
      r: string | { kind: string; namespace?: string; name: string },
    ) {
      counter.calls += 1;
      counter.refs += 1;
      return get(typeof r === 'string' ? r : stringifyEntityRef(r));
    },
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      counter.calls += 1;
      counter.refs += request.entityRefs.length;
      return { items: request.entityRefs.map(r => get(r) ?? null) };
    },
  } as unknown as CatalogService;

  return {
    service,
    counter,
    // The most depended-on capability first: it gets the long history.
    initiatives: [
      ...capabilities.map(ref),
      ...sharedApis.map(ref),
      ...systems.map(ref),
    ],
    teams: teams.map(ref),
    sizes: {
      entities: entities.size,
      groups: teamCount + 1 + STAKEHOLDERS.length,
      consumerComponents: consumers,
      relations: edges,
    },
  };
}

/* ------------------------------------------------------------------ */
/* The seed                                                             */
/* ------------------------------------------------------------------ */

interface Seed {
  eventRows: object[];
  initiativeRows: object[];
  adoptionRows: object[];
  dayRows: object[];
  records: Map<string, InitiativeRecord>;
  /** The long history's entity ref and a time in the middle of it. */
  big: { entityRef: string; asOf: string; eventsUntil: number };
  adoptedTeams: number;
}

const REASONS = [
  'The pioneer team found a gap in the golden path',
  'Security review asked for another look',
  'Infrastructure needs rework before more teams join',
];

/**
 * The next event of an initiative's history, decided as leads and
 * stakeholders would: mostly work toward leaving the phase (ticks,
 * approvals, then the advance), sometimes unticks, waivers, steps back,
 * targets, own criteria, extra sign-offs and cohort changes.
 */
function nextEvent(
  record: InitiativeRecord,
  now: Date,
  next: () => number,
  measurements: Measurements,
): { data: PhaseEventData; reason?: string; actorRef?: string } {
  const manual = record.criteria.filter(
    c => c.phase === record.phase && !c.measure,
  );
  const done = manual.filter(c => record.marks[c.id]?.state === 'done');
  const notDone = manual.filter(c => record.marks[c.id]?.state !== 'done');
  const r = next();
  if (r < 0.55) {
    if (notDone.length > 0) {
      return {
        data: decideSetCriterion(
          record,
          notDone[0].id,
          { state: 'done' },
          CONFIG,
          now,
        ),
      };
    }
    const pending = record.signoffs.find(
      s => s.phase === record.phase && s.state !== 'approved',
    );
    if (pending) {
      return {
        actorRef: `user:default/${pending.groupRef.split('/')[1]}-lead`,
        data: {
          type: 'signoff-decided',
          phase: pending.phase,
          groupRef: pending.groupRef,
          decision: next() < 0.9 ? 'approved' : 'rejected',
        },
      };
    }
    const { blockers } = evaluate(record, measurements, now);
    if (blockers.length === 0) {
      return {
        data: decideTransition(
          record,
          nextPhase(record.phase),
          undefined,
          blockers,
        ),
      };
    }
  }
  if (r < 0.7 && done.length > 0) {
    return {
      data: decideSetCriterion(
        record,
        done[Math.floor(next() * done.length)].id,
        { state: 'open' },
        CONFIG,
        now,
      ),
    };
  }
  if (r < 0.8 && notDone.length > 0) {
    const reason = 'Not needed for the first teams';
    return {
      reason,
      data: decideSetCriterion(
        record,
        notDone[Math.floor(next() * notDone.length)].id,
        { state: 'waived', reason },
        CONFIG,
        now,
      ),
    };
  }
  if (r < 0.85 && phaseIndex(record.phase) > 0) {
    const to = MVP_PHASES[Math.floor(next() * phaseIndex(record.phase))];
    const reason = REASONS[Math.floor(next() * REASONS.length)];
    return {
      reason,
      data: decideTransition(record, to, reason, [], 'back'),
    };
  }
  if (r < 0.9) {
    const phase = MVP_PHASES[Math.floor(next() * MVP_PHASES.length)];
    const date = new Date(now.getTime() + (30 + next() * 90) * DAY_MS);
    return {
      data: {
        type: 'target-set',
        phase,
        date: date.toISOString().slice(0, 10),
      },
    };
  }
  const own = record.criteria.filter(
    c => c.phase === record.phase && c.source === 'own',
  );
  if (r < 0.94 && own.length < 8) {
    return {
      data: decideAddCriterion(record, {
        phase: record.phase,
        title: `Runbook reviewed with team ${own.length + 1}`,
      }),
    };
  }
  const architects = STAKEHOLDERS[3];
  if (
    r < 0.96 &&
    !record.signoffs.some(
      s => s.phase === record.phase && s.groupRef === architects,
    )
  ) {
    return {
      data: decideRequestSignoff(record, record.phase, architects),
    };
  }
  if (r < 0.98 && record.cohorts.length > 0) {
    const cohort = record.cohorts[Math.floor(next() * record.cohorts.length)];
    const date = new Date(now.getTime() + (30 + next() * 120) * DAY_MS);
    return {
      data: {
        type: 'cohort-updated',
        cohort: { ...cohort, targetDate: date.toISOString().slice(0, 10) },
      },
    };
  }
  return {
    data: decideSetCriterion(
      record,
      manual[Math.floor(next() * manual.length)].id,
      { state: 'done' },
      CONFIG,
      now,
    ),
  };
}

async function buildSeed(catalog: BenchCatalog, now: number): Promise<Seed> {
  const next = random(7);
  const { initiatives, teams } = catalog;
  if (initiatives.length !== INITIATIVE_COUNT) {
    throw new Error(`Expected ${INITIATIVE_COUNT} initiatives`);
  }
  // Who has adopted what, as the plugin reads it: pioneers and cohorts are
  // chosen from it, and the seeded snapshots agree with it.
  const reader = new AdoptionReader(catalog.service);
  const adopters = await reader.adoptersOfMany(
    initiatives,
    mockCredentials.service() as BackstageCredentials,
  );

  const rest = EVENT_COUNT - BIG_EVENTS;
  const others = INITIATIVE_COUNT - 1;
  const counts = initiatives.map((_, i) =>
    i === 0
      ? BIG_EVENTS
      : Math.floor(rest / others) + (i - 1 < rest % others ? 1 : 0),
  );

  const seed: Seed = {
    eventRows: [],
    initiativeRows: [],
    adoptionRows: [],
    dayRows: [],
    records: new Map(),
    big: { entityRef: initiatives[0], asOf: '', eventsUntil: 0 },
    adoptedTeams: 0,
  };
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const end = now - DAY_MS;

  initiatives.forEach((entityRef, i) => {
    const adopted = [...(adopters.get(entityRef)?.keys() ?? [])];
    const measurements: Measurements = {
      adoptedTeams: new Set(adopted),
      decisionValid: false,
    };
    const count = counts[i];
    const start = now - (i === 0 ? 730 : 400 + next() * 330) * DAY_MS;
    const spacing = (end - start) / count;
    let record: InitiativeRecord | undefined;
    const events: PhaseEvent[] = [];
    const push = (
      at: number,
      e: { data: PhaseEventData; reason?: string; actorRef?: string },
    ) => {
      const event: PhaseEvent = {
        version: events.length + 1,
        occurredAt: new Date(Math.floor(at)).toISOString(),
        actorRef: e.actorRef ?? LEAD,
        ...(e.reason ? { reason: e.reason } : {}),
        data: e.data,
      };
      record = applyEvent(record, event, entityRef);
      events.push(event);
    };
    const firstCohort = [
      ...adopted.slice(0, 4),
      ...Array.from({ length: 2 }, () => pick(teams)),
    ];
    const secondCohort = Array.from({ length: 6 }, () => pick(teams));
    for (let k = 0; k < count; k++) {
      const at = start + k * spacing + next() * spacing * 0.5;
      if (k === 0) push(at, { data: decideStart(CONFIG) });
      else if (k === 1) {
        push(at, {
          data: {
            type: 'pioneer-set',
            teamRef: adopted.length > 0 ? adopted[0] : pick(teams),
          },
        });
      } else if (k === 2 || k === 3) {
        const target = new Date(at + (60 + k * 30) * DAY_MS);
        push(at, {
          data: {
            type: 'cohort-added',
            cohort: {
              id: `cohort-${record!.version + 1}`,
              name: k === 2 ? 'Wave 1' : 'Wave 2',
              targetDate: target.toISOString().slice(0, 10),
              teamRefs: [...new Set(k === 2 ? firstCohort : secondCohort)],
            },
          },
        });
      } else {
        push(at, nextEvent(record!, new Date(at), next, measurements));
      }
    }
    seed.records.set(entityRef, asStored(record!));
    seed.initiativeRows.push(initiativeRow(record!));
    for (const event of events) {
      seed.eventRows.push(eventRow(entityRef, event));
    }
    if (i === 0) {
      const middle = events[Math.floor(events.length / 2)];
      seed.big.asOf = middle.occurredAt;
      seed.big.eventsUntil = events.filter(
        e => e.occurredAt <= middle.occurredAt,
      ).length;
    }

    // A year of daily snapshots that agree with today's catalog: each team
    // adopted on some day since the start, and a few lost adoptions.
    const runs: Array<{ team: string; since: number; lost?: number }> =
      adopted.map(team => ({
        team,
        since: start + next() * (end - start),
      }));
    if (next() < 0.1) {
      const team = pick(teams);
      if (!adopted.includes(team)) {
        const since = start + next() * (end - start) * 0.5;
        runs.push({ team, since, lost: since + next() * (end - since) });
      }
    }
    for (const run of runs) {
      seed.adoptionRows.push({
        entity_ref: entityRef,
        team_ref: run.team,
        adopted_since: new Date(Math.floor(run.since)),
        lost_at: run.lost ? new Date(Math.floor(run.lost)) : null,
      });
    }
    seed.adoptedTeams += adopted.length;
    const firstDay = Math.max(
      Math.floor(start / DAY_MS),
      Math.floor(end / DAY_MS) - CURVE_DAYS + 1,
    );
    for (let day = firstDay; day <= Math.floor(end / DAY_MS); day++) {
      const endOfDay = (day + 1) * DAY_MS;
      seed.dayRows.push({
        entity_ref: entityRef,
        day: new Date(day * DAY_MS).toISOString().slice(0, 10),
        adopted: runs.filter(
          r =>
            r.since < endOfDay && !(r.lost !== undefined && r.lost < endOfDay),
        ).length,
      });
    }
  });
  if (seed.eventRows.length !== EVENT_COUNT) {
    throw new Error(`Seeded ${seed.eventRows.length} events`);
  }
  return seed;
}

async function insertAll(
  knex: Knex,
  table: string,
  rows: object[],
  columns: number,
  isPostgres: boolean,
) {
  // knex writes a multi-row SQLite insert as a compound select, capped at
  // 500; PostgreSQL takes up to 65,535 bound values per statement.
  const batch = isPostgres ? Math.floor(30_000 / columns) : 450;
  for (let i = 0; i < rows.length; i += batch) {
    await knex(table).insert(rows.slice(i, i + batch));
  }
}

/* ------------------------------------------------------------------ */
/* Measuring                                                            */
/* ------------------------------------------------------------------ */

/** SQL statements run per operation, with their time, from knex's events. */
class QueryProfile {
  private readonly started = new Map<string, bigint>();
  private statements = new Map<string, { count: number; ms: number }>();
  active = false;

  constructor(knex: Knex) {
    knex.on('query', (q: { __knexQueryUid: string }) => {
      if (this.active)
        this.started.set(q.__knexQueryUid, process.hrtime.bigint());
    });
    const done = (q: { __knexQueryUid: string; sql: string }) => {
      const t0 = this.started.get(q.__knexQueryUid);
      if (t0 === undefined) return;
      this.started.delete(q.__knexQueryUid);
      // One entry per statement shape: bound values differ, the SQL does not.
      const sql = q.sql
        .replace(/\s+/g, ' ')
        .replace(/(\?|\$\d+)(, ?(\?|\$\d+))+/g, '…');
      const entry = this.statements.get(sql) ?? { count: 0, ms: 0 };
      entry.count += 1;
      entry.ms += Number(process.hrtime.bigint() - t0) / 1e6;
      this.statements.set(sql, entry);
    };
    knex.on('query-response', (_r: unknown, q: any) => done(q));
    knex.on('query-error', (_e: unknown, q: any) => done(q));
  }

  reset() {
    this.statements = new Map();
    this.started.clear();
  }

  summary(requests: number) {
    const all = [...this.statements.entries()].sort(
      (a, b) => b[1].ms - a[1].ms,
    );
    const count = all.reduce((n, [, s]) => n + s.count, 0);
    const ms = all.reduce((n, [, s]) => n + s.ms, 0);
    return {
      queriesPerRequest: count / requests,
      dbMsPerRequest: ms / requests,
      top: all
        .slice(0, 3)
        .map(
          ([sql, s]) =>
            `${(s.ms / requests).toFixed(2)} ms/request in ${(
              s.count / requests
            ).toFixed(1)}× \`${sql.slice(0, 140)}\``,
        ),
    };
  }
}

/** A full collection on demand, to report the live heap (not to tidy up before measuring). */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
const liveHeapMiB = () => {
  collectGarbage();
  return (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0);
};

/** Garbage-collection pauses, to tell the heap's tail from the plugin's. */
const gcPauses: Array<{ start: number; end: number }> = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    gcPauses.push({
      start: entry.startTime,
      end: entry.startTime + entry.duration,
    });
  }
}).observe({ entryTypes: ['gc'] });

interface Measured {
  p50: number;
  p99: number;
  profile: string;
}

async function measure(
  catalog: BenchCatalog,
  profile: QueryProfile,
  iterations: number,
  run: (i: number) => Promise<void>,
): Promise<Measured> {
  for (let i = 0; i < Math.min(WARM_UP, iterations); i++) await run(i);
  const spans: Array<{ start: number; end: number }> = [];
  catalog.counter.calls = 0;
  catalog.counter.refs = 0;
  profile.reset();
  profile.active = true;
  const from = performance.now();
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run(WARM_UP + i);
    spans.push({ start, end: performance.now() });
  }
  profile.active = false;
  // GC entries are delivered asynchronously.
  await new Promise(resolve => setTimeout(resolve, 20));
  const pauses = gcPauses.filter(g => g.start >= from);
  const times = spans.map(r => r.end - r.start).sort((a, b) => a - b);
  const p99 = percentile(times, 99);
  // The slowest 1% of requests, and how many of them a GC pause of 5 ms or
  // more fell into.
  const slow = spans.filter(r => r.end - r.start >= p99);
  const slowWithGc = slow.filter(r =>
    pauses.some(
      g => g.end - g.start >= 5 && g.start < r.end && g.end > r.start,
    ),
  ).length;
  const gcMs = pauses.reduce((n, g) => n + g.end - g.start, 0);
  const gcMax = pauses.reduce((n, g) => Math.max(n, g.end - g.start), 0);
  const q = profile.summary(iterations);
  return {
    p50: percentile(times, 50),
    p99,
    profile: `GC ${pauses.length} pauses, ${gcMs.toFixed(
      0,
    )} ms in all, longest ${gcMax.toFixed(1)} ms, in ${slowWithGc} of the ${
      slow.length
    } slowest requests; ${(catalog.counter.calls / iterations).toFixed(
      1,
    )} catalog calls (${(catalog.counter.refs / iterations).toFixed(
      0,
    )} refs), ${q.queriesPerRequest.toFixed(
      1,
    )} SQL statements taking ${q.dbMsPerRequest.toFixed(
      2,
    )} ms per request; slowest: ${q.top.join('; ')}`,
  };
}

interface Result {
  state: Measured;
  asOf: Measured;
  tick: Measured;
  transition: Measured;
  snapshotSeconds: number;
  seedSizes: { adoptionRows: number; dayRows: number };
  notes: string[];
}

async function benchmark(
  name: string,
  knex: Knex,
  isPostgres: boolean,
  catalog: BenchCatalog,
  makeSeed: () => Promise<Seed>,
): Promise<Result> {
  const notes: string[] = [];
  const g0 = Date.now();
  const seed = await makeSeed();
  notes.push(
    `${name}: generated the seed's events with the domain's commands in ${(
      (Date.now() - g0) /
      1000
    ).toFixed(1)} s`,
  );
  const { server } = await startTestBackend({
    features: [
      freeboardPlugin,
      createServiceFactory({
        service: coreServices.database,
        deps: {},
        factory: () => ({ getClient: async () => knex }),
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog.service,
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  try {
    const base = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/freeboard/phases/entities`;
    const headers = {
      authorization: mockCredentials.user.header(LEAD),
      'content-type': 'application/json',
    };

    const t0 = Date.now();
    await insertAll(knex, INITIATIVES, seed.initiativeRows, 7, isPostgres);
    await insertAll(knex, EVENTS, seed.eventRows, 7, isPostgres);
    await insertAll(knex, ADOPTION, seed.adoptionRows, 4, isPostgres);
    await insertAll(knex, ADOPTION_DAYS, seed.dayRows, 3, isPostgres);
    const seedSizes = {
      adoptionRows: seed.adoptionRows.length,
      dayRows: seed.dayRows.length,
    };
    // Written: the rows are let go, so that a heap holding them is not what
    // the requests' garbage collections pay for.
    seed.initiativeRows = [];
    seed.eventRows = [];
    seed.adoptionRows = [];
    seed.dayRows = [];
    if (isPostgres) await knex.raw('analyze');
    notes.push(`${name}: seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // The projections are the fold of their events: checked on the long
    // history and a sample of the rest before anything is measured.
    const stores = createDatabasePhaseStores({ client: knex });
    const sample = [
      seed.big.entityRef,
      ...catalog.initiatives.filter((_, i) => i % 97 === 1),
    ];
    for (const entityRef of sample) {
      const events = await stores.phases.eventsUntil(entityRef, new Date());
      expect(asStored(replay(entityRef, events))).toEqual(
        await stores.phases.getRecord(entityRef),
      );
    }
    const [{ n }] = await knex(EVENTS).count({ n: '*' });
    expect(Number(n)).toBe(EVENT_COUNT);

    const profile = new QueryProfile(knex);
    notes.push(`${name}: live heap before measuring ${liveHeapMiB()} MiB`);
    const path_ = (entityRef: string) => {
      const [kind, rest] = entityRef.split(':');
      const [namespace, entityName] = rest.split('/');
      return `${base}/${kind}/${namespace}/${entityName}`;
    };
    const call = async (url: string, init?: RequestInit) => {
      const res = await fetch(url, { ...init, headers });
      const text = await res.text();
      if (!res.ok) throw new Error(`${url}: ${res.status} ${text}`);
      return JSON.parse(text);
    };
    const next = random(11);
    const records = new Map(
      [...seed.records].map(([k, v]) => [k, structuredClone(v)]),
    );

    // State read: any initiative, as the card and the tab ask.
    const state = await measure(catalog, profile, ITERATIONS, async () => {
      const entityRef =
        catalog.initiatives[Math.floor(next() * INITIATIVE_COUNT)];
      const body = await call(path_(entityRef));
      if (body.version !== records.get(entityRef)!.version) {
        throw new Error(`${entityRef}: version ${body.version}`);
      }
    });

    // As-of read of the long history, half-way through it.
    const asOfUrl = `${path_(seed.big.entityRef)}?asOf=${encodeURIComponent(
      seed.big.asOf,
    )}`;
    const asOf = await measure(catalog, profile, ITERATIONS, async () => {
      const body = await call(asOfUrl);
      if (body.version !== seed.big.eventsUntil) {
        throw new Error(`as-of version ${body.version}`);
      }
    });

    // Transitions: initiatives in Deployment whose Integration is cleared,
    // so stepping back (with a reason) and advancing again are both real.
    const now = new Date(Date.now() + 60 * 60 * 1000);
    const pool = catalog.initiatives.filter(entityRef => {
      const record = records.get(entityRef)!;
      if (record.phase !== 'deployment' || entityRef === seed.big.entityRef) {
        return false;
      }
      const back = applyEvent(
        record,
        {
          version: record.version + 1,
          occurredAt: now.toISOString(),
          actorRef: LEAD,
          reason: REASONS[0],
          data: { type: 'stepped-back', from: 'deployment', to: 'integration' },
        },
        entityRef,
      );
      return (
        evaluate(back, { adoptedTeams: new Set(), decisionValid: false }, now)
          .blockers.length === 0
      );
    });
    if (pool.length === 0)
      throw new Error('No initiative can step back and advance');
    const inPool = new Set(pool);

    // Tick: a manual criterion of the current phase, done or open in turn.
    const tickable = catalog.initiatives.filter(r => !inPool.has(r));
    const tick = await measure(catalog, profile, ITERATIONS, async () => {
      const entityRef = tickable[Math.floor(next() * tickable.length)];
      const record = records.get(entityRef)!;
      const criterion = record.criteria.find(
        c => c.phase === record.phase && !c.measure,
      )!;
      const to = record.marks[criterion.id]?.state === 'done' ? 'open' : 'done';
      const body = await call(
        `${path_(entityRef)}/criteria/${encodeURIComponent(criterion.id)}`,
        {
          method: 'PUT',
          body: JSON.stringify({ state: to, expectedVersion: record.version }),
        },
      );
      record.version = body.state.version;
      record.marks[criterion.id] = { state: to, by: LEAD, at: '' };
    });

    let turn = 0;
    const transition = await measure(catalog, profile, ITERATIONS, async () => {
      const entityRef = pool[turn++ % pool.length];
      const record = records.get(entityRef)!;
      const back = record.phase === 'deployment';
      const to: MvpPhase = back ? 'integration' : 'deployment';
      const body = await call(`${path_(entityRef)}/transitions`, {
        method: 'POST',
        body: JSON.stringify({
          to,
          expectedVersion: record.version,
          ...(back ? { reason: REASONS[turn % REASONS.length] } : {}),
        }),
      });
      if (body.state.phase !== to) {
        throw new Error(`${entityRef}: in ${body.state.phase}, not ${to}`);
      }
      record.version = body.state.version;
      record.phase = to;
    });
    notes.push(
      `${name}: transitions alternate over ${pool.length} initiatives in Deployment; ticks over ${tickable.length} others`,
    );

    // Controls, to read the figures against: a database round trip on this
    // machine now, and where an as-of read's time goes without HTTP.
    const timed = async (count: number, work: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const t = process.hrtime.bigint();
        await work();
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      times.sort((a, b) => a - b);
      return `p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(
        times,
        99,
      ).toFixed(2)} ms`;
    };
    const roundTrip = await timed(ITERATIONS, () => knex.raw('select 1'));
    const asOfDate = new Date(seed.big.asOf);
    const load = await timed(50, () =>
      stores.phases.eventsUntil(seed.big.entityRef, asOfDate),
    );
    const events = await stores.phases.eventsUntil(
      seed.big.entityRef,
      asOfDate,
    );
    const fold = await timed(50, async () =>
      replay(seed.big.entityRef, events),
    );
    notes.push(
      `${name}: \`select 1\` round trip ${roundTrip}; as-of parts without HTTP: ` +
        `eventsUntil (${events.length} events) ${load}, replay ${fold}`,
    );

    // The daily adoption snapshot of every initiative, once, as the task runs it.
    const snapshotDeps = {
      phases: stores.phases,
      adoption: stores.adoption,
      reader: new AdoptionReader(catalog.service),
      auth: mockServices.auth(),
      logger: mockServices.rootLogger({ level: 'warn' }),
    };
    catalog.counter.calls = 0;
    catalog.counter.refs = 0;
    profile.reset();
    profile.active = true;
    const s0 = Date.now();
    const snapshot = await snapshotAdoption(snapshotDeps);
    const snapshotSeconds = (Date.now() - s0) / 1000;
    profile.active = false;
    expect(snapshot.initiatives).toBe(INITIATIVE_COUNT);
    expect(snapshot.adoptedTeams).toBe(seed.adoptedTeams);
    const snapshotSql = profile.summary(1);
    notes.push(
      `${name}: the daily snapshot recorded ${
        snapshot.initiatives
      } initiatives (${
        snapshot.adoptedTeams
      } adopting teams, all known: a steady-state day) with ${
        catalog.counter.calls
      } catalog calls (${catalog.counter.refs} refs) and ${
        snapshotSql.queriesPerRequest
      } SQL statements taking ${(snapshotSql.dbMsPerRequest / 1000).toFixed(
        1,
      )} s`,
    );
    // Not a target: the first snapshot after installing, when every
    // adopting team is new, the heaviest run there is.
    await knex(ADOPTION).delete();
    const f0 = Date.now();
    await snapshotAdoption({
      ...snapshotDeps,
      now: () => new Date(Date.now() + DAY_MS),
    });
    notes.push(
      `${name}: a first snapshot (no earlier rows: ${
        seed.adoptedTeams
      } inserts) takes ${((Date.now() - f0) / 1000).toFixed(1)} s`,
    );
    for (const [label, m] of [
      ['state read', state],
      ['as-of read', asOf],
      ['tick', tick],
      ['transition', transition],
    ] as const) {
      notes.push(`${name} ${label}: ${m.profile}`);
    }
    notes.push(`${name}: live heap at the end ${liveHeapMiB()} MiB`);
    return {
      state,
      asOf,
      tick,
      transition,
      snapshotSeconds,
      seedSizes,
      notes,
    };
  } finally {
    await server.close();
  }
}

describe('MVP phases benchmark', () => {
  it('meets the targets', async () => {
    const wall = Date.now();
    const g0 = Date.now();
    const catalog = buildCatalog();
    const generated = (Date.now() - g0) / 1000;
    // Each database gets the same seed (the generator is deterministic),
    // generated afresh so that no database's rows stay in the heap.
    const seedAt = Date.now();
    const makeSeed = () => buildSeed(catalog, seedAt);

    const results: Record<string, Result> = await onScratchDatabases(
      'freeboard_phases_bench',
      (label, knex, isPostgres) =>
        benchmark(label, knex, isPostgres, catalog, makeSeed),
    );

    const engines = ['SQLite', 'PostgreSQL'];
    const ms = (v?: number) => (v === undefined ? '—' : `${v.toFixed(1)} ms`);
    const failures: string[] = [];
    const rows: string[] = [];
    for (const [label, key, target] of [
      ['state read (GET E)', 'state', TARGETS.state],
      [
        `as-of read, ${BIG_EVENTS}-event initiative (GET E?asOf=)`,
        'asOf',
        TARGETS.asOf,
      ],
      ['tick (PUT E/criteria/:id)', 'tick', TARGETS.tick],
      ['transition (POST E/transitions)', 'transition', TARGETS.transition],
    ] as const) {
      const cells = engines.map(engine => {
        const m = results[engine]?.[key];
        if (m && m.p99 > target) {
          failures.push(
            `${engine} ${label}: p99 ${m.p99.toFixed(1)} ms > ${target} ms`,
          );
        }
        return `${ms(m?.p50)} | ${ms(m?.p99)}`;
      });
      rows.push(`| ${label} | ${cells.join(' | ')} | p99 ≤ ${target} ms |`);
    }
    const snapshotCells = engines.map(engine => {
      const s = results[engine]?.snapshotSeconds;
      if (s !== undefined && s > TARGETS.snapshotSeconds) {
        failures.push(
          `${engine} adoption snapshot: ${s.toFixed(1)} s > ${
            TARGETS.snapshotSeconds
          } s`,
        );
      }
      return `${s === undefined ? '—' : `${s.toFixed(1)} s`} | —`;
    });
    rows.push(
      `| daily adoption snapshot, ${INITIATIVE_COUNT} initiatives (wall time) | ${snapshotCells.join(
        ' | ',
      )} | ≤ ${TARGETS.snapshotSeconds} s |`,
    );

    const { sizes } = catalog;
    const seedSizes = Object.values(results)[0]?.seedSizes;
    const lines = [
      '',
      `MVP phases benchmark: ${INITIATIVE_COUNT} initiatives, ${EVENT_COUNT} events (one initiative with ${BIG_EVENTS}), ` +
        `a catalog of ${sizes.entities} entities (${sizes.groups} groups, ${sizes.consumerComponents} consumer components, ` +
        `${sizes.relations} dependsOn/consumesApi edges), ${seedSizes?.adoptionRows} adoption rows and ` +
        `${seedSizes?.dayRows} daily curve points; ${ITERATIONS} sequential HTTP requests per operation after ${WARM_UP} warm-up`,
      '',
      '| operation | SQLite p50 | SQLite p99 | PostgreSQL p50 | PostgreSQL p99 | target |',
      '|---|---:|---:|---:|---:|---|',
      ...rows,
      '',
      `- built the catalog in ${generated.toFixed(1)} s`,
      ...engines.flatMap(e => results[e]?.notes ?? []).map(n => `- ${n}`),
      `- whole run: ${((Date.now() - wall) / 1000).toFixed(0)} s`,
      ...(failures.length > 0
        ? ['', `Targets missed: ${failures.join('; ')}`]
        : ['', 'Every target met.']),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    expect(Object.keys(results).length).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});
