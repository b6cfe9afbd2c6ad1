import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  InitiativeState,
  MVP_PHASES,
  PhaseWriteResult,
  SetCriterionRequest,
} from '@freeboard/backstage-plugin-common';
import {
  FreeboardActionsOptions,
  FreeboardClient,
  entityPath,
} from '../client';

/** The shape of Freeboard's criterion ids (`<phase>.<template id>`, `own-<n>`). */
const CRITERION_ID = /^(own-[0-9]{1,10}|[a-z]+\.[a-z0-9-]{1,64})$/;

/**
 * Finds the criterion in the initiative's current phase, or fails the task
 * saying why it cannot be set from a template.
 */
function currentCriterion(
  state: InitiativeState,
  entityRef: string,
  criterionId: string,
  expectedPhase: string | undefined,
) {
  if (!state.started) {
    throw new ConflictError(
      `${entityRef} has not started an MVP initiative: start it in its Phases tab first`,
    );
  }
  if (expectedPhase && state.phase !== expectedPhase) {
    throw new ConflictError(
      `phase: the initiative of ${entityRef} is in ${state.phase}, not ${expectedPhase}`,
    );
  }
  const current = state.phases.find(p => p.id === state.phase);
  const criterion = current?.criteria.find(c => c.id === criterionId);
  if (!criterion) {
    const elsewhere = state.phases.find(p =>
      p.criteria.some(c => c.id === criterionId),
    );
    if (elsewhere) {
      throw new ConflictError(
        `criterionId: "${criterionId}" belongs to ${elsewhere.id}, and the initiative of ${entityRef} is in ${state.phase}`,
      );
    }
    throw new NotFoundError(
      `criterionId: the ${
        state.phase
      } phase of ${entityRef} has no criterion "${criterionId}" (it has ${
        current?.criteria.map(c => c.id).join(', ') || 'none'
      })`,
    );
  }
  if (criterion.kind === 'measured') {
    throw new ConflictError(
      `criterionId: "${criterionId}" (${criterion.title}) is measured from the catalog and cannot be ticked by hand`,
    );
  }
  return criterion;
}

/**
 * Creates the `freeboard:phases:set-criterion` action: ticks (or unticks) an
 * exit criterion of the current phase of an entity's MVP initiative, for
 * instance "representative applications deployed" from a template that
 * deploys one. Runs as the user who started the task, with their
 * `freeboard.phases.manage` permission; the write carries the version it
 * read, so a concurrent change fails the step instead of being overwritten.
 *
 * With `phase`, the step fails unless the initiative is in that phase. A
 * criterion already in the wanted state is left alone. A dry run checks the
 * criterion against the initiative and writes nothing.
 */
export function createPhasesSetCriterionAction(
  options: FreeboardActionsOptions,
) {
  return createTemplateAction({
    id: 'freeboard:phases:set-criterion',
    description:
      "Ticks or unticks an exit criterion of the current phase of an entity's MVP initiative " +
      'as the user running the template. A dry run checks it and writes nothing.',
    supportsDryRun: true,
    examples: [
      {
        description:
          'Tick "representative applications deployed" once the template has deployed one',
        example: `steps:
  - id: tick
    name: Representative application deployed
    action: freeboard:phases:set-criterion
    input:
      entityRef: component:default/kubernetes-runtime
      criterionId: deployment.representative-apps
      phase: deployment
`,
      },
      {
        description: 'Open a criterion again',
        example: `steps:
  - id: untick
    name: Golden paths need another look
    action: freeboard:phases:set-criterion
    input:
      entityRef: component:default/kubernetes-runtime
      criterionId: discovery.golden-paths
      state: open
      reason: The pioneer team asked for a second path
`,
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z.string().min(1).describe('The entity whose MVP initiative it is'),
        criterionId: z =>
          z
            .string()
            .regex(CRITERION_ID)
            .describe(
              'The criterion id: <phase>.<template id> (deployment.representative-apps) or own-<n>',
            ),
        state: z =>
          z
            .enum(['done', 'open'])
            .optional()
            .describe('done ticks (the default), open unticks'),
        phase: z =>
          z
            .enum(MVP_PHASES)
            .optional()
            .describe('Fail unless the initiative is in this phase'),
        reason: z =>
          z.string().max(2000).optional().describe('Why, for the history'),
      },
      output: {
        entityRef: z => z.string().describe('The entity, normalized'),
        phase: z => z.string().describe("The initiative's current phase"),
        version: z =>
          z.number().describe("The initiative's version after the step"),
        changed: z =>
          z
            .boolean()
            .describe('Whether the criterion changed (false in a dry run)'),
        blockers: z =>
          z.array(z.string()).describe('What still blocks advancing, in words'),
      },
    },
    async handler(ctx) {
      const entity = entityPath('entityRef', ctx.input.entityRef);
      const { criterionId, phase, reason } = ctx.input;
      if (!CRITERION_ID.test(criterionId)) {
        throw new InputError(
          `criterionId: "${criterionId}" is not a criterion id like deployment.representative-apps or own-3`,
        );
      }
      const wanted = ctx.input.state ?? 'done';
      const client = new FreeboardClient(
        options,
        await ctx.getInitiatorCredentials(),
      );
      const state = await client.request<InitiativeState>(
        `Reading the MVP initiative of ${entity.ref}`,
        'GET',
        `/phases/entities/${entity.path}`,
      );
      const criterion = currentCriterion(state, entity.ref, criterionId, phase);
      const describe = (s: InitiativeState) => s.blockers.map(b => b.title);

      ctx.output('entityRef', entity.ref);
      ctx.output('phase', state.phase);
      if (criterion.state === wanted) {
        ctx.logger.info(
          `"${criterion.title}" (${criterionId}) of ${entity.ref} is ${wanted} already; nothing to do`,
        );
        ctx.output('version', state.version);
        ctx.output('changed', false);
        ctx.output('blockers', describe(state));
        return;
      }
      const verb = wanted === 'done' ? 'tick' : 'untick';
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would ${verb} "${criterion.title}" (${criterionId}, now ${criterion.state}) ` +
            `in the ${state.phase} phase of ${entity.ref}; nothing was written`,
        );
        ctx.output('version', state.version);
        ctx.output('changed', false);
        ctx.output('blockers', describe(state));
        return;
      }
      const body: SetCriterionRequest = {
        state: wanted,
        expectedVersion: state.version,
        ...(reason ? { reason } : {}),
      };
      const result = await client.request<PhaseWriteResult>(
        `Setting ${criterionId} of ${entity.ref} to ${wanted}`,
        'PUT',
        `/phases/entities/${entity.path}/criteria/${encodeURIComponent(
          criterionId,
        )}`,
        body,
      );
      const blockers = describe(result.state);
      ctx.logger.info(
        `${verb === 'tick' ? 'Ticked' : 'Unticked'} "${
          criterion.title
        }" in the ${state.phase} phase of ${entity.ref}; ${
          blockers.length
            ? `still blocking: ${blockers.join('; ')}`
            : 'nothing blocks advancing now'
        }`,
      );
      ctx.output('version', result.state.version);
      ctx.output('changed', true);
      ctx.output('blockers', blockers);
    },
  });
}
