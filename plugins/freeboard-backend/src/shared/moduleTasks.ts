import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { withLease } from './locks';

/** A backend module's task, as registered through an extension point. */
export interface ModuleTask<TWriter> {
  moduleId: string;
  task: (writer: TWriter) => Promise<void>;
}

/**
 * Runs each module's task under a lease named `<leasePrefix>:<moduleId>`, so
 * that replicas starting together run it one after the other: a task that
 * checks what exists first writes it once. A failing task is logged, not
 * fatal: one module must not stop the others or the backend.
 */
export async function runModuleTasks<TWriter>(options: {
  db: Knex;
  tasks: ModuleTask<TWriter>[];
  writerFor: (moduleId: string) => TWriter;
  logger: LoggerService;
  leasePrefix: string;
  /** How the log names a task: "Trust ledger task". */
  label: string;
  leaseMs?: number;
}): Promise<void> {
  const leaseMs = options.leaseMs ?? 10 * 60 * 1000;
  for (const { moduleId, task } of options.tasks) {
    try {
      await withLease(
        options.db,
        `${options.leasePrefix}:${moduleId}`,
        { ttlMs: leaseMs, waitMs: leaseMs },
        () => task(options.writerFor(moduleId)),
      );
    } catch (error) {
      options.logger.error(
        `${options.label} of ${moduleId} failed`,
        error as Error,
      );
    }
  }
}
