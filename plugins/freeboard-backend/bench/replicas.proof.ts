import { ADOPTION_SNAPSHOT_TASK_ID } from '../src/phases/tasks';
import { DECISION_HISTORY_TASK_ID } from '../src/decisions/recorder';
import { PORTFOLIO_REFRESH_TASK_ID } from '../src/portfolio/refresher';
import { REMINDERS_TASK_ID } from '../src/notifications/config';
import { THICKNESS_SNAPSHOT_TASK_ID } from '../src/thickness/tasks';
import {
  TRUST_MAINTENANCE_TASK_ID,
  TRUST_RETENTION_TASK_ID,
} from '../src/trust/tasks';
import { Cluster, restartPostgres, sleep } from './replicas/cluster';
import {
  Check,
  contestsCheck,
  idempotencyCheck,
  phaseWritesCheck,
  projectionsCheck,
  pulsesCheck,
  revertsCheck,
  scheduledTasksCheck,
  trustSumsCheck,
} from './replicas/invariants';
import { proveConcurrentMigrations } from './replicas/migrations';
import { Traffic, formatTable } from './replicas/traffic';
import { API, Load } from './replicas/workload';

/*
 * `yarn test:replicas`: the production proof. Three demo backends on one
 * PostgreSQL database take a mixed load of every write route and the reads
 * of a portal, while one replica is killed and restarted and PostgreSQL
 * itself restarts; then the database must agree with itself and with
 * everything the servers acknowledged. Settings (environment):
 *   FREEBOARD_REPLICAS_LOAD_SECONDS   how long the load runs (60)
 *   FREEBOARD_REPLICAS_CLIENTS        concurrent clients (30)
 *   FREEBOARD_REPLICAS_PG_FAULT       restart | terminate: restart the
 *                                     server (Debian's pg_ctlcluster, as
 *                                     root), or close every connection to
 *                                     the scratch database with
 *                                     pg_terminate_backend. Default: restart
 *                                     in CI, where it falls back to
 *                                     terminate if it may not; terminate
 *                                     elsewhere, so that a developer's server
 *                                     is not restarted under them.
 *   FREEBOARD_REPLICAS_KEEP_LOGS      keep the replicas' logs (their folder
 *                                     is printed)
 */

const LOAD_MS =
  Number(process.env.FREEBOARD_REPLICAS_LOAD_SECONDS ?? 60) * 1000;
const CLIENTS = Number(process.env.FREEBOARD_REPLICAS_CLIENTS ?? 30);
const SEED = Number(process.env.FREEBOARD_REPLICAS_SEED ?? 20261122);
/*
 * Backstage's scheduler polls every 5 s, so a run starts up to 5 s after
 * its time: two runs of one period are under 5 s apart, two of successive
 * periods at least 10 s; the check tells them apart at 7.5 s.
 */
const PERIOD_S = 15;
const TIMEOUT_S = 20;
/** How long after a fault ends its effects may still be seen. */
const GRACE_MS = 3000;

const LEAD = 'user:default/ada.platform';
/** Added to the catalog by the cluster: a member of every sign-off group. */
const STAKEHOLDER = 'user:default/replica-stakeholder';
const STAKEHOLDER_GROUPS = [
  'group:default/security',
  'group:default/data-governance',
  'group:default/finance',
];
const DEVELOPER = 'user:default/paula.payments';

const TASKS = [
  TRUST_MAINTENANCE_TASK_ID,
  TRUST_RETENTION_TASK_ID,
  ADOPTION_SNAPSHOT_TASK_ID,
  THICKNESS_SNAPSHOT_TASK_ID,
  PORTFOLIO_REFRESH_TASK_ID,
  DECISION_HISTORY_TASK_ID,
  REMINDERS_TASK_ID,
];

const WRITE_OPERATIONS = [
  'recordTrustEntry',
  'revertTrustEntry',
  'putTrustPulse',
  'deleteTrustPulse',
  'startInitiative',
  'transitionInitiative',
  'addPhaseCriterion',
  'setPhaseCriterion',
  'removePhaseCriterion',
  'requestPhaseSignoff',
  'decidePhaseSignoff',
  'setPioneerTeam',
  'setPhaseTarget',
  'addAdoptionCohort',
  'updateAdoptionCohort',
  'removeAdoptionCohort',
];

const CAPABILITIES = [
  'component:default/ci-pipelines',
  'component:default/kubernetes-runtime',
  'component:default/observability-stack',
  'component:default/golden-path-templates',
  'component:default/secrets-manager',
];
const TEAMS = [
  'group:default/payments',
  'group:default/checkout',
  'group:default/identity',
  'group:default/mobile-apps',
  'group:default/logistics',
  'group:default/growth',
];
const LOAD_TARGETS = 18;

// ISO durations: app-config.yaml's duration objects would merge with these.
const schedule = {
  frequency: `PT${PERIOD_S}S`,
  timeout: `PT${TIMEOUT_S}S`,
  initialDelay: 'PT1S',
};

function out(text: string) {
  process.stdout.write(`${text}\n`);
}

describe('three replicas on PostgreSQL', () => {
  it('migrate Freeboard at once, 5 times out of 5, to one schema', async () => {
    const proof = await proveConcurrentMigrations({ rounds: 5, processes: 3 });
    out(
      `\nMigrations: ${proof.rounds} rounds of ${
        proof.processes
      } processes at once, all succeeded; slowest process per round ${proof.slowestMs
        .map(ms => `${ms} ms`)
        .join(', ')}; schema identical to a single migration: ${
        proof.identical
      }`,
    );
    expect(proof.identical).toBe(true);
  });

  it('serve a mixed load through a crash and a database restart, and lose nothing', async () => {
    const cluster = new Cluster({
      name: 'freeboard_replicas',
      replicas: [
        { port: 7107, userEntityRef: LEAD },
        { port: 7108, userEntityRef: STAKEHOLDER },
        { port: 7109, userEntityRef: DEVELOPER },
      ],
      loadTargets: LOAD_TARGETS,
      extraUsers: [
        { name: 'replica-stakeholder', memberOf: STAKEHOLDER_GROUPS },
      ],
      config: {
        freeboard: {
          trust: { maintenance: schedule, retentionSweep: schedule },
          phases: { adoptionSnapshot: schedule },
          decisions: { history: schedule },
          portfolio: { refresh: schedule },
          thickness: { snapshot: schedule },
          notifications: { reminders: schedule },
        },
      },
    });
    if (process.env.FREEBOARD_REPLICAS_KEEP_LOGS) {
      out(`Replica logs: ${cluster.dir}`);
    }
    await cluster.create();
    try {
      // Backstage's catalog and key store fail with MigrationLocked when
      // replicas migrate an empty database together (backstage#24284): the
      // first replica starts alone, the other two together after it.
      cluster.start(0);
      const firstMs = await cluster.waitHealthy(0);
      cluster.start(1);
      cluster.start(2);
      const [secondMs, thirdMs] = await Promise.all([
        cluster.waitHealthy(1),
        cluster.waitHealthy(2),
      ]);
      out(
        `\nReplicas healthy: the first after ${firstMs} ms, the other two together after ${secondMs} and ${thirdMs} ms`,
      );

      const components = Array.from(
        { length: LOAD_TARGETS },
        (_, i) =>
          `component:default/load-target-${String(i + 1).padStart(2, '0')}`,
      );
      // The catalog ingests examples/ and the cluster's file on its own
      // time; a guest token carries the user's groups only once it has.
      const ingestStart = Date.now();
      const expected = [
        `component/default/${components[components.length - 1].split('/')[1]}`,
        `user/default/${STAKEHOLDER.split('/')[1]}`,
        'user/default/paula.payments',
      ];
      for (;;) {
        const probe = await cluster.token(0);
        const found = await Promise.all(
          expected.map(
            async path =>
              (
                await fetch(
                  `${cluster.replicas[0].url}/api/catalog/entities/by-name/${path}`,
                  { headers: { authorization: `Bearer ${probe}` } },
                )
              ).status === 200,
          ),
        );
        if (found.every(Boolean)) break;
        if (Date.now() - ingestStart > 120_000) {
          throw new Error('The catalog did not ingest the sample entities');
        }
        await sleep(1000);
      }
      const tokens = {
        lead: await cluster.token(0),
        stakeholder: await cluster.token(1),
        developer: await cluster.token(2),
      };

      // The demo's decisions seed asks for one portfolio refresh out of
      // schedule; that run is over before the load, whose task runs must
      // all be the scheduler's own.
      await cluster.waitForLog(
        'Asked the portfolio refresher to run now',
        180_000,
      );
      // The run the seed asked for starts after the request was accepted,
      // which is before the line was logged: a run starting after the line
      // was seen is that one or a later one.
      const askedAt = Date.now();
      const db = cluster.freeboard();
      for (;;) {
        const run = await db('freeboard_task_runs')
          .where('task_id', PORTFOLIO_REFRESH_TASK_ID)
          .where('started_at', '>=', new Date(askedAt))
          .whereNotNull('finished_at')
          .first('id');
        if (run) break;
        if (Date.now() - askedAt > 60_000) {
          throw new Error('The portfolio refresh the seed asked for never ran');
        }
        await sleep(500);
      }

      const traffic = new Traffic();
      const readers = Math.round(CLIENTS / 3);
      const recorders = Math.round(CLIENTS * 0.3);
      const developers = Math.round(CLIENTS * 0.15);
      const leads = Math.max(1, CLIENTS - readers - recorders - developers);
      const load = new Load({
        replicas: cluster.replicas.map(r => r.url),
        tokens,
        traffic,
        durationMs: LOAD_MS,
        capabilities: CAPABILITIES,
        components,
        // One initiative per lead, so that each goes through its phases.
        initiatives: components.slice(0, leads),
        teams: TEAMS,
        stakeholderGroups: STAKEHOLDER_GROUPS,
        clients: { readers, recorders, developers, leads },
        seed: SEED,
      });
      const loadStartedAt = Date.now();
      let peakConnections = 0;
      const sampler = setInterval(() => {
        cluster
          .connectionCount()
          .then(n => (peakConnections = Math.max(peakConnections, n)))
          .catch(() => undefined);
      }, 500);
      const running = load.run().finally(() => clearInterval(sampler));

      // Fault 1: a replica crashes mid-load and comes back.
      await sleep(LOAD_MS * 0.25);
      const killedAt = traffic.now();
      await cluster.kill(1, 'SIGKILL');
      await sleep(2000);
      cluster.start(1);
      const restartMs = await cluster.waitHealthy(1);
      out(
        `Replica 2 killed at ${(killedAt / 1000).toFixed(
          1,
        )} s, started again 2 s later, healthy after ${restartMs} ms`,
      );
      traffic.faults.push({
        name: 'replica 2 killed (SIGKILL) and restarted',
        from: killedAt,
        to: traffic.now() + GRACE_MS,
        replica: 1,
      });

      // Fault 2: PostgreSQL restarts (or drops every connection).
      await sleep(Math.max(0, LOAD_MS * 0.6 - traffic.now()));
      const pgFaultAt = traffic.now();
      const mode =
        process.env.FREEBOARD_REPLICAS_PG_FAULT ??
        (process.env.CI ? 'restart' : 'terminate');
      let pgFault = 'every connection terminated (pg_terminate_backend)';
      if (mode === 'restart' && restartPostgres()) {
        pgFault = 'PostgreSQL restarted';
      } else {
        await cluster.terminateConnections();
      }
      await Promise.all(cluster.replicas.map((_, i) => cluster.waitHealthy(i)));
      out(
        `${pgFault} at ${(pgFaultAt / 1000).toFixed(
          1,
        )} s; every replica healthy again at ${(traffic.now() / 1000).toFixed(
          1,
        )} s`,
      );
      traffic.faults.push({
        name: pgFault,
        from: pgFaultAt,
        to: traffic.now() + GRACE_MS,
      });

      await running;
      const loadEndedAt = Date.now();
      const durationMs = loadEndedAt - loadStartedAt;
      // Let the last scheduled runs finish before reading their records.
      await sleep(2000);

      const acknowledged = load.acknowledged;
      const tasks = await scheduledTasksCheck(db, {
        taskIds: TASKS,
        periodMs: PERIOD_S * 1000,
        timeoutMs: TIMEOUT_S * 1000,
        from: loadStartedAt,
        to: loadEndedAt,
        faults: traffic.faults,
        faultOrigin: traffic.started,
      });
      const unexplained = traffic.unexplainedFailures();
      const uncovered = WRITE_OPERATIONS.filter(
        op =>
          !traffic.samples.some(
            s => s.operation === op && s.status >= 200 && s.status < 300,
          ),
      );
      const checks: Check[] = [
        {
          name: 'no 5xx and no lost connection outside a fault',
          checked: traffic.samples.length,
          violations: unexplained
            .slice(0, 20)
            .map(
              s =>
                `${s.operation} on replica ${s.replica + 1} at ${(
                  s.sentAt / 1000
                ).toFixed(1)} s: ${s.status || s.error}`,
            ),
        },
        {
          name: 'no 4xx but deliberate conflicts (409) outside a fault',
          checked: traffic.samples.length,
          violations: traffic
            .unexpectedRefusals()
            .slice(0, 20)
            .map(
              s =>
                `${s.operation} on replica ${s.replica + 1} at ${(
                  s.sentAt / 1000
                ).toFixed(1)} s: ${s.status} ${s.error}`,
            ),
        },
        {
          name: 'every write route answered 2xx at least once',
          checked: WRITE_OPERATIONS.length,
          violations: uncovered.map(op => `${op}: no 2xx`),
        },
        await trustSumsCheck(db),
        await idempotencyCheck(db, acknowledged),
        await revertsCheck(db, acknowledged),
        await pulsesCheck(db),
        await phaseWritesCheck(db, acknowledged),
        await contestsCheck(db, acknowledged),
        await projectionsCheck(db),
        tasks.check,
      ];

      out(
        `\nLoad: ${(durationMs / 1000).toFixed(
          1,
        )} s, ${CLIENTS} clients over 3 replicas, ${
          traffic.samples.length
        } requests, ${(traffic.samples.length / (durationMs / 1000)).toFixed(
          0,
        )} requests/s`,
      );
      out(traffic.report(durationMs));
      const [{ max_connections: maxConnections }] = (
        await cluster.adminDb().raw('show max_connections')
      ).rows;
      out(
        `\nPostgreSQL connections to the scratch database: peak ${peakConnections} of max_connections ${maxConnections}`,
      );
      out('\nResponses other than 2xx and 3xx, by operation and message');
      for (const line of traffic.failureDetails().slice(0, 40))
        out(`  ${line}`);
      out('\nScheduled task runs during the load (runs per replica)');
      const instances = [
        ...new Set(
          [...tasks.runs.values()].flatMap(list => list.map(r => r.instance)),
        ),
      ].sort();
      out(
        formatTable(
          ['task', 'runs', ...instances.map((_, i) => `process ${i + 1}`)],
          [...tasks.runs.entries()].map(([task, list]) => [
            task,
            String(list.length),
            ...instances.map(inst =>
              String(list.filter(r => r.instance === inst).length),
            ),
          ]),
        ),
      );
      out('\nInvariants');
      out(
        formatTable(
          ['invariant', 'checked', 'violations'],
          checks.map(c => [
            c.name,
            String(c.checked),
            String(c.violations.length),
          ]),
        ),
      );
      for (const c of checks.filter(x => x.violations.length)) {
        out(`\n${c.name}:\n  ${c.violations.join('\n  ')}`);
      }
      const errors = cluster.replicas.flatMap((_, i) =>
        cluster.loggedErrors(i).map(line => `replica ${i + 1}: ${line}`),
      );
      out(`\nErrors the replicas logged: ${errors.length}`);
      for (const line of errors.slice(0, 10)) out(`  ${line.slice(0, 400)}`);

      expect(checks.filter(c => c.violations.length).map(c => c.name)).toEqual(
        [],
      );
      // Reads before and after must agree: the API serves what is stored.
      const summary = await fetch(
        `${cluster.replicas[2].url}${API}/trust/entities/component/default/ci-pipelines`,
        { headers: { authorization: `Bearer ${tokens.lead}` } },
      );
      expect(summary.status).toBe(200);
    } finally {
      await cluster.destroy();
    }
  });
});
