import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  PreflightRequest,
  PreflightResult,
  TrustConfig,
  TrustLevel,
  trustLevelOf,
  TRUST_LEVELS,
} from '@freeboard/backstage-plugin-common';
import {
  FreeboardActionsOptions,
  FreeboardClient,
  entityPath,
} from '../client';

/** One row of the pre-flight, with the level the balance would fall to. */
export interface PreflightRow {
  consumerRef: string;
  balance: number;
  projectedBalance: number;
  levelAfter: TrustLevel;
}

const formatCredits = (value: number) => value.toFixed(2);

/**
 * The pre-flight as a plain-text table for the task log: one row per
 * consumer, worst first as Freeboard answers, then the entity overall.
 */
export function formatPreflightTable(
  rows: PreflightRow[],
  overall: {
    balance: number;
    projectedBalance: number;
    levelAfter: TrustLevel;
  },
): string {
  const header = ['Consumer', 'Balance now', 'After', 'Level after'];
  const body = rows.map(r => [
    r.consumerRef,
    formatCredits(r.balance),
    formatCredits(r.projectedBalance),
    r.levelAfter,
  ]);
  const total = [
    '(entity overall)',
    formatCredits(overall.balance),
    formatCredits(overall.projectedBalance),
    overall.levelAfter,
  ];
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map(r => r[i].length)));
  // Text left, numbers right, so columns of credits line up on the point.
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === 1 || i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map(w => '-'.repeat(w)).join('  ');
  return [
    line(header),
    rule,
    ...(body.length ? body.map(line) : ['(no consumers)']),
    rule,
    line(total),
  ].join('\n');
}

/**
 * Creates the `freeboard:trust:preflight` action: projects a planned spend on
 * the consumers of an entity with Freeboard's pre-flight, logs a table of
 * each consumer's balance now and after, outputs the projection, and fails
 * the task when a consumer would be overdrawn unless `allowOverdrawn` is
 * set. It writes nothing, so a dry run runs it too.
 *
 * Runs as the user who started the task: Freeboard checks their
 * `freeboard.trust.entry.create` permission on the entity and leaves out
 * consumers they cannot see.
 */
export function createTrustPreflightAction(options: FreeboardActionsOptions) {
  return createTemplateAction({
    id: 'freeboard:trust:preflight',
    description:
      "Projects a planned trust spend on an entity's consumers with Freeboard's pre-flight, " +
      'logs the balances before and after, and fails when a consumer would be overdrawn ' +
      'unless allowOverdrawn is set. Writes nothing.',
    supportsDryRun: true,
    examples: [
      {
        description:
          'Check that a migration of 20 credits per consumer team is affordable before announcing it',
        example: `steps:
  - id: preflight
    name: Can we afford this migration?
    action: freeboard:trust:preflight
    input:
      entityRef: component:default/ci-pipelines
      category: migration
      amount: 20
`,
      },
      {
        description:
          'Project a breaking change on two named teams and go ahead even if one ends up overdrawn',
        example: `steps:
  - id: preflight
    name: Project the breaking change
    action: freeboard:trust:preflight
    input:
      entityRef: component:default/kubernetes-runtime
      category: breaking-change
      amount: 15
      consumerRefs:
        - group:default/payments
        - group:default/logistics
      allowOverdrawn: true
`,
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe(
              'The entity that spends, e.g. component:default/ci-pipelines',
            ),
        category: z =>
          z.string().min(1).describe('A spend category id, e.g. migration'),
        amount: z =>
          z
            .number()
            .describe(
              'The planned spend per consumer, in credits (at least 0.01)',
            ),
        consumerRefs: z =>
          z
            .array(z.string().min(1))
            .max(100)
            .optional()
            .describe(
              "The consumers to project on; left out, the entity's consumers from the catalog",
            ),
        allowOverdrawn: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Go ahead when a consumer would be overdrawn (default false: the task fails)',
            ),
      },
      output: {
        entityRef: z => z.string().describe('The entity, normalized'),
        balance: z => z.number().describe("The entity's balance now"),
        projectedBalance: z =>
          z.number().describe("The entity's balance after the spend"),
        verdict: z =>
          z
            .enum(['affordable', 'risky', 'overdrawn'])
            .describe("Freeboard's verdict for the entity"),
        consumers: z =>
          z
            .array(
              z.object({
                consumerRef: z.string(),
                balance: z.number(),
                projectedBalance: z.number(),
                verdict: z.enum(['affordable', 'risky', 'overdrawn']),
                levelAfter: z.enum(TRUST_LEVELS),
              }),
            )
            .describe('Each consumer, lowest projected balance first'),
        overdrawnConsumers: z =>
          z
            .array(z.string())
            .describe('The consumers the spend would overdraw'),
      },
    },
    async handler(ctx) {
      const entity = entityPath('entityRef', ctx.input.entityRef);
      const client = new FreeboardClient(
        options,
        await ctx.getInitiatorCredentials(),
      );
      const request: PreflightRequest = {
        category: ctx.input.category,
        amount: ctx.input.amount,
        ...(ctx.input.consumerRefs
          ? { consumerRefs: ctx.input.consumerRefs }
          : {}),
      };
      const doing = `Pre-flight of ${ctx.input.category} on ${entity.ref}`;
      const result = await client.request<PreflightResult>(
        doing,
        'POST',
        `/trust/entities/${entity.path}/preflight`,
        request,
      );
      const config = await client.request<TrustConfig>(
        'Reading the trust levels',
        'GET',
        '/trust/config',
      );
      const levels = config.levels;

      const consumers = result.consumers.map(c => ({
        ...c,
        levelAfter: trustLevelOf(c.projectedBalance, levels),
      }));
      const overdrawn = consumers.filter(c => c.projectedBalance < 0);
      const dryRunNote = ctx.isDryRun
        ? ' (dry run; a pre-flight writes nothing)'
        : '';
      const table = formatPreflightTable(consumers, {
        balance: result.balance,
        projectedBalance: result.projectedBalance,
        levelAfter: trustLevelOf(result.projectedBalance, levels),
      });
      ctx.logger.info(
        `${doing}, ${request.amount} credits per consumer${dryRunNote}:\n${table}`,
      );

      ctx.output('entityRef', entity.ref);
      ctx.output('balance', result.balance);
      ctx.output('projectedBalance', result.projectedBalance);
      ctx.output('verdict', result.verdict);
      ctx.output('consumers', consumers);
      ctx.output(
        'overdrawnConsumers',
        overdrawn.map(c => c.consumerRef),
      );

      if (overdrawn.length === 0) {
        ctx.logger.info(`Verdict: ${result.verdict}; no consumer is overdrawn`);
        return;
      }
      const names = overdrawn
        .map(c => `${c.consumerRef} (${formatCredits(c.projectedBalance)})`)
        .join(', ');
      if (ctx.input.allowOverdrawn) {
        ctx.logger.warn(
          `Going ahead although the spend overdraws ${names}: the template allows it`,
        );
        return;
      }
      throw new Error(
        `The spend would overdraw ${overdrawn.length} consumer${
          overdrawn.length === 1 ? '' : 's'
        } of ${entity.ref}: ${names}. ` +
          'Earn their trust first, spend less, or set allowOverdrawn: true to go ahead anyway.',
      );
    },
  });
}
