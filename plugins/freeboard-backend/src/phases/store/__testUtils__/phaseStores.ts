import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../../../__testUtils__/testDatabases';
import { decideStart } from '../../domain/commands';
import { PhaseEventData } from '../../domain/events';
import { createDatabasePhaseStores } from '../DatabasePhaseStore';
import { AdoptionStore, PhaseStore } from '../PhaseStore';
import { CONFIG, LEAD } from './initiatives';

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

export interface PhaseTestSetup {
  databases: TestDatabases;
  /** A fresh migrated database and the stores over it. */
  setup(
    id: TestDatabaseId,
  ): Promise<{ knex: Knex; phases: PhaseStore; adoption: AdoptionStore }>;
}

/** Call at describe level: registers the clean-up of the databases. */
export function phaseTestSetup(): PhaseTestSetup {
  const databases = createTestDatabases();
  const knexes: Knex[] = [];
  afterAll(async () => {
    await Promise.all(knexes.map(k => k.destroy()));
  });
  return {
    databases,
    async setup(id) {
      const knex = await databases.init(id);
      knexes.push(knex);
      await knex.migrate.latest({ directory: migrationsDir });
      return { knex, ...createDatabasePhaseStores({ client: knex }) };
    },
  };
}

/** The `started` event of the default configuration, at `at`. */
export function startEvent(at: Date, actorRef = LEAD) {
  return {
    occurredAt: at.toISOString(),
    actorRef,
    data: decideStart(CONFIG) as Extract<PhaseEventData, { type: 'started' }>,
  };
}
