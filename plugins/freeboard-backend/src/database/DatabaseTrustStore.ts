import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { TrustStore } from './TrustStore';

const migrationsDir = resolvePackagePath(
  '@freeboard/backstage-plugin-backend',
  'migrations',
);

/**
 * The Knex implementation of {@link TrustStore}, for SQLite and PostgreSQL.
 */
export class DatabaseTrustStore implements TrustStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseTrustStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseTrustStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }
}
