import { mockServices } from '@backstage/backend-test-utils';
import { TrustConfig } from '@freeboard/backstage-plugin-common';
import express from 'express';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { createConsumersRouter } from '../consumers/router';
import { createDecisionsRouter } from '../decisions/router';
import { decisionHistoryQuery } from '../decisions/validation';
import { createPhasesRouter } from '../phases/router';
import { createPortfolioRouter } from '../portfolio/router';
import { portfolioExportQuery, portfolioQuery } from '../portfolio/validation';
import {
  addCriterionSchema,
  cohortSchema,
  decideSignoffSchema,
  deleteQuery,
  historyQuery,
  pioneerSchema,
  reportQuery,
  requestSignoffSchema,
  setCriterionSchema,
  stateQuery,
  targetSchema,
  transitionSchema,
} from '../phases/validation';
import { createRouter } from '../shared/router';
import { createTrustRouter } from '../trust/router';
import {
  MIN_AMOUNT,
  leaderboardQuery,
  listEntriesQuery,
  preflightSchema,
  pulseSchema,
  recordEntrySchema,
  revertSchema,
  scoresSchema,
  trendQuery,
} from '../trust/validation';
import { createThicknessRouter } from '../thickness/router';
import { thicknessQuery } from '../thickness/validation';
import { spec } from './openapi';

/*
 * The routes cannot drift from openapi.yaml: each instrument's router is
 * generated from it (src/schema/openapi/generated, `yarn openapi:generate`), so a route,
 * method or response it does not describe fails to compile, and CI fails when
 * the generated code is stale (`yarn openapi:check`). What the types cannot
 * see is checked here: that every documented operation is served, and that
 * the document describes the zod schemas the handlers parse with (which are
 * the one authority on input; the router's request validator is off).
 */

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

const doc = parseYaml(
  readFileSync(resolve(__dirname, 'openapi.yaml'), 'utf8'),
) as any;

function documentedOperations(): Array<{ method: string; path: string }> {
  return Object.entries(doc.paths as Record<string, any>).flatMap(
    ([path, item]) =>
      Object.keys(item)
        .filter(key => HTTP_METHODS.includes(key))
        .map(method => ({ method, path })),
  );
}

/** Follows a local `$ref` (`#/components/...`) until a plain object. */
function deref(node: any): any {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    const ref: string = current.$ref;
    expect(ref.startsWith('#/')).toBe(true);
    current = ref
      .slice(2)
      .split('/')
      .reduce((obj: any, key) => obj?.[key], doc);
    expect(current).toBeDefined();
  }
  return current;
}

/** The ZodObject under superRefine/transform/refine wrappers (ZodEffects). */
function zodObject(schema: z.ZodTypeAny): z.AnyZodObject {
  let current: any = schema;
  while (current?._def?.typeName === 'ZodEffects') {
    current = current._def.schema;
  }
  expect(current?._def?.typeName).toBe('ZodObject');
  return current as z.AnyZodObject;
}

const CONFIG: TrustConfig = {
  halfLifeDays: 180,
  maxAmount: 100,
  levels: { healthy: 10, strong: 50 },
  categories: [],
};

const ENTITY = '/trust/entities/{kind}/{namespace}/{name}';
const INITIATIVE = '/phases/entities/{kind}/{namespace}/{name}';

/** Request body of each operation with one, by `METHOD path`. */
const BODIES: Record<string, z.ZodTypeAny> = {
  [`post ${ENTITY}/entries`]: recordEntrySchema(CONFIG, new Date()),
  [`post ${ENTITY}/entries/{id}/revert`]: revertSchema,
  [`post ${ENTITY}/preflight`]: preflightSchema(CONFIG),
  [`put ${ENTITY}/pulse`]: pulseSchema,
  ['post /trust/scores']: scoresSchema,
  [`post ${INITIATIVE}/transitions`]: transitionSchema,
  [`post ${INITIATIVE}/criteria`]: addCriterionSchema,
  [`put ${INITIATIVE}/criteria/{id}`]: setCriterionSchema,
  [`post ${INITIATIVE}/signoffs`]: requestSignoffSchema,
  [`put ${INITIATIVE}/signoffs`]: decideSignoffSchema,
  [`put ${INITIATIVE}/pioneer`]: pioneerSchema,
  [`put ${INITIATIVE}/targets`]: targetSchema,
  [`post ${INITIATIVE}/cohorts`]: cohortSchema,
  [`put ${INITIATIVE}/cohorts/{id}`]: cohortSchema,
};

/** Query of each operation that parses one, by `METHOD path`. */
const QUERIES: Record<string, z.ZodTypeAny> = {
  [`get ${ENTITY}/entries`]: listEntriesQuery,
  [`get ${ENTITY}/trend`]: trendQuery,
  ['get /trust/leaderboard']: leaderboardQuery,
  [`get ${INITIATIVE}`]: stateQuery(new Date()),
  [`get ${INITIATIVE}/history`]: historyQuery,
  [`get ${INITIATIVE}/report`]: reportQuery,
  [`delete ${INITIATIVE}/criteria/{id}`]: deleteQuery,
  [`delete ${INITIATIVE}/cohorts/{id}`]: deleteQuery,
  ['get /decisions/entities/{kind}/{namespace}/{name}/history']:
    decisionHistoryQuery,
  ['get /portfolio']: portfolioQuery,
  ['get /portfolio/export.csv']: portfolioExportQuery,
  ['get /thickness']: thicknessQuery,
};

function operation(key: string): any {
  const [method, path] = key.split(' ');
  const op = doc.paths?.[path]?.[method];
  expect({ key, documented: Boolean(op) }).toEqual({ key, documented: true });
  return op;
}

/** Path-level and operation-level parameters, dereferenced. */
function parametersOf(key: string): any[] {
  const [method, path] = key.split(' ');
  return [
    ...(doc.paths[path].parameters ?? []),
    ...(doc.paths[path][method].parameters ?? []),
  ].map(deref);
}

/** `METHOD /path/{param}` of every route an express router serves. */
function servedRoutes(router: express.Router): string[] {
  return (router.stack as any[]).flatMap(layer => {
    if (layer.route) {
      return Object.keys(layer.route.methods)
        .filter(method => HTTP_METHODS.includes(method))
        .map(
          method =>
            `${method} ${String(layer.route.path).replace(
              /:([A-Za-z_]\w*)/g,
              '{$1}',
            )}`,
        );
    }
    return layer.handle?.stack ? servedRoutes(layer.handle) : [];
  });
}

describe('openapi.yaml', () => {
  it('is an OpenAPI 3.0 document the validated router can mount', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    // Without a server at `/`, express-openapi-validator matches no path.
    expect(doc.servers).toEqual([{ url: '/' }]);
    // `{}` lets requests through to the handlers, which authenticate (401).
    expect(doc.security).toEqual([{}, { JWT: [] }]);
    expect(doc.components.securitySchemes.JWT).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('is the document the router was generated from', () => {
    expect(JSON.parse(JSON.stringify(spec))).toEqual(doc);
  });

  it('documents exactly the routes the plugin serves', async () => {
    const trust = await createTrustRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth.mock(),
      auditor: mockServices.auditor.mock(),
      service: {} as any,
      writes: {} as any,
    });
    const phases = await createPhasesRouter({
      httpAuth: mockServices.httpAuth.mock(),
      auditor: mockServices.auditor.mock(),
      service: {} as any,
      writes: {} as any,
    });
    const decisions = await createDecisionsRouter({
      httpAuth: mockServices.httpAuth.mock(),
      service: {} as any,
      view: {} as any,
    });
    const thickness = await createThicknessRouter({
      httpAuth: mockServices.httpAuth.mock(),
      service: {} as any,
    });
    const consumers = await createConsumersRouter({
      httpAuth: mockServices.httpAuth.mock(),
      service: {} as any,
    });
    const portfolio = await createPortfolioRouter({
      httpAuth: mockServices.httpAuth.mock(),
      service: {} as any,
    });
    const served = servedRoutes(
      createRouter({
        ping: async () => {},
        routers: [trust, phases, decisions, thickness, consumers, portfolio],
      }),
    ).filter(route => route !== 'get /openapi.json');
    expect(served.sort()).toEqual(
      documentedOperations()
        .map(o => `${o.method} ${o.path}`)
        .sort(),
    );
  });

  it('leaves only /health open, every other route needs a token', () => {
    for (const op of documentedOperations()) {
      const security = doc.paths[op.path][op.method].security;
      expect({ path: op.path, security }).toEqual({
        path: op.path,
        security: op.path === '/health' ? [] : undefined,
      });
    }
  });

  it('describes exactly the operations that take a body', () => {
    const withBody = documentedOperations()
      .filter(o => doc.paths[o.path][o.method].requestBody)
      .map(o => `${o.method} ${o.path}`)
      .sort();
    expect(withBody).toEqual(Object.keys(BODIES).sort());
  });

  it.each(Object.entries(BODIES))(
    'describes the body of %s with the fields of its zod schema',
    (key, schema) => {
      const body = operation(key).requestBody;
      expect(body.required).toBe(true);
      const described = deref(body.content['application/json'].schema);
      const shape = zodObject(schema).shape as Record<string, z.ZodTypeAny>;

      expect(Object.keys(described.properties).sort()).toEqual(
        Object.keys(shape).sort(),
      );
      expect([...(described.required ?? [])].sort()).toEqual(
        Object.keys(shape)
          .filter(k => !shape[k].isOptional())
          .sort(),
      );
      // The zod schemas are strict: unknown fields are rejected.
      expect(zodObject(schema)._def.unknownKeys).toBe('strict');
      expect(described.additionalProperties).toBe(false);
    },
  );

  it('documents the smallest amount the handlers accept', () => {
    for (const name of ['RecordEntryRequest', 'PreflightRequest']) {
      const amount = doc.components.schemas[name].properties.amount;
      expect({ name, minimum: amount.minimum }).toEqual({
        name,
        minimum: MIN_AMOUNT,
      });
      expect(amount.exclusiveMinimum).toBeUndefined();
    }
  });

  it.each(Object.entries(QUERIES))(
    'describes the query of %s with the fields and defaults of its zod schema',
    (key, schema) => {
      operation(key);
      const shape = zodObject(schema).shape as Record<string, z.ZodTypeAny>;
      const params = parametersOf(key).filter(p => p.in === 'query');
      expect(params.map(p => p.name).sort()).toEqual(Object.keys(shape).sort());
      for (const param of params) {
        const field = shape[param.name];
        expect({ name: param.name, required: Boolean(param.required) }).toEqual(
          { name: param.name, required: !field.isOptional() },
        );
        const def = (field as any)._def;
        expect({ name: param.name, default: param.schema.default }).toEqual({
          name: param.name,
          default:
            def.typeName === 'ZodDefault' ? def.defaultValue() : undefined,
        });
      }
    },
  );

  it('documents no query parameters on routes that do not parse any', () => {
    for (const op of documentedOperations()) {
      const key = `${op.method} ${op.path}`;
      if (QUERIES[key]) continue;
      const query = parametersOf(key).filter(p => p.in === 'query');
      expect({ key, query }).toEqual({ key, query: [] });
    }
  });

  it('documents the Idempotency-Key of recording an entry', () => {
    const key = `post ${ENTITY}/entries`;
    const header = parametersOf(key).find(p => p.in === 'header');
    expect(header).toMatchObject({
      name: 'Idempotency-Key',
      required: false,
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
    const replayed = deref(
      operation(key).responses['201'].headers['Idempotent-Replayed'],
    );
    expect(replayed.schema.enum).toEqual(['true', 'false']);
  });

  it('answers errors with the Backstage error body', () => {
    const error = doc.components.schemas.Error;
    expect(error.required).toEqual(['error']);
    expect(error.properties.error.required).toEqual(['name', 'message']);
    for (const op of documentedOperations()) {
      const responses = doc.paths[op.path][op.method].responses;
      for (const [code, response] of Object.entries<any>(responses)) {
        if (!/^[45]/.test(code)) continue;
        // The Backstage error body, or one that extends it.
        const schema = deref(response).content['application/json'].schema;
        const base = schema.$ref ?? deref(schema).allOf?.[0]?.$ref;
        expect({ code, base }).toEqual({
          code,
          base: expect.stringMatching(
            /^#\/components\/schemas\/(Error|PhaseConflict)$/,
          ),
        });
        const root = base.endsWith('/PhaseConflict')
          ? deref({ $ref: base }).allOf[0].$ref
          : base;
        expect(root).toBe('#/components/schemas/Error');
      }
    }
  });

  it('resolves every $ref in the document', () => {
    const refs: string[] = [];
    const visit = (node: any) => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        if (typeof node.$ref === 'string') refs.push(node.$ref);
        Object.values(node).forEach(visit);
      }
    };
    visit(doc);
    const unresolved = refs.filter(
      ref =>
        !ref.startsWith('#/') ||
        ref
          .slice(2)
          .split('/')
          .reduce((obj: any, key) => obj?.[key], doc) === undefined,
    );
    expect(refs.length).toBeGreaterThan(0);
    expect(unresolved).toEqual([]);
  });
});
