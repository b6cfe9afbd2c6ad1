import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  MVP_PHASES,
  PORTFOLIO_SORTS,
  PortfolioRow,
  TRUST_LEVELS,
} from '@freeboard/backstage-plugin-common';
import { PortfolioService } from '../portfolio/service';
import { MAX_PAGE_LIMIT, portfolioQuery } from '../portfolio/validation';
import { parse } from '../shared/validation';
import { defined } from './caller';

/** Rows an action answers when no limit is asked: enough to reason on. */
const DEFAULT_LIMIT = 25;

type Zod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

const pageInput = (z: Zod) => ({
  limit: z
    .number()
    .optional()
    .describe(
      `Rows to answer, 1 to ${MAX_PAGE_LIMIT}; default ${DEFAULT_LIMIT}`,
    ),
  offset: z
    .number()
    .optional()
    .describe('Rows to skip, for the next page; default 0'),
});

const pageOutput = (z: Zod) => ({
  total: z.number().describe('Rows matching, over all pages'),
  offset: z.number(),
  limit: z.number(),
});

function compactRow(row: PortfolioRow) {
  return defined({
    entityRef: row.entityRef,
    title: row.title,
    ownerRef: row.ownerRef,
    systemRef: row.systemRef,
    balance: row.trust.balance,
    level: row.trust.level,
    phase: row.phase?.phase,
    criteriaDone: row.phase?.criteriaDone,
    criteriaTotal: row.phase?.criteriaTotal,
    decision: row.decisionProblems?.length
      ? ('invalid' as const)
      : row.decision?.decision,
    reviewBy: row.decision?.review?.reviewBy,
    overdueDays: row.decision?.review?.overdueDays,
    consumerTeams: row.consumerTeams,
    adoptedTeams: row.adoptedTeams,
  });
}

/**
 * The portfolio actions: the portfolio page (filtered, paged) and the
 * overdue float-or-sink reviews, both through the portfolio's service, so
 * only capabilities the caller can see are listed or counted.
 */
export function registerPortfolioActions(options: {
  actionsRegistry: ActionsRegistryService;
  service: PortfolioService;
}) {
  const { actionsRegistry, service } = options;

  actionsRegistry.register({
    name: 'list-overdue-reviews',
    title: 'List overdue float-or-sink reviews',
    description:
      'Lists the platform capabilities whose float-or-sink decision is past ' +
      'its review date, most overdue first, optionally for one owner group ' +
      '(its descendant groups included). Only capabilities the caller can ' +
      'see are listed.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            owner: z
              .string()
              .optional()
              .describe('An owner group ref, e.g. group:default/platform'),
            ...pageInput(z),
          })
          .strict(),
      output: z =>
        z.object({
          reviews: z.array(
            z.object({
              entityRef: z.string(),
              title: z.string(),
              ownerRef: z.string().optional(),
              decision: z.enum(['float', 'sink']),
              reviewBy: z.string().describe('YYYY-MM-DD'),
              overdueDays: z.number(),
            }),
          ),
          ...pageOutput(z),
        }),
    },
    action: async ({ input, credentials }) => {
      const query = parse(
        portfolioQuery,
        defined({
          owner: input.owner,
          overdue: 'true',
          sort: 'attention',
          order: 'asc',
          limit: input.limit ?? DEFAULT_LIMIT,
          offset: input.offset,
        }),
      );
      const page = await service.page(query, credentials);
      return {
        output: {
          reviews: page.items.flatMap(row =>
            row.decision?.review?.overdueDays
              ? [
                  defined({
                    entityRef: row.entityRef,
                    title: row.title,
                    ownerRef: row.ownerRef,
                    decision: row.decision.decision,
                    reviewBy: row.decision.review.reviewBy,
                    overdueDays: row.decision.review.overdueDays,
                  }),
                ]
              : [],
          ),
          total: page.total,
          offset: page.offset,
          limit: page.limit,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-portfolio',
    title: 'Read the platform portfolio',
    description:
      'Lists the platform capabilities the caller can see with their trust ' +
      'balance and level, MVP phase, float-or-sink decision, review date and ' +
      'adoption, filtered and paged, with totals over every matching ' +
      'capability. The default order (attention) puts overdue reviews first, ' +
      'then the lowest balances.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            owner: z
              .string()
              .optional()
              .describe(
                'An owner group ref; its descendant groups are included',
              ),
            system: z.string().optional().describe('A system ref'),
            decision: z
              .enum(['float', 'sink', 'none', 'invalid'])
              .optional()
              .describe(
                'none: no decision; invalid: annotations with problems',
              ),
            level: z.enum(TRUST_LEVELS).optional(),
            phase: z
              .enum([...MVP_PHASES, 'none'])
              .optional()
              .describe('none: no MVP initiative'),
            overdue: z
              .boolean()
              .optional()
              .describe(
                'Only capabilities whose review is (or is not) overdue',
              ),
            q: z
              .string()
              .optional()
              .describe('Text in the title, ref, owner or system'),
            sort: z
              .enum(PORTFOLIO_SORTS)
              .optional()
              .describe('Default attention'),
            order: z.enum(['asc', 'desc']).optional(),
            ...pageInput(z),
          })
          .strict(),
      output: z =>
        z.object({
          capabilities: z.array(
            z.object({
              entityRef: z.string(),
              title: z.string(),
              ownerRef: z.string().optional(),
              systemRef: z.string().optional(),
              balance: z.number(),
              level: z.enum(TRUST_LEVELS),
              phase: z.enum(MVP_PHASES).optional(),
              criteriaDone: z.number().optional(),
              criteriaTotal: z.number().optional(),
              decision: z.enum(['float', 'sink', 'invalid']).optional(),
              reviewBy: z.string().optional(),
              overdueDays: z.number().optional(),
              consumerTeams: z.number(),
              adoptedTeams: z.number().optional(),
            }),
          ),
          ...pageOutput(z),
          totals: z
            .object({
              capabilities: z.number(),
              balance: z.number(),
              overdue: z.number(),
              byLevel: z.record(z.number()),
              byDecision: z.record(z.number()),
              byPhase: z.record(z.number()),
            })
            .describe('Over every matching capability, not only this page'),
        }),
    },
    action: async ({ input, credentials }) => {
      const query = parse(
        portfolioQuery,
        defined({
          ...input,
          overdue:
            input.overdue === undefined ? undefined : String(input.overdue),
          limit: input.limit ?? DEFAULT_LIMIT,
        }),
      );
      const page = await service.page(query, credentials);
      return {
        output: {
          capabilities: page.items.map(compactRow),
          total: page.total,
          offset: page.offset,
          limit: page.limit,
          totals: page.totals,
        },
      };
    },
  });
}
