import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  InitiativeState,
  MVP_PHASES,
  TRUST_LEVELS,
} from '@freeboard/backstage-plugin-common';
import { PhaseService } from '../phases/PhaseService';
import { stateQuery } from '../phases/validation';
import { parse } from '../shared/validation';
import { defined, splitEntityRef } from './caller';

/** Teams an initiative's adoption lists at most. */
const MAX_TEAMS = 100;

function compactState(state: InitiativeState) {
  const current = state.phases.find(p => p.status === 'current');
  return defined({
    entityRef: state.entityRef,
    started: state.started,
    iteration: state.iteration,
    phase: state.phase,
    version: state.version,
    startedAt: state.startedAt,
    asOf: state.asOf,
    pioneerTeamRef: state.pioneerTeamRef,
    trustLevel: state.trustLevel,
    blockers: state.blockers,
    phases: state.phases.map(p =>
      defined({
        id: p.id,
        status: p.status,
        enteredAt: p.enteredAt,
        targetDate: p.targetDate,
      }),
    ),
    currentPhase: current && {
      criteria: current.criteria.map(c =>
        defined({
          id: c.id,
          title: c.title,
          state: c.state,
          kind: c.kind,
          measured: c.measured,
          waiverExpiresAt: c.waiverExpiresAt,
        }),
      ),
      signoffs: current.signoffs.map(s =>
        defined({ groupRef: s.groupRef, state: s.state, comment: s.comment }),
      ),
    },
    cohorts: state.cohorts.map(c => ({
      name: c.name,
      targetDate: c.targetDate,
      adopted: c.adopted,
      total: c.total,
    })),
    adoption: {
      adoptedTeams: state.adoption.adoptedTeams,
      cohortTeams: state.adoption.cohortTeams,
      cohortTeamsAdopted: state.adoption.cohortTeamsAdopted,
      teams: state.adoption.teams.slice(0, MAX_TEAMS).map(t => ({
        teamRef: t.teamRef,
        state: t.state,
      })),
    },
  });
}

/**
 * The MVP-phase action: an initiative's phase, what blocks it and its
 * adoption, read through the route's service (the caller's visibility).
 */
export function registerPhasesActions(options: {
  actionsRegistry: ActionsRegistryService;
  service: PhaseService;
}) {
  const { actionsRegistry, service } = options;

  actionsRegistry.register({
    name: 'get-initiative-status',
    title: "Read an MVP initiative's phase, blockers and adoption",
    description:
      'Reads the MVP initiative of an entity (a platform capability): its ' +
      'iteration and phase (discovery, integration, deployment, adoption), ' +
      'what blocks it from advancing (open exit criteria, missing sign-offs), ' +
      'the exit criteria and sign-offs of the current phase, the adoption ' +
      'cohorts and which teams adopted it. With asOf, the state at a past ' +
      'time. Entities the caller cannot see in the catalog are not found.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            entityRef: z
              .string()
              .describe(
                'The entity, as an entity ref: kind:namespace/name, e.g. component:default/payments',
              ),
            asOf: z
              .string()
              .optional()
              .describe('ISO 8601 date or date-time in the past'),
          })
          .strict(),
      output: z => {
        const phase = z.enum(MVP_PHASES);
        return z.object({
          initiative: z.object({
            entityRef: z.string(),
            started: z
              .boolean()
              .describe('False when no initiative has started on the entity'),
            iteration: z.number(),
            phase,
            version: z.number(),
            startedAt: z.string().optional(),
            asOf: z.string().optional(),
            pioneerTeamRef: z.string().optional(),
            trustLevel: z.enum(TRUST_LEVELS).optional(),
            blockers: z
              .array(
                z.object({
                  kind: z.enum(['criterion', 'signoff']),
                  id: z.string(),
                  title: z.string(),
                }),
              )
              .describe('What blocks advancing; empty when it may advance'),
            phases: z.array(
              z.object({
                id: phase,
                status: z.enum(['done', 'current', 'upcoming']),
                enteredAt: z.string().optional(),
                targetDate: z.string().optional(),
              }),
            ),
            currentPhase: z
              .object({
                criteria: z.array(
                  z.object({
                    id: z.string(),
                    title: z.string(),
                    state: z.enum(['open', 'done', 'waived', 'expired']),
                    kind: z.enum(['manual', 'measured']),
                    measured: z.string().optional(),
                    waiverExpiresAt: z.string().optional(),
                  }),
                ),
                signoffs: z.array(
                  z.object({
                    groupRef: z.string(),
                    state: z.enum(['pending', 'approved', 'rejected']),
                    comment: z.string().optional(),
                  }),
                ),
              })
              .optional()
              .describe('Exit criteria and sign-offs of the current phase'),
            cohorts: z.array(
              z.object({
                name: z.string(),
                targetDate: z.string(),
                adopted: z.number(),
                total: z.number(),
              }),
            ),
            adoption: z.object({
              adoptedTeams: z.number(),
              cohortTeams: z.number(),
              cohortTeamsAdopted: z.number(),
              teams: z
                .array(
                  z.object({
                    teamRef: z.string(),
                    state: z.enum(['adopted', 'not-yet', 'lost']),
                  }),
                )
                .describe(`At most ${MAX_TEAMS} teams`),
            }),
          }),
        });
      },
    },
    action: async ({ input, credentials }) => {
      const { entityRef, rest } = splitEntityRef(input);
      const { asOf } = parse(stateQuery(service.currentTime()), rest);
      const state = await service.state(entityRef, credentials, asOf);
      return { output: { initiative: compactState(state) } };
    },
  });
}
