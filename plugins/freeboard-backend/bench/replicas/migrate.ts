import knexFactory from 'knex';
import { migrateLatest } from '../../src/shared/database';

/*
 * One process applying Freeboard's migrations, as one replica does at
 * start-up: `migrate.ts <postgres url>`. It loads everything first, says
 * "ready" and waits for a line on stdin, so that the test can release
 * several processes at the same moment.
 */

async function main() {
  const knex = knexFactory({
    client: 'pg',
    connection: process.argv[2],
    pool: { min: 0, max: 2 },
  });
  await knex.raw('select 1');
  process.stdout.write('ready\n');
  await new Promise(resolve => process.stdin.once('data', resolve));
  const started = Date.now();
  try {
    await migrateLatest(knex);
    process.stdout.write(`${JSON.stringify({ ms: Date.now() - started })}\n`);
  } finally {
    await knex.destroy();
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
