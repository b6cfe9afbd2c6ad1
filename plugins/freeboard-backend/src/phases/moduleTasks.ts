import { LoggerService } from '@backstage/backend-plugin-api';
import { PhasesModuleWriter } from '@freeboard/backstage-plugin-node';
import { Knex } from 'knex';
import { ModuleTask, runModuleTasks } from '../shared/moduleTasks';

/** A module's initiative task, as registered through the extension point. */
export type InitiativeTask = ModuleTask<PhasesModuleWriter>;

/**
 * Runs each module's initiative task once across replicas starting together:
 * a task that checks `hasInitiative` first imports each initiative once.
 */
export function runInitiativeTasks(options: {
  db: Knex;
  tasks: InitiativeTask[];
  writerFor: (moduleId: string) => PhasesModuleWriter;
  logger: LoggerService;
  leaseMs?: number;
}): Promise<void> {
  return runModuleTasks({
    ...options,
    leasePrefix: 'phases-initiative-task',
    label: 'Phases initiative task',
  });
}
