import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_VARIABLE =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The databases that store tests run on: SQLite always, and the PostgreSQL
 * server named by BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
 *
 * Without that variable TestDatabases would skip PostgreSQL silently, so when
 * PostgreSQL is required (in CI, or with FREEBOARD_REQUIRE_POSTGRES=1) its
 * absence fails the run instead.
 */
export function createTestDatabases(): TestDatabases {
  const ids: TestDatabaseId[] = ['SQLITE_3'];
  const required =
    Boolean(process.env.CI) || process.env.FREEBOARD_REQUIRE_POSTGRES === '1';
  if (process.env[POSTGRES_VARIABLE]) {
    ids.push('POSTGRES_15');
  } else if (required) {
    throw new Error(
      `PostgreSQL tests are required but ${POSTGRES_VARIABLE} is not set; ` +
        `run the tests with "yarn test:unit", which points it at the local server`,
    );
  }
  const databases = TestDatabases.create({ ids, disableDocker: true });
  if (required && !databases.supports('POSTGRES_15')) {
    throw new Error('PostgreSQL tests are required but cannot run');
  }
  return databases;
}
