import {
  BackstageCredentials,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  FREEBOARD_ENTITY_RESOURCE_TYPE,
  InitiativeState,
  MvpPhase,
  PhaseBlocker,
  normalizeEntityRef,
  phasesManagePermission,
  phasesSignoffPermission,
} from '@freeboard/backstage-plugin-common';
import { ResourceAuthorizer } from '../shared/authorize';
import { CatalogVisibility } from '../shared/visibility';
import {
  PhaseBlockedError,
  decideAddCohort,
  decideAddCriterion,
  decidePioneer,
  decideRemoveCohort,
  decideRemoveCriterion,
  decideRequestSignoff,
  decideSetCriterion,
  decideSignoff,
  decideStart,
  decideTarget,
  decideTransition,
  decideUpdateCohort,
} from './domain/commands';
import { evaluate } from './domain/evaluate';
import { PhaseEventData } from './domain/events';
import { InitiativeRecord } from './domain/record';
import { Measured, PhaseService } from './PhaseService';
import {
  AppendResult,
  PhaseStore,
  StaleVersionError,
} from './store/PhaseStore';
import { CohortInput, MAX_COHORT_TEAMS } from './validation';

/** A signed-in user's credentials: only users write phases. */
export type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/**
 * A 409 that carries what the client needs to recover: the blockers of a
 * refused advance, or the current version of a stale write, and the state.
 */
export class PhaseConflictError extends ConflictError {
  constructor(
    message: string,
    readonly details: {
      state: InitiativeState;
      blockers?: PhaseBlocker[];
      currentVersion?: number;
    },
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** What every write is given: where, by whom, and the version seen. */
interface WriteContext {
  entityRef: string;
  credentials: UserCredentials;
  expectedVersion?: number;
}

/**
 * Every phases write, one method each. Each loads the entity with the
 * caller's credentials (404 when invisible), authorizes the caller on it,
 * then appends the events a pure `decide*` function chose, in the store's
 * transaction, and answers with the new state.
 */
export class PhaseWriteService {
  constructor(
    private readonly options: {
      phases: PhaseStore;
      service: PhaseService;
      visibility: CatalogVisibility;
      userInfo: UserInfoService;
      authorizer: ResourceAuthorizer<
        Entity,
        typeof FREEBOARD_ENTITY_RESOURCE_TYPE
      >;
      /** Called once events are committed; must return at once and not throw. */
      onAppended?: (entityRef: string, result: AppendResult) => void;
    },
  ) {}

  private get service() {
    return this.options.service;
  }

  /** The entity, visible to the caller and writable under `permission`. */
  private async writable(
    context: WriteContext,
    permission:
      | typeof phasesManagePermission
      | typeof phasesSignoffPermission = phasesManagePermission,
  ): Promise<Entity> {
    const entity = await this.service.entity(
      context.entityRef,
      context.credentials,
    );
    await this.options.authorizer.authorize(
      permission,
      entity,
      context.credentials,
    );
    return entity;
  }

  /** Refs in `refs` the caller cannot see answer 400, naming the field. */
  private async requireVisibleGroups(
    field: string,
    refs: string[],
    credentials: UserCredentials,
    indexed: boolean,
  ): Promise<void> {
    const visible = await this.options.visibility.refs(refs, credentials);
    const problems = refs.flatMap((ref, i) =>
      visible.has(ref)
        ? []
        : [
            `${
              indexed ? `${field}.${i}` : field
            }: no group ${ref} in the catalog`,
          ],
    );
    if (problems.length > 0) throw new InputError(problems.join('; '));
  }

  /**
   * Appends what `decide` returns for the current record and answers the
   * new state. A stale version or a blocked advance becomes a
   * {@link PhaseConflictError} with the current state.
   */
  private async append(
    context: WriteContext,
    entity: Entity,
    decide: (record: InitiativeRecord, now: Date) => PhaseEventData,
    options: { reason?: string; measured?: Measured } = {},
  ): Promise<InitiativeState> {
    const { entityRef, credentials } = context;
    const now = this.service.currentTime();
    const actorRef = normalizeEntityRef(credentials.principal.userEntityRef);
    let result;
    try {
      result = await this.options.phases.append(
        entityRef,
        context.expectedVersion,
        record => [
          {
            occurredAt: now.toISOString(),
            actorRef,
            ...(options.reason ? { reason: options.reason } : {}),
            data: decide(record, now),
          },
        ],
      );
    } catch (error) {
      if (error instanceof StaleVersionError) {
        throw new PhaseConflictError(error.message, {
          currentVersion: error.currentVersion,
          state: await this.service.state(entityRef, credentials),
        });
      }
      if (error instanceof PhaseBlockedError) {
        // The blockers as the caller may see them (a pioneer team they
        // cannot see is not named), from the state that blocked.
        const state = await this.service.state(entityRef, credentials);
        const titles = state.blockers.map(b => b.title).join('; ');
        throw new PhaseConflictError(
          titles
            ? `The initiative cannot advance: ${titles}`
            : 'The initiative cannot advance yet: it changed meanwhile',
          { blockers: state.blockers, state },
        );
      }
      throw error;
    }
    this.options.onAppended?.(entityRef, result);
    const measured =
      options.measured ?? (await this.service.measure(entity, entityRef));
    return this.service.stateOf(
      entityRef,
      result.record,
      measured,
      credentials,
    );
  }

  /** Starts the initiative at Discovery, iteration 1. */
  async start(context: WriteContext): Promise<InitiativeState> {
    const entity = await this.writable(context);
    const data = decideStart(this.service.config);
    if (data.type !== 'started') throw new Error('Unexpected start event');
    const { record } = await this.options.phases.start(context.entityRef, {
      occurredAt: this.service.currentTime().toISOString(),
      actorRef: normalizeEntityRef(context.credentials.principal.userEntityRef),
      data,
    });
    return this.service.stateOf(
      context.entityRef,
      record,
      await this.service.measure(entity, context.entityRef),
      context.credentials,
    );
  }

  /**
   * Advances or steps back. The blockers are evaluated inside the store's
   * transaction, against the locked record and measurements taken just
   * before, so two racing advances cannot both pass.
   */
  async transition(
    context: WriteContext,
    input: { to: MvpPhase; reason?: string; direction?: 'advance' | 'back' },
  ): Promise<InitiativeState> {
    const entity = await this.writable(context);
    const measured = await this.service.measure(entity, context.entityRef);
    return this.append(
      context,
      entity,
      (record, now) =>
        decideTransition(
          record,
          input.to,
          input.reason,
          evaluate(record, measured.measurements, now).blockers,
          input.direction,
        ),
      { reason: input.reason, measured },
    );
  }

  async addCriterion(
    context: WriteContext,
    input: { phase: MvpPhase; title: string; description?: string },
  ): Promise<InitiativeState> {
    const entity = await this.writable(context);
    return this.append(context, entity, record =>
      decideAddCriterion(record, input),
    );
  }

  async removeCriterion(
    context: WriteContext,
    id: string,
  ): Promise<InitiativeState> {
    const entity = await this.writable(context);
    return this.append(context, entity, record =>
      decideRemoveCriterion(record, id),
    );
  }

  async setCriterion(
    context: WriteContext,
    id: string,
    input: {
      state: 'done' | 'open' | 'waived';
      reason?: string;
      waiverExpiresAt?: Date;
    },
  ): Promise<InitiativeState> {
    const entity = await this.writable(context);
    return this.append(
      context,
      entity,
      (record, now) =>
        decideSetCriterion(record, id, input, this.service.config, now),
      { reason: input.reason },
    );
  }

  async requestSignoff(
    context: WriteContext,
    input: { phase: MvpPhase; groupRef: string },
  ): Promise<InitiativeState> {
    const entity = await this.writable(context);
    await this.requireVisibleGroups(
      'groupRef',
      [input.groupRef],
      context.credentials,
      false,
    );
    return this.append(context, entity, record =>
      decideRequestSignoff(record, input.phase, input.groupRef),
    );
  }

  /**
   * Approves or rejects a sign-off on behalf of a group. Besides the
   * permission, the caller must belong to the group (their ownership refs
   * name it), whatever the policy says.
   */
  async decideSignoff(
    context: WriteContext,
    input: {
      phase: MvpPhase;
      groupRef: string;
      decision: 'approve' | 'reject';
      comment?: string;
    },
  ): Promise<InitiativeState> {
    const entity = await this.writable(context, phasesSignoffPermission);
    const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
      context.credentials,
    );
    const memberOf = new Set(ownershipEntityRefs.map(normalizeEntityRef));
    if (!memberOf.has(input.groupRef)) {
      throw new NotAllowedError(
        `Only members of ${input.groupRef} may decide its sign-off`,
      );
    }
    return this.append(context, entity, record => decideSignoff(record, input));
  }

  async setPioneer(
    context: WriteContext,
    teamRef: string | null,
  ): Promise<InitiativeState> {
    const entity = await this.writable(context);
    if (teamRef) {
      await this.requireVisibleGroups(
        'teamRef',
        [teamRef],
        context.credentials,
        false,
      );
    }
    return this.append(context, entity, () => decidePioneer(teamRef));
  }

  async setTarget(
    context: WriteContext,
    phase: MvpPhase,
    date: string | null,
  ): Promise<InitiativeState> {
    const entity = await this.writable(context);
    return this.append(context, entity, () => decideTarget(phase, date));
  }

  async addCohort(
    context: WriteContext,
    input: Omit<CohortInput, 'expectedVersion'>,
  ): Promise<InitiativeState> {
    const entity = await this.writable(context);
    await this.requireVisibleGroups(
      'teamRefs',
      input.teamRefs,
      context.credentials,
      true,
    );
    const cohort = {
      name: input.name,
      targetDate: input.targetDate,
      teamRefs: input.teamRefs,
    };
    return this.append(context, entity, record =>
      decideAddCohort(record, cohort),
    );
  }

  /**
   * Replaces a cohort. Teams of the cohort that the caller cannot see are
   * kept: a caller cannot remove what they are not shown.
   */
  async updateCohort(
    context: WriteContext,
    id: string,
    input: Omit<CohortInput, 'expectedVersion'>,
  ): Promise<InitiativeState> {
    const entity = await this.writable(context);
    await this.requireVisibleGroups(
      'teamRefs',
      input.teamRefs,
      context.credentials,
      true,
    );
    const record = await this.options.phases.getRecord(context.entityRef);
    const before = record?.cohorts.find(c => c.id === id)?.teamRefs ?? [];
    const shown = await this.options.visibility.refs(
      before,
      context.credentials,
    );
    const hidden = new Set(before.filter(t => !shown.has(t)));
    return this.append(context, entity, current => {
      const kept = (
        current.cohorts.find(c => c.id === id)?.teamRefs ?? []
      ).filter(t => hidden.has(t) && !input.teamRefs.includes(t));
      const teamRefs = [...input.teamRefs, ...kept];
      if (teamRefs.length > MAX_COHORT_TEAMS) {
        throw new InputError(
          `teamRefs: with the teams you cannot see, the cohort would list more than ${MAX_COHORT_TEAMS} teams`,
        );
      }
      return decideUpdateCohort(current, id, {
        name: input.name,
        targetDate: input.targetDate,
        teamRefs,
      });
    });
  }

  async removeCohort(
    context: WriteContext,
    id: string,
  ): Promise<InitiativeState> {
    const entity = await this.writable(context);
    return this.append(context, entity, record =>
      decideRemoveCohort(record, id),
    );
  }
}
