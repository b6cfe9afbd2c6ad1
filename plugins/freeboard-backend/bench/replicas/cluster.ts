import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { PG } from '../scratch';

/*
 * Several demo backends (packages/backend) as separate processes on one
 * scratch PostgreSQL database, the way an organization runs replicas: the
 * same code and configuration, one database, a port each. Each process is
 * the backend itself (no supervisor in between), so a SIGKILL is a real
 * crash. The guest provider of each replica signs in its own sample user,
 * and since signing keys live in the shared database, a token from one
 * replica is accepted by all.
 */

const REPO = path.resolve(__dirname, '../../../..');
const BACKEND_DIR = path.join(REPO, 'packages/backend');
/** The TypeScript loader `backstage-cli package start` runs the backend with. */
export const NODE_TRANSFORM = require.resolve(
  '@backstage/cli-node/config/nodeTransform.cjs',
  { paths: [path.join(REPO, 'node_modules/@backstage/cli-module-build')] },
);

export interface ReplicaSpec {
  port: number;
  /** Whom this replica's guest provider signs in. */
  userEntityRef: string;
}

export interface Replica extends ReplicaSpec {
  index: number;
  url: string;
  process?: ChildProcess;
  log: string;
}

/** The scratch database's server, and the database under it. */
export function pgUrl(database?: string): string {
  const url = new URL(PG);
  if (database) url.pathname = `/${database}`;
  return url.toString();
}

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** A catalog file of `count` components owned by the platform team, and users. */
function loadTargets(
  count: number,
  users: { name: string; memberOf: string[] }[],
): string {
  const people = users.map(
    u => `---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: ${u.name}
spec:
  memberOf: [${u.memberOf.join(', ')}]
`,
  );
  return (
    people.join('') +
    Array.from(
      { length: count },
      (_, i) => `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: load-target-${String(i + 1).padStart(2, '0')}
  description: A platform capability the replica test writes to
  tags: [platform]
spec:
  type: service
  lifecycle: production
  owner: group:default/platform-team
  system: internal-developer-platform
`,
    ).join('')
  );
}

export class Cluster {
  readonly replicas: Replica[];
  readonly database: string;
  readonly dir: string;
  private admin?: Knex;
  private freeboardDb?: Knex;

  constructor(
    private readonly options: {
      name: string;
      replicas: ReplicaSpec[];
      /** Components `load-target-01` ... added to the sample catalog. */
      loadTargets: number;
      /** Users added to the sample catalog. */
      extraUsers?: { name: string; memberOf: string[] }[];
      /** Merged over app-config.yaml, after the cluster's own settings. */
      config?: Record<string, unknown>;
    },
  ) {
    this.database = `${options.name}_${Date.now()}`;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${options.name}-`));
    this.replicas = options.replicas.map((spec, index) => ({
      ...spec,
      index,
      url: `http://127.0.0.1:${spec.port}`,
      log: path.join(this.dir, `replica-${index + 1}.log`),
    }));
  }

  /** Creates the empty scratch database and writes each replica's config. */
  async create(): Promise<void> {
    this.admin = knexFactory({ client: 'pg', connection: pgUrl() });
    await this.admin.raw('create database ??', [this.database]);
    fs.writeFileSync(
      path.join(this.dir, 'load-targets.yaml'),
      loadTargets(this.options.loadTargets, this.options.extraUsers ?? []),
    );
    for (const replica of this.replicas) {
      fs.writeFileSync(
        this.configPath(replica),
        JSON.stringify(this.configOf(replica), null, 2),
      );
    }
  }

  private configPath(replica: Replica) {
    return path.join(this.dir, `replica-${replica.index + 1}.yaml`);
  }

  /** JSON is YAML: the config loader reads it as is. */
  private configOf(replica: Replica) {
    const examples = (file: string) => ({
      type: 'file',
      target: path.join(REPO, file),
    });
    const pg = new URL(pgUrl());
    return deepMerge(
      {
        backend: {
          baseUrl: replica.url,
          listen: { port: replica.port },
          database: {
            client: 'pg',
            // One database, a schema per plugin: what "one scratch database"
            // means for a Backstage backend.
            pluginDivisionMode: 'schema',
            connection: {
              host: pg.hostname,
              port: Number(pg.port || 5432),
              user: decodeURIComponent(pg.username || 'postgres'),
              password: decodeURIComponent(pg.password || ''),
              database: this.database,
            },
            // Every plugin of every replica has its own pool: replicas x
            // plugins x pool.max must stay under the server's
            // max_connections (100 by default). 7 x 2 + 5 + 8 = 27 at most
            // per replica here, 81 for three.
            knexConfig: { pool: { min: 0, max: 2 } },
            plugin: {
              catalog: { knexConfig: { pool: { min: 0, max: 5 } } },
              freeboard: { knexConfig: { pool: { min: 0, max: 8 } } },
            },
          },
        },
        auth: {
          providers: {
            guest: {
              userEntityRef: replica.userEntityRef,
              dangerouslyAllowOutsideDevelopment: true,
            },
          },
        },
        catalog: {
          locations: [
            examples('examples/org.yaml'),
            examples('examples/platform.yaml'),
            examples('examples/consumers.yaml'),
            examples('catalog-info.yaml'),
            { type: 'file', target: path.join(this.dir, 'load-targets.yaml') },
          ],
        },
      },
      this.options.config ?? {},
    );
  }

  /** Starts replica `index`; `waitHealthy` tells when it answers. */
  start(index: number): void {
    const replica = this.replicas[index];
    const log = fs.openSync(replica.log, 'a');
    replica.process = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--require',
        NODE_TRANSFORM,
        'src/index.ts',
        '--config',
        path.join(REPO, 'app-config.yaml'),
        '--config',
        this.configPath(replica),
      ],
      {
        cwd: BACKEND_DIR,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          ESBK_TSCONFIG_PATH: path.join(REPO, 'tsconfig.json'),
          // The test's own settings must not leak into the backends.
          CI: undefined,
          JEST_WORKER_ID: undefined,
        },
        stdio: ['ignore', log, log],
      },
    );
    fs.closeSync(log);
  }

  /** Resolves once `/api/freeboard/health` answers 200 (the database included). */
  async waitHealthy(index: number, timeoutMs = 180_000): Promise<number> {
    const replica = this.replicas[index];
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (replica.process && replica.process.exitCode !== null) {
        throw new Error(
          `Replica ${index + 1} exited (${
            replica.process.exitCode
          }):\n${this.tail(index)}`,
        );
      }
      try {
        const response = await fetch(`${replica.url}/api/freeboard/health`, {
          signal: AbortSignal.timeout(2000),
        });
        if (response.status === 200) return Date.now() - started;
      } catch {
        // Not listening yet.
      }
      await sleep(250);
    }
    throw new Error(
      `Replica ${index + 1} not healthy after ${timeoutMs} ms:\n${this.tail(
        index,
      )}`,
    );
  }

  /** The last lines of a replica's log, for failure messages. */
  tail(index: number, lines = 30): string {
    try {
      return fs
        .readFileSync(this.replicas[index].log, 'utf8')
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '';
    }
  }

  /** Resolves when any replica has logged a line containing `text`. */
  async waitForLog(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.replicas.some(r => {
        try {
          return fs.readFileSync(r.log, 'utf8').includes(text);
        } catch {
          return false;
        }
      });
      if (found) return;
      await sleep(100);
    }
    throw new Error(`No replica logged "${text}" within ${timeoutMs} ms`);
  }

  /** Every error a replica logged, for the report. */
  loggedErrors(index: number): string[] {
    try {
      return fs
        .readFileSync(this.replicas[index].log, 'utf8')
        .split('\n')
        .filter(line => line.includes('"level":"error"'));
    } catch {
      return [];
    }
  }

  /** Sends `signal` to replica `index` and waits for it to be gone. */
  async kill(index: number, signal: NodeJS.Signals = 'SIGKILL') {
    const child = this.replicas[index].process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** A guest token of the user replica `index` signs in. */
  async token(index: number): Promise<string> {
    const response = await fetch(
      `${this.replicas[index].url}/api/auth/guest/refresh`,
      { headers: { 'x-requested-with': 'XMLHttpRequest' } },
    );
    if (!response.ok) {
      throw new Error(
        `Replica ${index + 1} refused a guest sign-in: ${response.status}`,
      );
    }
    const body = await response.json();
    return body.backstageIdentity.token;
  }

  /** Freeboard's own schema in the scratch database. */
  freeboard(): Knex {
    this.freeboardDb ??= knexFactory({
      client: 'pg',
      connection: pgUrl(this.database),
      searchPath: ['freeboard'],
      pool: { min: 0, max: 4 },
    });
    return this.freeboardDb;
  }

  /** The server's admin connection (not the scratch database). */
  adminDb(): Knex {
    if (!this.admin) throw new Error('The cluster has not been created');
    return this.admin;
  }

  /** How many connections the scratch database has now. */
  async connectionCount(): Promise<number> {
    const result = await this.adminDb().raw(
      'select count(*) as n from pg_stat_activity where datname = ?',
      [this.database],
    );
    return Number(result.rows[0].n);
  }

  /** Closes every connection the cluster's server has to the scratch database. */
  async terminateConnections(): Promise<number> {
    const result = await this.adminDb().raw(
      `select count(pg_terminate_backend(pid)) as n from pg_stat_activity
        where datname = ? and pid <> pg_backend_pid()`,
      [this.database],
    );
    return Number(result.rows[0].n);
  }

  /** Stops every replica and drops the scratch database. */
  async destroy(): Promise<void> {
    await Promise.all(this.replicas.map((_, i) => this.kill(i, 'SIGKILL')));
    await this.freeboardDb?.destroy();
    if (this.admin) {
      await this.admin
        .raw('drop database if exists ?? with (force)', [this.database])
        .catch(() => undefined);
      await this.admin.destroy();
    }
    if (!process.env.FREEBOARD_REPLICAS_KEEP_LOGS) {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/**
 * Restarts the machine's PostgreSQL cluster, where this process may (root,
 * Debian's pg_ctlcluster); answers false when it may not.
 */
export function restartPostgres(): boolean {
  try {
    const version = fs.readdirSync('/etc/postgresql')[0];
    if (!version || process.getuid?.() !== 0) return false;
    execFileSync(
      'pg_ctlcluster',
      ['--skip-systemctl-redirect', version, 'main', 'restart', '-m', 'fast'],
      { stdio: 'ignore', timeout: 60_000 },
    );
    return true;
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `over` merged into `base`; arrays are replaced, as the config loader does. */
export function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] =
      isObject(value) && isObject(out[key])
        ? deepMerge(out[key] as Record<string, unknown>, value)
        : value;
  }
  return out;
}
