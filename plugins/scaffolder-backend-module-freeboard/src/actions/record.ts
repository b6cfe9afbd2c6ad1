import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  PreflightRequest,
  PreflightResult,
  RecordTrustEntryRequest,
  TrustConfig,
  TrustEntryResult,
  TrustSummary,
  TRUST_LEVELS,
} from '@freeboard/backstage-plugin-common';
import {
  FreeboardActionsOptions,
  FreeboardClient,
  entityPath,
  idempotencyKey,
} from '../client';

/** What a dry run outputs as `entryId`: no entry was written. */
export const DRY_RUN_ENTRY_ID = 'dry-run';

/**
 * Checks a planned entry without writing it. A spend goes through
 * Freeboard's pre-flight, which applies the same category, amount,
 * consumer and permission rules as recording and writes nothing; an
 * earning, which has no pre-flight, is checked against the trust settings
 * and the visibility of the entity and the consumer.
 */
async function validateWithoutWriting(
  client: FreeboardClient,
  doing: string,
  entity: { ref: string; path: string },
  body: RecordTrustEntryRequest,
): Promise<void> {
  const config = await client.request<TrustConfig>(
    doing,
    'GET',
    '/trust/config',
  );
  const category = config.categories.find(c => c.id === body.category);
  if (!category) {
    throw new InputError(
      `${doing}: category: "${
        body.category
      }" is not a known category (${config.categories
        .map(c => c.id)
        .join(', ')})`,
    );
  }
  if (!body.title.trim()) {
    throw new InputError(`${doing}: title: must not be empty`);
  }
  if (category.direction === 'spend') {
    const preflight: PreflightRequest = {
      category: body.category,
      amount: body.amount,
      ...(body.consumerRef ? { consumerRefs: [body.consumerRef] } : {}),
    };
    await client.request<PreflightResult>(
      doing,
      'POST',
      `/trust/entities/${entity.path}/preflight`,
      preflight,
    );
    return;
  }
  if (!(body.amount >= 0.01 && body.amount <= config.maxAmount)) {
    throw new InputError(
      `${doing}: amount: must be at least 0.01 and at most ${config.maxAmount}`,
    );
  }
  await client.request<TrustSummary>(
    doing,
    'GET',
    `/trust/entities/${entity.path}`,
  );
  if (body.consumerRef) {
    const consumer = entityPath('consumerRef', body.consumerRef);
    await client.request<TrustSummary>(
      `${doing}: consumerRef`,
      'GET',
      `/trust/entities/${consumer.path}`,
    );
  }
}

/**
 * Creates the `freeboard:trust:record` action: records a trust entry (an
 * earning or a spending) on an entity's ledger on behalf of the user who
 * runs the template, with their `freeboard.trust.entry.create` permission,
 * exactly as the record dialog does. Outputs the entry id.
 *
 * A retried step sends the same `Idempotency-Key`, so it never records
 * twice. A dry run checks the entry and writes nothing.
 */
export function createTrustRecordAction(options: FreeboardActionsOptions) {
  return createTemplateAction({
    id: 'freeboard:trust:record',
    description:
      "Records a trust credit entry on an entity's ledger as the user running the template. " +
      'A dry run checks it and writes nothing.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Record the trust a migration costs each consumer team',
        example: `steps:
  - id: record
    name: Record the migration's cost
    action: freeboard:trust:record
    input:
      entityRef: component:default/ci-pipelines
      category: migration
      amount: 20
      title: Pipelines move to the v3 runners
      evidenceUrl: https://tickets.example.com/PLAT-42
`,
      },
      {
        description:
          'Record the trust a self-service template earns from the team that used it',
        example: `steps:
  - id: earn
    name: Record the self-service win
    action: freeboard:trust:record
    input:
      entityRef: component:default/golden-path-templates
      category: self-service
      amount: 5
      title: \${{ parameters.name }} created without a ticket
      consumerRef: \${{ parameters.owner }}
`,
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z.string().min(1).describe('The entity whose ledger gets the entry'),
        category: z =>
          z
            .string()
            .min(1)
            .describe(
              "A category id of the trust settings; its direction (earn or spend) is the entry's",
            ),
        amount: z =>
          z.number().describe('Credits, at least 0.01 and at most the maximum'),
        title: z =>
          z.string().min(1).max(200).describe('One line: what happened'),
        description: z =>
          z.string().max(4000).optional().describe('More detail'),
        consumerRef: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe('The consumer team that gained or paid'),
        evidenceUrl: z =>
          z
            .string()
            .optional()
            .describe('An http(s) link to the evidence (a ticket, a post)'),
        occurredAt: z =>
          z
            .string()
            .optional()
            .describe('When it happened, ISO 8601 with a zone; default now'),
      },
      output: {
        entryId: z =>
          z
            .string()
            .describe(
              `The id of the recorded entry ("${DRY_RUN_ENTRY_ID}" in a dry run)`,
            ),
        entityRef: z => z.string().describe('The entity, normalized'),
        balance: z =>
          z
            .number()
            .describe(
              "The entity's balance after the entry (now, in a dry run)",
            ),
        level: z =>
          z
            .enum(TRUST_LEVELS)
            .describe("The entity's level after the entry (now, in a dry run)"),
      },
    },
    async handler(ctx) {
      const entity = entityPath('entityRef', ctx.input.entityRef);
      const client = new FreeboardClient(
        options,
        await ctx.getInitiatorCredentials(),
      );
      const { category, amount, title, description } = ctx.input;
      const { consumerRef, evidenceUrl, occurredAt } = ctx.input;
      // Freeboard refuses unknown and null fields: send only those given.
      const body: RecordTrustEntryRequest = {
        category,
        amount,
        title,
        ...(description !== undefined ? { description } : {}),
        ...(consumerRef !== undefined ? { consumerRef } : {}),
        ...(evidenceUrl !== undefined ? { evidenceUrl } : {}),
        ...(occurredAt !== undefined ? { occurredAt } : {}),
      };
      const what = `${body.amount} credits of ${body.category} "${
        body.title
      }" on ${entity.ref}${body.consumerRef ? ` for ${body.consumerRef}` : ''}`;

      if (ctx.isDryRun) {
        const doing = `Dry run of recording ${body.category} on ${entity.ref}`;
        await validateWithoutWriting(client, doing, entity, body);
        const summary = await client.request<TrustSummary>(
          doing,
          'GET',
          `/trust/entities/${entity.path}`,
        );
        ctx.logger.info(`Dry run: would record ${what}; nothing was written`);
        ctx.output('entryId', DRY_RUN_ENTRY_ID);
        ctx.output('entityRef', entity.ref);
        ctx.output('balance', summary.balance);
        ctx.output('level', summary.level);
        return;
      }

      const result = await client.request<TrustEntryResult>(
        `Recording ${body.category} on ${entity.ref}`,
        'POST',
        `/trust/entities/${entity.path}/entries`,
        body,
        {
          'idempotency-key': idempotencyKey({
            taskId: ctx.task.id,
            stepId: ctx.step?.id,
            request: body,
          }),
        },
      );
      ctx.logger.info(
        `Recorded entry ${
          result.entry.id
        }: ${what}; the balance is now ${result.summary.balance.toFixed(2)} (${
          result.summary.level
        })`,
      );
      ctx.output('entryId', result.entry.id);
      ctx.output('entityRef', entity.ref);
      ctx.output('balance', result.summary.balance);
      ctx.output('level', result.summary.level);
    },
  });
}
