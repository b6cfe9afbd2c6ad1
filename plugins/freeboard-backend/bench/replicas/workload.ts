import { randomUUID } from 'node:crypto';
import { PORTFOLIO_SORTS } from '@freeboard/backstage-plugin-common';
import { random } from '../scratch';
import { sleep } from './cluster';
import { RouteClass, Traffic } from './traffic';

/*
 * The mixed load of the replica test: readers opening entity pages and the
 * portfolio, platform leads recording and reverting trust entries with
 * idempotency keys, developers sending pulses, and leads running MVP
 * initiatives through every phase write, with transitions that three
 * replicas contest at once. Clients pick a replica at random for every
 * request; a request that gets no answer or a 5xx is sent again, with the
 * same idempotency key, to another replica. Some requests are repeated on
 * purpose: the same key again, at once or later, on another replica.
 *
 * What the servers acknowledged is kept, for the invariants checked after.
 */

export const API = '/api/freeboard';

export interface Tokens {
  /** A platform lead (ada.platform). */
  lead: string;
  /** A member of the security group (sam.security): decides sign-offs. */
  stakeholder: string;
  /** A developer of the payments team (paula.payments): sends pulses. */
  developer: string;
}

export interface Answer {
  status: number;
  body: any;
  headers?: Headers;
}

/** A trust entry a server acknowledged, by its idempotency key. */
export interface AcknowledgedEntry {
  key: string;
  entityRef: string;
  entryId: string;
  title: string;
}

/** One transition (or start) three replicas were asked for at once. */
export interface Contest {
  entityRef: string;
  kind: 'start' | 'transition';
  fromVersion: number;
  contenders: { replica: number; reason: string; status: number }[];
}

/** What the load was acknowledged, for the checks after it. */
export interface Acknowledged {
  /** Every idempotency key sent, with the title its entry would carry. */
  keysSent: Map<string, { entityRef: string; title: string }>;
  entries: Map<string, AcknowledgedEntry>;
  /** Ids of entries whose revert was acknowledged, with the revert's id. */
  reverts: Map<string, string>;
  /** Requests repeating a key that answered with a different entry. */
  replayMismatches: string[];
  /** Phase writes answered 2xx: the entity and the version it produced. */
  phaseWrites: { entityRef: string; version: number; operation: string }[];
  contests: Contest[];
}

export interface LoadOptions {
  replicas: string[];
  tokens: Tokens;
  traffic: Traffic;
  durationMs: number;
  /** Capabilities of the sample catalog, for reads, entries and pulses. */
  capabilities: string[];
  /** Components of the load's own, for trust entries and reads. */
  components: string[];
  /** Components whose initiatives only this load writes to, one per lead. */
  initiatives: string[];
  teams: string[];
  /** The groups the stakeholder belongs to, and so may sign off for. */
  stakeholderGroups: string[];
  clients: {
    readers: number;
    recorders: number;
    developers: number;
    leads: number;
  };
  seed: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 8;

function pathOf(entityRef: string): string {
  const [kind, rest] = entityRef.split(':');
  const [namespace, name] = rest.split('/');
  return `${kind}/${namespace}/${name}`;
}

export class Load {
  readonly acknowledged: Acknowledged = {
    keysSent: new Map(),
    entries: new Map(),
    reverts: new Map(),
    replayMismatches: [],
    phaseWrites: [],
    contests: [],
  };
  private readonly rand: () => number;
  private deadline = 0;

  constructor(private readonly options: LoadOptions) {
    this.rand = random(options.seed);
  }

  private pick<T>(items: T[]): T {
    return items[Math.floor(this.rand() * items.length)];
  }

  private replicaOtherThan(replica: number): number {
    const n = this.options.replicas.length;
    return (replica + 1 + Math.floor(this.rand() * (n - 1))) % n;
  }

  /** One request, recorded; never throws. */
  async send(options: {
    replica: number;
    method: string;
    path: string;
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    routeClass: RouteClass;
    operation: string;
  }): Promise<Answer> {
    const { traffic } = this.options;
    const sentAt = traffic.now();
    const t0 = performance.now();
    let status = 0;
    let body: any;
    let headers: Headers | undefined;
    let error: string | undefined;
    try {
      const response = await fetch(
        `${this.options.replicas[options.replica]}${API}${options.path}`,
        {
          method: options.method,
          headers: {
            ...(options.token
              ? { authorization: `Bearer ${options.token}` }
              : {}),
            ...(options.body !== undefined
              ? { 'content-type': 'application/json' }
              : {}),
            ...options.headers,
          },
          body:
            options.body !== undefined
              ? JSON.stringify(options.body)
              : undefined,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        },
      );
      status = response.status;
      headers = response.headers;
      const text = await response.text();
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      error = cause?.code ?? (e as Error).name;
      status = 0;
    }
    traffic.samples.push({
      routeClass: options.routeClass,
      operation: options.operation,
      replica: options.replica,
      status,
      ms: performance.now() - t0,
      sentAt,
      error:
        error ??
        (status >= 400
          ? String(body?.error?.message ?? body).slice(0, 200)
          : undefined),
    });
    return { status, body, headers };
  }

  /**
   * Sends until a replica answers with something other than a 5xx, moving
   * to another replica after each failure: what a client behind a load
   * balancer with retries sees.
   */
  async sendRetrying(
    options: Omit<Parameters<Load['send']>[0], 'replica'> & {
      replica?: number;
    },
  ): Promise<Answer & { replica: number }> {
    let replica =
      options.replica ?? Math.floor(this.rand() * this.options.replicas.length);
    let answer: Answer = { status: 0, body: undefined };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      answer = await this.send({ ...options, replica });
      if (answer.status !== 0 && answer.status < 500) break;
      await sleep(250 * (attempt + 1));
      replica = this.replicaOtherThan(replica);
    }
    return { ...answer, replica };
  }

  async run(): Promise<void> {
    const { clients } = this.options;
    this.deadline = Date.now() + this.options.durationMs;
    const actors: Promise<void>[] = [];
    for (let i = 0; i < clients.readers; i++) actors.push(this.reader());
    for (let i = 0; i < clients.recorders; i++) actors.push(this.recorder());
    for (let i = 0; i < clients.developers; i++) actors.push(this.developer());
    const per = Math.ceil(this.options.initiatives.length / clients.leads);
    for (let i = 0; i < clients.leads; i++) {
      const own = this.options.initiatives.slice(i * per, (i + 1) * per);
      if (own.length) actors.push(this.lead(own));
    }
    await Promise.all(actors);
  }

  private get running() {
    return Date.now() < this.deadline;
  }

  // --- Readers -------------------------------------------------------------

  private async reader(): Promise<void> {
    const { tokens, capabilities, teams, initiatives } = this.options;
    const people = [tokens.lead, tokens.stakeholder, tokens.developer];
    while (this.running) {
      const token = this.pick(people);
      const replica = Math.floor(this.rand() * this.options.replicas.length);
      const roll = this.rand();
      if (roll < 0.45) {
        // An entity page: its three cards load together.
        const entity = pathOf(
          this.pick([...capabilities, ...initiatives.slice(0, 4)]),
        );
        await Promise.all([
          this.send({
            replica,
            token,
            method: 'GET',
            path: `/trust/entities/${entity}`,
            routeClass: 'read: entity page',
            operation: 'getTrustSummary',
          }),
          this.send({
            replica,
            token,
            method: 'GET',
            path: `/phases/entities/${entity}`,
            routeClass: 'read: entity page',
            operation: 'getInitiative',
          }),
          this.send({
            replica,
            token,
            method: 'GET',
            path: `/decisions/entities/${entity}`,
            routeClass: 'read: entity page',
            operation: 'getDecision',
          }),
        ]);
      } else if (roll < 0.65) {
        const sort = this.pick([...PORTFOLIO_SORTS]);
        await this.send({
          replica,
          token,
          method: 'GET',
          path: `/portfolio?limit=50&sort=${sort}&order=${this.pick([
            'asc',
            'desc',
          ])}`,
          routeClass: 'read: portfolio',
          operation: 'getPortfolio',
        });
      } else if (roll < 0.7) {
        await this.send({
          replica,
          token,
          method: 'GET',
          path: '/portfolio/summary',
          routeClass: 'read: portfolio',
          operation: 'getPortfolioSummary',
        });
      } else {
        const entity = pathOf(this.pick(capabilities));
        const other = this.pick([
          {
            path: `/trust/entities/${entity}/trend?days=90`,
            op: 'getTrustTrend',
          },
          {
            path: `/trust/entities/${entity}/entries?limit=20`,
            op: 'listTrustEntries',
          },
          { path: '/trust/leaderboard?limit=10', op: 'getTrustLeaderboard' },
          { path: '/thickness', op: 'getThickness' },
          {
            path: `/consumers/${pathOf(this.pick(teams))}/balances`,
            op: 'getConsumerView',
          },
          {
            path: `/phases/entities/${pathOf(
              this.pick(initiatives),
            )}/history?limit=20`,
            op: 'listPhaseHistory',
          },
          {
            path: `/decisions/entities/${entity}/history`,
            op: 'listDecisionHistory',
          },
        ]);
        await this.send({
          replica,
          token,
          method: 'GET',
          path: other.path,
          routeClass: 'read: other',
          operation: other.op,
        });
      }
    }
  }

  // --- Trust entries: idempotency keys, deliberate retries, reverts -------

  private entryBody(key: string) {
    const earn = this.rand() < 0.6;
    return {
      direction: earn ? 'earn' : 'spend',
      category: earn
        ? this.pick(['pain-point-removed', 'docs-improved'])
        : this.pick(['migration', 'breaking-change']),
      amount: Math.round((1 + this.rand() * 20) * 100) / 100,
      title: `Replica load ${key}`,
      consumerRef: this.pick(this.options.teams),
    };
  }

  private acknowledge(key: string, entityRef: string, answer: Answer) {
    if (answer.status !== 201) return;
    const entryId = String(answer.body?.entry?.id);
    const known = this.acknowledged.entries.get(key);
    if (known && known.entryId !== entryId) {
      this.acknowledged.replayMismatches.push(
        `${key}: ${known.entryId} then ${entryId}`,
      );
      return;
    }
    this.acknowledged.entries.set(key, {
      key,
      entityRef,
      entryId,
      title: answer.body?.entry?.title,
    });
  }

  private async recorder(): Promise<void> {
    const { tokens, capabilities, components } = this.options;
    const targets = [...capabilities, ...components];
    while (this.running) {
      const entityRef = this.pick(targets);
      const entity = pathOf(entityRef);
      const roll = this.rand();
      if (roll < 0.1 && this.acknowledged.entries.size > 0) {
        await this.revertOne(tokens.lead);
        continue;
      }
      if (roll < 0.2) {
        await this.sendRetrying({
          token: tokens.lead,
          method: 'POST',
          path: `/trust/entities/${entity}/preflight`,
          body: { category: 'migration', amount: 10 },
          routeClass: 'read: other',
          operation: 'preflightTrustSpend',
        });
        continue;
      }
      const key = randomUUID();
      const body = this.entryBody(key);
      this.acknowledged.keysSent.set(key, { entityRef, title: body.title });
      const request = {
        token: tokens.lead,
        method: 'POST',
        path: `/trust/entities/${entity}/entries`,
        body,
        headers: { 'idempotency-key': key },
        routeClass: 'write: trust entry' as const,
        operation: 'recordTrustEntry',
      };
      if (roll < 0.3) {
        // The same key on two replicas at once: a client that timed out
        // early and retried while its first request was still running.
        const first = Math.floor(this.rand() * this.options.replicas.length);
        const answers = await Promise.all([
          this.sendRetrying({ ...request, replica: first }),
          this.sendRetrying({
            ...request,
            replica: this.replicaOtherThan(first),
          }),
        ]);
        for (const answer of answers) this.acknowledge(key, entityRef, answer);
        continue;
      }
      const answer = await this.sendRetrying(request);
      this.acknowledge(key, entityRef, answer);
      if (roll < 0.45) {
        // A deliberate retry, later, on another replica.
        await sleep(this.rand() * 500);
        this.acknowledge(
          key,
          entityRef,
          await this.sendRetrying({
            ...request,
            replica: this.replicaOtherThan(answer.replica),
          }),
        );
      }
    }
  }

  private async revertOne(token: string): Promise<void> {
    const candidates = [...this.acknowledged.entries.values()].filter(
      e => !this.acknowledged.reverts.has(e.entryId),
    );
    if (!candidates.length) return;
    const entry = this.pick(candidates);
    const answer = await this.sendRetrying({
      token,
      method: 'POST',
      path: `/trust/entities/${pathOf(entry.entityRef)}/entries/${
        entry.entryId
      }/revert`,
      body: { reason: `Replica load: reverting ${entry.key}` },
      routeClass: 'write: trust revert',
      operation: 'revertTrustEntry',
    });
    if (answer.status === 201 || answer.status === 200) {
      this.acknowledged.reverts.set(
        entry.entryId,
        String(answer.body?.entry?.id),
      );
    }
  }

  // --- Pulses ---------------------------------------------------------------

  private async developer(): Promise<void> {
    const { tokens, capabilities } = this.options;
    while (this.running) {
      const entity = pathOf(this.pick(capabilities));
      if (this.rand() < 0.75) {
        await this.sendRetrying({
          token: tokens.developer,
          method: 'PUT',
          path: `/trust/entities/${entity}/pulse`,
          body: {
            sentiment: this.pick(['up', 'down']),
            comment: 'Replica load',
          },
          routeClass: 'write: pulse',
          operation: 'putTrustPulse',
        });
      } else {
        await this.sendRetrying({
          token: tokens.developer,
          method: 'DELETE',
          path: `/trust/entities/${entity}/pulse`,
          routeClass: 'write: pulse',
          operation: 'deleteTrustPulse',
        });
      }
      await sleep(this.rand() * 100);
    }
  }

  // --- MVP initiatives ------------------------------------------------------

  private async stateOf(entityRef: string): Promise<any | undefined> {
    const answer = await this.sendRetrying({
      token: this.options.tokens.lead,
      method: 'GET',
      path: `/phases/entities/${pathOf(entityRef)}`,
      routeClass: 'read: entity page',
      operation: 'getInitiative',
    });
    return answer.status === 200 ? answer.body : undefined;
  }

  /** A phase write by the lead; answers the new state, or undefined. */
  private async phaseWrite(
    entityRef: string,
    operation: string,
    method: string,
    suffix: string,
    body?: unknown,
    token = this.options.tokens.lead,
  ): Promise<any | undefined> {
    const answer = await this.sendRetrying({
      token,
      method,
      path: `/phases/entities/${pathOf(entityRef)}${suffix}`,
      body,
      routeClass: 'write: phases',
      operation,
    });
    if (answer.status >= 200 && answer.status < 300 && answer.body?.state) {
      this.acknowledged.phaseWrites.push({
        entityRef,
        version: answer.body.state.version,
        operation,
      });
      return answer.body.state;
    }
    return undefined;
  }

  /** Three replicas asked for the same start or transition at once. */
  private async contest(
    entityRef: string,
    kind: Contest['kind'],
    fromVersion: number,
    body?: Record<string, unknown>,
  ): Promise<void> {
    const contest: Contest = { entityRef, kind, fromVersion, contenders: [] };
    const path =
      kind === 'start'
        ? `/phases/entities/${pathOf(entityRef)}/start`
        : `/phases/entities/${pathOf(entityRef)}/transitions`;
    await Promise.all(
      this.options.replicas.map(async (_, replica) => {
        const reason = `contest ${randomUUID()} by replica ${replica + 1}`;
        const answer = await this.send({
          replica,
          token: this.options.tokens.lead,
          method: 'POST',
          path,
          body: kind === 'start' ? undefined : { ...body, reason },
          routeClass: 'write: transition',
          operation:
            kind === 'start' ? 'startInitiative' : 'transitionInitiative',
        });
        contest.contenders.push({ replica, reason, status: answer.status });
        if (answer.status === 200 || answer.status === 201) {
          this.acknowledged.phaseWrites.push({
            entityRef,
            version: answer.body?.state?.version,
            operation: kind,
          });
        }
      }),
    );
    this.acknowledged.contests.push(contest);
  }

  /**
   * The next step towards a transition: tick an open manual criterion,
   * approve a sign-off, name a pioneer team (the measured criterion that
   * needs one), or, with nothing in the way, advance; when only measured
   * criteria block (the catalog decides those), step back instead. Every
   * transition is contested by three replicas at once.
   */
  private async moveOn(entityRef: string, state: any): Promise<any> {
    const { tokens, teams } = this.options;
    const phases = ['discovery', 'integration', 'deployment', 'adoption'];
    const v = state.version as number;
    const current = state.phases.find((p: any) => p.id === state.phase);
    const open = current.criteria.find(
      (c: any) =>
        c.kind === 'manual' && (c.state === 'open' || c.state === 'expired'),
    );
    if (open) {
      return this.phaseWrite(
        entityRef,
        'setPhaseCriterion',
        'PUT',
        `/criteria/${open.id}`,
        this.rand() < 0.7
          ? { state: 'done', expectedVersion: v }
          : {
              state: 'waived',
              reason: 'Settled elsewhere during the replica test',
              expectedVersion: v,
            },
      );
    }
    const pending = current.signoffs.find(
      (s: any) =>
        s.state !== 'approved' &&
        this.options.stakeholderGroups.includes(s.groupRef),
    );
    if (pending) {
      return this.phaseWrite(
        entityRef,
        'decidePhaseSignoff',
        'PUT',
        '/signoffs',
        {
          phase: state.phase,
          groupRef: pending.groupRef,
          decision: 'approve',
          expectedVersion: v,
        },
        tokens.stakeholder,
      );
    }
    if (
      state.phase !== 'discovery' &&
      !current.signoffs.some(
        (s: any) => s.groupRef === 'group:default/security',
      )
    ) {
      return this.phaseWrite(
        entityRef,
        'requestPhaseSignoff',
        'POST',
        '/signoffs',
        {
          phase: state.phase,
          groupRef: 'group:default/security',
          expectedVersion: v,
        },
      );
    }
    if (!state.pioneerTeamRef) {
      return this.phaseWrite(entityRef, 'setPioneerTeam', 'PUT', '/pioneer', {
        teamRef: this.pick(teams),
        expectedVersion: v,
      });
    }
    const at = phases.indexOf(state.phase);
    if (!state.blockers?.length) {
      await this.contest(entityRef, 'transition', v, {
        to: phases[(at + 1) % phases.length],
        direction: 'advance',
        expectedVersion: v,
      });
    } else if (at > 0) {
      await this.contest(entityRef, 'transition', v, {
        to: phases[at - 1],
        direction: 'back',
        expectedVersion: v,
      });
    }
    return undefined;
  }

  /**
   * Right after a start, every phase write once, so that each route is
   * exercised whatever the random choices later; each step reads the
   * version the previous one answered.
   */
  private async opening(entityRef: string): Promise<void> {
    const { teams } = this.options;
    let state = await this.stateOf(entityRef);
    const step = async (
      operation: string,
      method: string,
      suffix: (s: any) => string | undefined,
      body?: (s: any) => Record<string, unknown>,
    ) => {
      // A step an earlier failed one left without its object is skipped.
      const path = state?.started ? suffix(state) : undefined;
      if (!path) return;
      const next = await this.phaseWrite(
        entityRef,
        operation,
        method,
        path,
        body?.(state),
      );
      state = next ?? (await this.stateOf(entityRef));
    };
    const version = (s: any) => ({ expectedVersion: s.version });
    await step(
      'setPioneerTeam',
      'PUT',
      () => '/pioneer',
      s => ({
        teamRef: this.pick(teams),
        ...version(s),
      }),
    );
    await step(
      'setPhaseTarget',
      'PUT',
      () => '/targets',
      s => ({
        phase: 'deployment',
        date: '2027-06-30',
        ...version(s),
      }),
    );
    await step(
      'requestPhaseSignoff',
      'POST',
      () => '/signoffs',
      s => ({
        phase: 'deployment',
        groupRef: 'group:default/security',
        ...version(s),
      }),
    );
    await step(
      'addPhaseCriterion',
      'POST',
      () => '/criteria',
      s => ({
        phase: 'discovery',
        title: 'Replica load opening check',
        ...version(s),
      }),
    );
    await step('removePhaseCriterion', 'DELETE', s => {
      const own = s.phases[0].criteria.find((c: any) => c.source === 'own');
      return own && `/criteria/${own.id}?expectedVersion=${s.version}`;
    });
    for (const name of ['Wave 1', 'Wave 2']) {
      await step(
        'addAdoptionCohort',
        'POST',
        () => '/cohorts',
        s => ({
          name,
          targetDate: '2027-09-30',
          teamRefs: [this.pick(teams)],
          ...version(s),
        }),
      );
    }
    await step(
      'updateAdoptionCohort',
      'PUT',
      s => s.cohorts?.[0] && `/cohorts/${s.cohorts[0].id}`,
      s => ({
        name: 'Wave 1, widened',
        targetDate: '2027-10-31',
        teamRefs: [...new Set([this.pick(teams), this.pick(teams)])],
        ...version(s),
      }),
    );
    await step(
      'removeAdoptionCohort',
      'DELETE',
      s =>
        s.cohorts?.[1] &&
        `/cohorts/${s.cohorts[1].id}?expectedVersion=${s.version}`,
    );
  }

  private async lead(initiatives: string[]): Promise<void> {
    const { tokens, teams } = this.options;
    const phases = ['discovery', 'integration', 'deployment', 'adoption'];
    while (this.running) {
      const entityRef = this.pick(initiatives);
      let state = await this.stateOf(entityRef);
      if (!state) continue;
      if (!state.started) {
        await this.contest(entityRef, 'start', 0);
        await this.opening(entityRef);
        continue;
      }
      const v = () => state.version as number;
      const current = state.phases.find((p: any) => p.id === state.phase);
      const roll = this.rand();
      let next: any;
      if (roll < 0.1) {
        next = await this.phaseWrite(
          entityRef,
          'setPioneerTeam',
          'PUT',
          '/pioneer',
          {
            teamRef: this.rand() < 0.1 ? null : this.pick(teams),
            expectedVersion: v(),
          },
        );
      } else if (roll < 0.2) {
        next = await this.phaseWrite(
          entityRef,
          'setPhaseTarget',
          'PUT',
          '/targets',
          {
            phase: this.pick(phases),
            date: `2027-0${1 + Math.floor(this.rand() * 9)}-15`,
            expectedVersion: v(),
          },
        );
      } else if (roll < 0.3) {
        const cohorts = state.cohorts ?? [];
        const cohort = cohorts[0];
        const add = !cohort || (cohorts.length < 2 && this.rand() < 0.5);
        if (add) {
          next = await this.phaseWrite(
            entityRef,
            'addAdoptionCohort',
            'POST',
            '/cohorts',
            {
              name: `Wave ${v()}`,
              targetDate: '2027-06-30',
              teamRefs: [this.pick(teams)],
              expectedVersion: v(),
            },
          );
        } else if (cohorts.length < 2 || this.rand() < 0.5) {
          next = await this.phaseWrite(
            entityRef,
            'updateAdoptionCohort',
            'PUT',
            `/cohorts/${cohort.id}`,
            {
              name: `Wave ${v()}`,
              targetDate: '2027-09-30',
              teamRefs: [...new Set([this.pick(teams), this.pick(teams)])],
              expectedVersion: v(),
            },
          );
        } else {
          next = await this.phaseWrite(
            entityRef,
            'removeAdoptionCohort',
            'DELETE',
            `/cohorts/${cohort.id}?expectedVersion=${v()}`,
          );
        }
      } else if (roll < 0.4) {
        const own = current.criteria.find((c: any) => c.source === 'own');
        next = own
          ? await this.phaseWrite(
              entityRef,
              'removePhaseCriterion',
              'DELETE',
              `/criteria/${own.id}?expectedVersion=${v()}`,
            )
          : await this.phaseWrite(
              entityRef,
              'addPhaseCriterion',
              'POST',
              '/criteria',
              {
                phase: state.phase,
                title: `Replica load check ${v()}`,
                expectedVersion: v(),
              },
            );
      } else if (roll < 0.5) {
        const asked = current.signoffs.some(
          (s: any) => s.groupRef === 'group:default/security',
        );
        next = asked
          ? await this.phaseWrite(
              entityRef,
              'decidePhaseSignoff',
              'PUT',
              '/signoffs',
              {
                phase: state.phase,
                groupRef: 'group:default/security',
                decision: this.rand() < 0.8 ? 'approve' : 'reject',
                expectedVersion: v(),
              },
              tokens.stakeholder,
            )
          : await this.phaseWrite(
              entityRef,
              'requestPhaseSignoff',
              'POST',
              '/signoffs',
              {
                phase: state.phase,
                groupRef: 'group:default/security',
                expectedVersion: v(),
              },
            );
      } else {
        next = await this.moveOn(entityRef, state);
      }
      state = next ?? state;
    }
  }
}
