import {
  AuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { AdoptionReader } from './adoption';
import { AdoptionStore, PhaseStore } from './store/PhaseStore';
import { readGlobalSchedule } from '../shared/schedule';
import { scheduleRecordedTask } from '../shared/taskRuns';

/** Initiatives read from the store, and from the catalog, per batch. */
const PAGE = 200;

/** What the daily adoption snapshot needs. */
export interface SnapshotDeps {
  phases: PhaseStore;
  adoption: AdoptionStore;
  reader: AdoptionReader;
  auth: AuthService;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * Records today's adopting teams of every started initiative, so each team
 * gets an "adopted since" date, lost adoptions are flagged and the curve
 * gains a point. Initiatives are read in pages, each page's adoption in one
 * batch. An initiative the catalog does not return (deleted, or the catalog
 * not ready) is skipped rather than recorded as adopted by nobody, which
 * would mark every team lost. One initiative failing to record does not stop
 * the others; the run fails at the end so the scheduler reports it.
 */
export async function snapshotAdoption(
  deps: SnapshotDeps,
): Promise<{ initiatives: number; adoptedTeams: number }> {
  const { phases, adoption, reader, logger } = deps;
  // One moment for the whole run: every initiative lands on the same day.
  const now = deps.now?.() ?? new Date();
  const credentials = await deps.auth.getOwnServiceCredentials();
  let initiatives = 0;
  let adoptedTeams = 0;
  let skipped = 0;
  const failed: string[] = [];
  let afterEntityRef: string | undefined;
  for (;;) {
    const page = await phases.listInitiatives({ limit: PAGE, afterEntityRef });
    if (page.length === 0) break;
    const adopters = await reader.adoptersOfMany(page, credentials);
    for (const entityRef of page) {
      const teams = adopters.get(entityRef);
      if (!teams) {
        skipped += 1;
        continue;
      }
      try {
        await adoption.recordSnapshot(entityRef, [...teams.keys()], now);
        initiatives += 1;
        adoptedTeams += teams.size;
      } catch (error) {
        failed.push(entityRef);
        logger.error(
          `Could not record the adoption of ${entityRef}`,
          error as Error,
        );
      }
    }
    if (page.length < PAGE) break;
    afterEntityRef = page[page.length - 1];
  }
  if (skipped > 0) {
    logger.warn(
      `Skipped the adoption snapshot of ${skipped} initiatives the catalog did not return`,
    );
  }
  if (failed.length > 0) {
    throw new Error(
      `The adoption snapshot failed for ${failed.length} initiatives, first ${failed[0]}`,
    );
  }
  return { initiatives, adoptedTeams };
}

/** The task's id, as the scheduler lists it. */
export const ADOPTION_SNAPSHOT_TASK_ID = 'freeboard-phases-adoption-snapshot';

const DEFAULT_SCHEDULE = {
  frequency: { hours: 24 },
  timeout: { minutes: 10 },
  initialDelay: { minutes: 1 },
};

/**
 * `freeboard.phases.adoptionSnapshot` (frequency, timeout, initialDelay as
 * in any Backstage task schedule) over the defaults. The scope is always
 * global: the snapshot must run once across replicas.
 */
export function readAdoptionSnapshotSchedule(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  return readGlobalSchedule(
    config,
    'freeboard.phases.adoptionSnapshot',
    DEFAULT_SCHEDULE,
  );
}

/** Schedules the phases' upkeep: the daily adoption snapshot, each run recorded. */
export async function schedulePhaseTasks(
  deps: SnapshotDeps & {
    scheduler: SchedulerService;
    config: RootConfigService;
    db: Knex;
  },
): Promise<void> {
  const { scheduler, config, db, ...snapshotDeps } = deps;
  await scheduleRecordedTask(
    { scheduler, db, logger: snapshotDeps.logger },
    {
      id: ADOPTION_SNAPSHOT_TASK_ID,
      ...readAdoptionSnapshotSchedule(config),
      fn: async () => {
        const result = await snapshotAdoption(snapshotDeps);
        snapshotDeps.logger.info('Recorded the daily adoption snapshot', {
          ...result,
        });
      },
    },
  );
}
