import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  PhasesModuleWriter,
  freeboardPhasesExtensionPoint,
} from '@freeboard/backstage-plugin-node';
import { freeboardPlugin } from '../plugin';
import { Knex } from 'knex';
import { runInitiativeTasks } from './moduleTasks';
import { createPhasesModuleWriter } from './moduleWriter';
import { CONFIG } from './store/__testUtils__/initiatives';
import { phaseTestSetup } from './store/__testUtils__/phaseStores';
import { PhaseStore } from './store/PhaseStore';

jest.setTimeout(120_000);

const NOW = new Date('2026-11-21T12:00:00.000Z');
const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

function writerFor(phases: PhaseStore) {
  return (_moduleId: string): PhasesModuleWriter =>
    createPhasesModuleWriter({ phases, config: CONFIG, now: () => NOW });
}

/** Imports three initiatives unless they exist; slow between check and write. */
async function seedTask(writer: PhasesModuleWriter) {
  for (const name of ['a', 'b', 'c']) {
    const ref = `component:default/${name}`;
    if (await writer.hasInitiative(ref)) continue;
    await sleep(50);
    await writer.importInitiative(ref, [
      {
        occurredAt: new Date(NOW.getTime() - 1000),
        actorRef: 'user:default/seed',
        data: { type: 'started' },
      },
      {
        occurredAt: NOW,
        actorRef: 'user:default/seed',
        data: { type: 'pioneer-set', teamRef: 'group:default/payments' },
      },
    ]);
  }
}

describe('runInitiativeTasks', () => {
  const { databases, setup } = phaseTestSetup();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    const countEvents = async (knex: Knex) => {
      const [{ n }] = await knex('freeboard_phase_events').count({ n: '*' });
      return Number(n);
    };

    it('runs a task on one replica at a time, so a seed is imported once', async () => {
      const { knex, phases } = await setup(databaseId);
      const logger = mockServices.logger.mock();
      const replica = () =>
        runInitiativeTasks({
          db: knex,
          tasks: [{ moduleId: 'seed', task: seedTask }],
          writerFor: writerFor(phases),
          logger,
        });
      await Promise.all([replica(), replica(), replica()]);
      expect(logger.error).not.toHaveBeenCalled();
      expect(await countEvents(knex)).toBe(6);
      expect(await knex('freeboard_locks')).toEqual([]);

      // Without the lease the same task collides: the test can tell.
      await knex('freeboard_phase_events').delete();
      await knex('freeboard_phase_initiatives').delete();
      const results = await Promise.allSettled([
        seedTask(writerFor(phases)('x')),
        seedTask(writerFor(phases)('x')),
      ]);
      expect(results.map(r => r.status)).toContain('rejected');
    });

    it('logs a failing task and goes on with the next', async () => {
      const { knex, phases } = await setup(databaseId);
      const logger = mockServices.logger.mock();
      const failure = new Error('no catalog yet');
      await expect(
        runInitiativeTasks({
          db: knex,
          tasks: [
            {
              moduleId: 'broken',
              task: async () => {
                throw failure;
              },
            },
            { moduleId: 'seed', task: seedTask },
          ],
          writerFor: writerFor(phases),
          logger,
        }),
      ).resolves.toBeUndefined();
      expect(logger.error).toHaveBeenCalledWith(
        'Phases initiative task of broken failed',
        failure,
      );
      expect(await countEvents(knex)).toBe(6);
      // The failed task's lease is released.
      expect(await knex('freeboard_locks')).toEqual([]);
    });
  });
});

describe('initiative task registration', () => {
  it.each([['x'.repeat(65)], ['has space'], ['api'], ['']])(
    'stops the start-up for the module id %j',
    async moduleId => {
      const module = createBackendModule({
        pluginId: 'freeboard',
        moduleId: 'importer',
        register(reg) {
          reg.registerInit({
            deps: { phases: freeboardPhasesExtensionPoint },
            async init({ phases }) {
              phases.addInitiativeTask(moduleId, async () => {});
            },
          });
        },
      });
      await expect(
        startTestBackend({
          features: [freeboardPlugin, module, mockServices.database.factory()],
        }),
      ).rejects.toThrow(/initiative task module id .* must be 1 to 64/);
    },
  );
});
