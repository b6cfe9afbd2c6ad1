#!/usr/bin/env node
/*
 * The demo backend for the browser tests, under a small supervisor that a
 * test can ask to restart it signed in as another user.
 *
 * The guest provider signs everyone in as one configured user, so a test
 * that needs a second person (a security member approving a sign-off)
 * restarts the backend with `APP_CONFIG_auth_providers_guest_userEntityRef`
 * set, the same setting a person uses to try the demo as a stakeholder
 * (README, "Signing in as a stakeholder"). The app keeps running.
 *
 *   POST http://127.0.0.1:7099/restart?userEntityRef=user:default/sam.security
 *   POST http://127.0.0.1:7099/restart              (back to the configured guest)
 *
 * Each answers once the backend is up and signs in as that user. The backend
 * stays in this process's group, so stopping the test run stops it too.
 */

import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';

const CONTROL_PORT = Number(process.env.E2E_BACKEND_CONTROL_PORT ?? 7099);
const BACKEND = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
const START_TIMEOUT_MS = 300_000;
const STOP_TIMEOUT_MS = 20_000;

let child;
let currentUser;

function log(message) {
  process.stderr.write(`[e2e-backend] ${message}\n`);
}

function start(userEntityRef) {
  const env = { ...process.env };
  if (userEntityRef)
    env.APP_CONFIG_auth_providers_guest_userEntityRef = userEntityRef;
  currentUser = userEntityRef;
  child = spawn('yarn', ['start', 'backend'], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', code => log(`backend exited (${code})`));
  log(`started the backend${userEntityRef ? ` as ${userEntityRef}` : ''}`);
}

/** The process and all its descendants, children first. */
function tree(pid) {
  let children = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    // pgrep exits 1 when there are none.
  }
  return [...children.flatMap(tree), pid];
}

function signal(pids, name) {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  }
}

async function stop() {
  if (!child || child.exitCode !== null) return;
  const pids = tree(child.pid);
  const exited = new Promise(resolve => child.once('exit', resolve));
  signal(pids, 'SIGTERM');
  const timer = setTimeout(() => signal(pids, 'SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  // The backend itself may outlive its parents for a moment.
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (pids.some(alive) && Date.now() < deadline) await sleep(200);
  signal(pids.filter(alive), 'SIGKILL');
  clearTimeout(timer);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Waits until the backend answers and the guest sign-in gives `userEntityRef`. */
async function ready(userEntityRef) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const health = await fetch(`${BACKEND}/api/freeboard/health`);
      if (health.ok) {
        const refresh = await fetch(`${BACKEND}/api/auth/guest/refresh`, {
          headers: { 'x-requested-with': 'XMLHttpRequest' },
        });
        const body = refresh.ok ? await refresh.json() : undefined;
        const signedIn = body?.backstageIdentity?.identity?.userEntityRef;
        if (signedIn && (!userEntityRef || signedIn === userEntityRef)) {
          return signedIn;
        }
      }
    } catch {
      // Not listening yet.
    }
    await sleep(1000);
  }
  throw new Error(`The backend did not start within ${START_TIMEOUT_MS} ms`);
}

let busy = Promise.resolve();

const control = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'POST' || url.pathname !== '/restart') {
    res.writeHead(404).end();
    return;
  }
  const user = url.searchParams.get('userEntityRef') || undefined;
  if (user && !/^user:[a-z0-9._-]+\/[a-z0-9._-]+$/i.test(user)) {
    res.writeHead(400).end('userEntityRef must be user:namespace/name');
    return;
  }
  busy = busy
    .catch(() => undefined)
    .then(async () => {
      if (user !== currentUser) {
        await stop();
        start(user);
      }
      const signedIn = await ready(user);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ userEntityRef: signedIn }));
    })
    .catch(error => {
      res.writeHead(500).end(String(error));
    });
});

async function shutdown() {
  control.close();
  await stop();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

control.listen(CONTROL_PORT, '127.0.0.1', () => {
  log(`control on http://127.0.0.1:${CONTROL_PORT}`);
  start(undefined);
});
