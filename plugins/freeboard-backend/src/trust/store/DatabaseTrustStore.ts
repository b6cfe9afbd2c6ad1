import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migratedClient } from '../../shared/database';
import { TrustTables } from './context';
import { DatabaseTrustReadStore } from './ledgerReads';
import { DatabaseTrustLedgerStore } from './ledgerWrites';
import { DatabaseTrustMaintenanceStore } from './maintenance';
import {
  TrustLedgerStore,
  TrustMaintenanceStore,
  TrustReadStore,
} from './TrustStore';

/** The three parts of the trust store, over one database. */
export interface TrustStores {
  ledger: TrustLedgerStore;
  reads: TrustReadStore;
  maintenance: TrustMaintenanceStore;
}

/**
 * Builds the Knex trust store for SQLite and PostgreSQL. A new database gets
 * its landmark with the configured half-life; a changed half-life is applied
 * later by the maintenance task (once across replicas), not at start-up.
 */
export async function createDatabaseTrustStores(options: {
  database?: DatabaseService;
  client?: Knex;
  halfLifeDays: number;
  now?: () => Date;
}): Promise<TrustStores> {
  const client = options.client ?? (await migratedClient(options.database!));
  const tables = new TrustTables(client, options.now ?? (() => new Date()));
  const maintenance = new DatabaseTrustMaintenanceStore(tables);
  await maintenance.ensureLandmark(options.halfLifeDays);
  return {
    ledger: new DatabaseTrustLedgerStore(tables),
    reads: new DatabaseTrustReadStore(tables),
    maintenance,
  };
}
