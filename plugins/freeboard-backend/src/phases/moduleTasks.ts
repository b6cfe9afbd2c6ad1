import { LoggerService } from '@backstage/backend-plugin-api';
import { PhasesModuleWriter } from '@freeboard/backstage-plugin-node';
import { Knex } from 'knex';
import { withLease } from '../shared/locks';

/** A module's initiative task, as registered through the extension point. */
export interface InitiativeTask {
  moduleId: string;
  task: (writer: PhasesModuleWriter) => Promise<void>;
}

/**
 * Runs each module's initiative task under a lease, so that replicas starting
 * together run it one after the other: a task that checks `hasInitiative`
 * first imports each initiative once. A failing task is logged, not fatal.
 */
export async function runInitiativeTasks(options: {
  db: Knex;
  tasks: InitiativeTask[];
  writerFor: (moduleId: string) => PhasesModuleWriter;
  logger: LoggerService;
  leaseMs?: number;
}): Promise<void> {
  const leaseMs = options.leaseMs ?? 10 * 60 * 1000;
  for (const { moduleId, task } of options.tasks) {
    try {
      await withLease(
        options.db,
        `phases-initiative-task:${moduleId}`,
        { ttlMs: leaseMs, waitMs: leaseMs },
        () => task(options.writerFor(moduleId)),
      );
    } catch (error) {
      options.logger.error(
        `Phases initiative task of ${moduleId} failed`,
        error as Error,
      );
    }
  }
}
