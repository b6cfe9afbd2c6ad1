import { AuditorService, AuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  TrustLedgerEntry,
  TrustSummary,
  TRUST_LEVELS,
} from '@freeboard/backstage-plugin-common';
import { createAuditedRunner } from '../shared/audit';
import { idempotencyKeyFrom, parse } from '../shared/validation';
import { TrustService } from '../trust/TrustService';
import { TrustWriteService } from '../trust/TrustWriteService';
import { preflightSchema, recordEntrySchema } from '../trust/validation';
import {
  actionAuditMeta,
  defined,
  splitEntityRef,
  userCredentials,
} from './caller';

/** Consumers an action's summary lists: the lowest balances first. */
const SUMMARY_CONSUMERS = 10;

const ENTITY_REF_HELP =
  'The entity, as an entity ref: kind:namespace/name, e.g. component:default/payments';

type Zod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

const levelSchema = (z: Zod) =>
  z
    .enum(TRUST_LEVELS)
    .describe('Trust level: overdrawn (below 0), thin, healthy or strong');

const summarySchema = (z: Zod) =>
  z.object({
    entityRef: z.string(),
    balance: z
      .number()
      .describe('Faded balance: credits earned minus credits spent'),
    level: levelSchema(z),
    earned: z.number(),
    spent: z.number(),
    entryCount: z.number(),
    lastEntryAt: z.string().optional(),
    pulses: z
      .object({
        last30Days: z.object({ up: z.number(), down: z.number() }),
        last7Days: z.object({ up: z.number(), down: z.number() }),
      })
      .describe('Developer feedback pulses counted in the last 30 and 7 days'),
    consumerCount: z.number().describe('Consumer teams with a balance'),
    consumers: z
      .array(
        z.object({
          consumerRef: z.string(),
          balance: z.number(),
          level: levelSchema(z),
        }),
      )
      .describe(
        `The ${SUMMARY_CONSUMERS} consumer teams with the lowest balances, lowest first`,
      ),
  });

function compactSummary(summary: TrustSummary) {
  return defined({
    entityRef: summary.entityRef,
    balance: summary.balance,
    level: summary.level,
    earned: summary.earned,
    spent: summary.spent,
    entryCount: summary.entryCount,
    lastEntryAt: summary.lastEntryAt,
    pulses: summary.pulses,
    consumerCount: summary.consumers.length,
    consumers: summary.consumers.slice(0, SUMMARY_CONSUMERS),
  });
}

function compactEntry(entry: TrustLedgerEntry) {
  return defined({
    id: entry.id,
    entityRef: entry.entityRef,
    direction: entry.direction,
    category: entry.category,
    amount: entry.amount,
    title: entry.title,
    consumerRef: entry.consumerRef,
    evidenceUrl: entry.evidenceUrl,
    occurredAt: entry.occurredAt,
    recordedBy: entry.recordedBy,
  });
}

/** The routes' `Idempotency-Key` rule, its error naming the input field. */
function idempotencyKeyOf(key: string | undefined): string | undefined {
  try {
    return idempotencyKeyFrom(key);
  } catch (error) {
    throw new InputError(
      (error as Error).message.replace('Idempotency-Key', 'idempotencyKey'),
    );
  }
}

/**
 * The trust-credit actions: read a summary, project a spend, record an
 * entry. Each parses with the routes' schemas and goes through the same
 * services, so visibility, permissions and auditing are the routes' own.
 */
export function registerTrustActions(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  auditor: AuditorService;
  service: TrustService;
  writes: TrustWriteService;
}) {
  const { actionsRegistry, auth, service, writes } = options;
  const audited = createAuditedRunner(options.auditor);
  const categories = service.config.categories;
  const spendCategories = categories
    .filter(c => c.direction === 'spend')
    .map(c => c.id);

  actionsRegistry.register({
    name: 'get-trust-summary',
    title: 'Read the trust summary of an entity',
    description:
      "Reads an entity's trust credits: its faded balance and level " +
      '(overdrawn, thin, healthy, strong), credits earned and spent, pulses, ' +
      'and the consumer teams with the lowest balances. Entities the caller ' +
      'cannot see in the catalog are not found.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({ entityRef: z.string().describe(ENTITY_REF_HELP) }).strict(),
      output: z => z.object({ summary: summarySchema(z) }),
    },
    action: async ({ input, credentials }) => {
      const { entityRef } = splitEntityRef(input);
      const summary = await service.summary(entityRef, credentials);
      return { output: { summary: compactSummary(summary) } };
    },
  });

  actionsRegistry.register({
    name: 'preflight-trust-spend',
    title: 'Project a trust spend before making it',
    description:
      'Projects a planned spend (a migration, a breaking change) on an entity ' +
      'and on each of its consumer teams, and answers whether it is ' +
      'affordable, risky or would overdraw them. Writes nothing, but needs ' +
      'the right to record trust credits on the entity. Consumer teams are ' +
      `found in the catalog unless listed. Spend categories: ${spendCategories.join(
        ', ',
      )}.`,
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            entityRef: z.string().describe(ENTITY_REF_HELP),
            category: z.string().describe('A spend category id'),
            amount: z
              .number()
              .describe(
                `Credits the change would cost (0.01 to ${service.config.maxAmount})`,
              ),
            consumerRefs: z
              .array(z.string())
              .optional()
              .describe(
                'Consumer teams to project on (at most 100); default: those the catalog finds',
              ),
          })
          .strict(),
      output: z =>
        z.object({
          balance: z.number(),
          projectedBalance: z.number(),
          verdict: z.enum(['affordable', 'risky', 'overdrawn']),
          consumers: z.array(
            z.object({
              consumerRef: z.string(),
              balance: z.number(),
              projectedBalance: z.number(),
              verdict: z.enum(['affordable', 'risky', 'overdrawn']),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const result = await audited(
        'trust-preflight',
        'low',
        undefined,
        actionAuditMeta(auth, credentials, input.entityRef),
        async meta => {
          const user = userCredentials(auth, credentials);
          const { entityRef, rest } = splitEntityRef(input);
          meta.entityRef = entityRef;
          const body = parse(preflightSchema(service.config), rest);
          return writes.preflight(entityRef, body, {
            type: 'user',
            credentials: user,
          });
        },
      );
      return { output: result };
    },
  });

  actionsRegistry.register({
    name: 'record-trust-entry',
    title: 'Record trust credits earned or spent',
    description:
      'Records a trust-credit entry on an entity in the name of the caller: ' +
      'credits earned (a fix, help given) or spent (a migration, an outage), ' +
      'optionally against one consumer team. Needs the right to record on the ' +
      'entity (the caller is refused otherwise). Pass an idempotencyKey to make ' +
      `retries safe. Categories: ${categories
        .map(c => `${c.id} (${c.direction})`)
        .join(', ')}.`,
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z
          .object({
            entityRef: z.string().describe(ENTITY_REF_HELP),
            category: z.string().describe('A category id'),
            amount: z
              .number()
              .describe(
                `Credits, a positive number (0.01 to ${service.config.maxAmount})`,
              ),
            title: z.string().describe('What happened, one line'),
            direction: z
              .enum(['earn', 'spend'])
              .optional()
              .describe("Must match the category's; inferred when left out"),
            description: z.string().optional(),
            consumerRef: z
              .string()
              .optional()
              .describe('The consumer team it concerns, as an entity ref'),
            evidenceUrl: z.string().optional().describe('An http(s) link'),
            occurredAt: z
              .string()
              .optional()
              .describe('ISO 8601 date-time; default now'),
            idempotencyKey: z
              .string()
              .optional()
              .describe(
                'Any unique string; a retry with the same key and input records once',
              ),
          })
          .strict(),
      output: z =>
        z.object({
          entry: z.object({
            id: z.string(),
            entityRef: z.string(),
            direction: z.enum(['earn', 'spend']),
            category: z.string(),
            amount: z.number(),
            title: z.string(),
            consumerRef: z.string().optional(),
            evidenceUrl: z.string().optional(),
            occurredAt: z.string(),
            recordedBy: z.string(),
          }),
          replayed: z
            .boolean()
            .describe(
              'True when an earlier call with this idempotencyKey recorded it',
            ),
          summary: summarySchema(z).describe('The entity after the entry'),
        }),
    },
    action: async ({ input, credentials, logger }) => {
      const written = await audited(
        'trust-entry-record',
        'medium',
        undefined,
        actionAuditMeta(auth, credentials, input.entityRef),
        async meta => {
          const user = userCredentials(auth, credentials);
          const { entityRef, rest } = splitEntityRef(input);
          meta.entityRef = entityRef;
          const { idempotencyKey: key, ...body } = rest;
          const idempotencyKey = idempotencyKeyOf(key);
          const entry = parse(
            recordEntrySchema(service.config, service.currentTime()),
            body,
          );
          const result = await writes.recordEntry(
            entityRef,
            entry,
            { type: 'user', credentials: user },
            { idempotencyKey },
          );
          meta.entryId = result.entry.id;
          meta.replayed = result.replayed;
          return result;
        },
      );
      if (!written.replayed) {
        logger.info('Recorded trust entry through an action', {
          entityRef: written.entry.entityRef,
          entryId: written.entry.id,
        });
      }
      return {
        output: {
          entry: compactEntry(written.entry),
          replayed: written.replayed,
          summary: compactSummary(written.summary),
        },
      };
    },
  });
}
