import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  FREEBOARD_ENTITY_RESOURCE_TYPE,
  FREEBOARD_TRUST_ENTRY_RESOURCE_TYPE,
  PreflightResult,
  PulseResult,
  PulseSentiment,
  PulseWithdrawal,
  TRUST_PULSE_CATEGORIES,
  TrustEntryResult,
  TrustLedgerEntry,
  normalizeEntityRef,
  trustEntryCreatePermission,
  trustEntryRevertPermission,
  trustPulseCreatePermission,
} from '@freeboard/backstage-plugin-common';
import { FreeboardTrustEntryResource } from '@freeboard/backstage-plugin-node';
import { createHash } from 'node:crypto';
import { ResourceAuthorizer } from '../shared/authorize';
import { CatalogVisibility } from '../shared/visibility';
import { TrustLedgerStore, TrustReadStore } from './store/TrustStore';
import { TrustService, noEntry } from './TrustService';
import { RecordEntryInput } from './validation';

/**
 * Who writes: a signed-in user (authorized through the permission framework
 * with their credentials) or a backend module (trusted code, whose entries
 * carry its id as their source and which sees the catalog as the plugin).
 */
export type TrustWriter =
  | { type: 'user'; credentials: BackstageCredentials<BackstageUserPrincipal> }
  | { type: 'module'; moduleId: string; recordedBy: string };

/** JSON with sorted keys, so that equal requests hash equally. */
function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter(k => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical((value as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Every trust-credit write, one method each, for the HTTP routes and for
 * backend modules alike: the entity and any consumer must be visible to the
 * writer, users must hold the permission, and the store does the rest.
 */
export class TrustWriteService {
  constructor(
    private readonly options: {
      ledger: TrustLedgerStore;
      reads: TrustReadStore;
      service: TrustService;
      visibility: CatalogVisibility;
      auth: AuthService;
      entityAuthorizer: ResourceAuthorizer<
        Entity,
        typeof FREEBOARD_ENTITY_RESOURCE_TYPE
      >;
      entryAuthorizer: ResourceAuthorizer<
        FreeboardTrustEntryResource,
        typeof FREEBOARD_TRUST_ENTRY_RESOURCE_TYPE
      >;
      /** Called once an entry is committed; must return at once and not throw. */
      onRecorded?: (entry: TrustLedgerEntry) => void;
    },
  ) {}

  private async credentialsOf(
    writer: TrustWriter,
  ): Promise<BackstageCredentials> {
    return writer.type === 'user'
      ? writer.credentials
      : this.options.auth.getOwnServiceCredentials();
  }

  private recorderOf(writer: TrustWriter): string {
    return writer.type === 'user'
      ? normalizeEntityRef(writer.credentials.principal.userEntityRef)
      : writer.recordedBy;
  }

  private sourceOf(writer: TrustWriter): string {
    return writer.type === 'user' ? 'manual' : writer.moduleId;
  }

  /** The entity, visible to the writer and writable under `permission`. */
  private async writableEntity(
    entityRef: string,
    writer: TrustWriter,
    permission: typeof trustEntryCreatePermission,
  ): Promise<{ entity: Entity; credentials: BackstageCredentials }> {
    const credentials = await this.credentialsOf(writer);
    const entity = await this.options.visibility.entity(entityRef, credentials);
    if (writer.type === 'user') {
      await this.options.entityAuthorizer.authorize(
        permission,
        entity,
        credentials,
      );
    }
    return { entity, credentials };
  }

  async recordEntry(
    entityRef: string,
    input: RecordEntryInput,
    writer: TrustWriter,
    options: { idempotencyKey?: string } = {},
  ): Promise<TrustEntryResult & { replayed: boolean }> {
    const { credentials } = await this.writableEntity(
      entityRef,
      writer,
      trustEntryCreatePermission,
    );
    if (input.consumerRef) {
      const visible = await this.options.visibility.refs(
        [input.consumerRef],
        credentials,
      );
      if (!visible.has(input.consumerRef)) {
        throw new InputError(
          `consumerRef: no entity ${input.consumerRef} in the catalog`,
        );
      }
    }
    const idempotency = options.idempotencyKey
      ? {
          key: options.idempotencyKey,
          requestHash: createHash('sha256')
            .update(canonical({ entityRef, input }))
            .digest('hex'),
        }
      : undefined;
    const { entry, replayed } = await this.options.ledger.appendEntry(
      {
        ...input,
        entityRef,
        occurredAt: input.occurredAt ?? this.options.service.currentTime(),
        recordedBy: this.recorderOf(writer),
        source: this.sourceOf(writer),
      },
      { idempotency },
    );
    if (!replayed) this.options.onRecorded?.(entry);
    const summary = await this.options.service.summary(entityRef, credentials);
    return { entry, summary, replayed };
  }

  /** Appends the correction of an entry; pulses and corrections refuse (409). */
  async revertEntry(
    entityRef: string,
    entryId: string,
    reason: string,
    writer: TrustWriter,
  ): Promise<TrustEntryResult> {
    const credentials = await this.credentialsOf(writer);
    const entity = await this.options.visibility.entity(entityRef, credentials);
    const original = await this.options.reads.getEntry(entityRef, entryId);
    if (!original) throw noEntry(entityRef, entryId);
    if (writer.type === 'user') {
      await this.options.entryAuthorizer.authorize(
        trustEntryRevertPermission,
        { entry: original, entity },
        credentials,
      );
    }
    const entry = await this.options.ledger.revertEntry({
      entityRef,
      entryId,
      reason,
      recordedBy: this.recorderOf(writer),
      source: this.sourceOf(writer),
      recordedAt: this.options.service.currentTime(),
    });
    this.options.onRecorded?.(entry);
    return {
      entry,
      summary: await this.options.service.summary(entityRef, credentials),
    };
  }

  /** Projects a spend; writes nothing, but needs the right to record one. */
  async preflight(
    entityRef: string,
    body: { amount: number; consumerRefs?: string[] },
    writer: TrustWriter,
  ): Promise<PreflightResult> {
    const { entity, credentials } = await this.writableEntity(
      entityRef,
      writer,
      trustEntryCreatePermission,
    );
    return this.options.service.preflight({ entity, credentials, ...body });
  }

  /** Records the user's pulse of the week, replacing their earlier one. */
  async recordPulse(
    entityRef: string,
    body: { sentiment: PulseSentiment; comment?: string },
    writer: Extract<TrustWriter, { type: 'user' }>,
  ): Promise<PulseResult> {
    const { credentials } = await this.writableEntity(
      entityRef,
      writer,
      trustPulseCreatePermission,
    );
    const categoryId = TRUST_PULSE_CATEGORIES[body.sentiment];
    const category = this.options.service.config.categories.find(
      c => c.id === categoryId,
    )!;
    const { entry, replaced } = await this.options.ledger.recordPulse({
      entityRef,
      userRef: this.recorderOf(writer),
      sentiment: body.sentiment,
      category: category.id,
      amount: category.defaultAmount,
      title: category.title,
      comment: body.comment,
      at: this.options.service.currentTime(),
    });
    this.options.onRecorded?.(entry);
    const summary = await this.options.service.summary(entityRef, credentials);
    return { entry, replaced, summary };
  }

  /** Withdraws the user's own pulse of the week, if they sent one. */
  async withdrawPulse(
    entityRef: string,
    writer: Extract<TrustWriter, { type: 'user' }>,
  ): Promise<PulseWithdrawal> {
    const credentials = writer.credentials;
    await this.options.visibility.entity(entityRef, credentials);
    const { withdrawn } = await this.options.ledger.withdrawPulse({
      entityRef,
      userRef: this.recorderOf(writer),
      at: this.options.service.currentTime(),
    });
    return {
      withdrawn,
      summary: await this.options.service.summary(entityRef, credentials),
    };
  }
}
