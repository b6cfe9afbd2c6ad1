#!/usr/bin/env node
/*
 * Runs every unit test once: the store tests on SQLite and on PostgreSQL.
 *
 * PostgreSQL defaults to the server on 127.0.0.1:5432 (role postgres, trust
 * auth); point BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING elsewhere to
 * use another. The run fails when PostgreSQL cannot be reached, rather than
 * skipping it; set FREEBOARD_SKIP_POSTGRES=1 to run on SQLite only.
 */
const { spawnSync } = require('node:child_process');
const net = require('node:net');

const variable = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

async function reachable(connectionString) {
  const url = new URL(connectionString);
  return new Promise(resolve => {
    const socket = net.connect(
      { host: url.hostname, port: Number(url.port || 5432) },
      () => {
        socket.end();
        resolve(true);
      },
    );
    socket.setTimeout(3000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

async function main() {
  const env = { ...process.env };
  if (env.FREEBOARD_SKIP_POSTGRES === '1') {
    delete env[variable];
    delete env.FREEBOARD_REQUIRE_POSTGRES;
    console.log('test-unit: PostgreSQL skipped on request (FREEBOARD_SKIP_POSTGRES=1)');
  } else {
    env[variable] ??= 'postgresql://postgres@127.0.0.1:5432';
    env.FREEBOARD_REQUIRE_POSTGRES = '1';
    if (!(await reachable(env[variable]))) {
      console.error(
        `test-unit: PostgreSQL is not reachable at ${env[variable]}. Start it, ` +
          `set ${variable}, or set FREEBOARD_SKIP_POSTGRES=1 to test on SQLite only.`,
      );
      process.exit(1);
    }
    console.log(`test-unit: store tests run on SQLite and ${env[variable]}`);
  }
  const result = spawnSync(
    'backstage-cli',
    ['repo', 'test', '--ci', ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...env, CI: env.CI ?? 'true' } },
  );
  process.exit(result.status ?? 1);
}

main();
