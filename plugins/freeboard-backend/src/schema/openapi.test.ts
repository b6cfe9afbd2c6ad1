import { TrustConfig } from '@freeboard/backstage-plugin-common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  leaderboardQuery,
  listEntriesQuery,
  preflightSchema,
  pulseSchema,
  recordEntrySchema,
  revertSchema,
  scoresSchema,
  trendQuery,
} from '../service/validation';

/*
 * Pins openapi.yaml to the code: the routes registered in the routers, their
 * success statuses, the fields of every request body and query, so that
 * neither can change without the other.
 */

const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

const doc = parseYaml(
  readFileSync(resolve(__dirname, 'openapi.yaml'), 'utf8'),
) as any;

const ROUTER_FILES = ['../service/router.ts', '../service/trustRouter.ts'];

interface Route {
  method: string;
  /** OpenAPI form: `{param}` */
  path: string;
  /** The success status the handler answers with. */
  status: number;
  file: string;
}

/** Resolves `'...'`, `"..."`, `` `...${CONST}...` `` or `CONST` in a source. */
function resolvePathArgument(arg: string, source: string): string {
  const constant = (name: string) => {
    const match = new RegExp(
      `const\\s+${name}\\s*=\\s*(['"])([^'"]*)\\1\\s*;`,
    ).exec(source);
    if (!match) throw new Error(`Cannot resolve the route constant ${name}`);
    return match[2];
  };
  if (/^['"]/.test(arg)) return arg.slice(1, -1);
  if (arg.startsWith('`')) {
    return arg
      .slice(1, -1)
      .replace(/\$\{\s*([A-Za-z_$][\w$]*)\s*\}/g, (_, name) => constant(name));
  }
  return constant(arg);
}

/** The routes registered with `router.<method>(path, ...)` in the sources. */
function routesFromSource(): Route[] {
  const routes: Route[] = [];
  for (const file of ROUTER_FILES) {
    const source = readFileSync(resolve(__dirname, file), 'utf8');
    const calls = [
      ...source.matchAll(
        /router\.(get|post|put|delete|patch)\(\s*('[^']*'|"[^"]*"|`[^`]*`|[A-Za-z_$][\w$]*)\s*,/g,
      ),
    ];
    // Every registration must have been understood, or a route could hide.
    const registrations = source.match(
      /router\.(get|post|put|delete|patch)\(/g,
    );
    expect(calls.length).toBe(registrations?.length ?? 0);

    calls.forEach((call, i) => {
      const handler = source.slice(
        call.index!,
        i + 1 < calls.length ? calls[i + 1].index! : source.length,
      );
      const status = /\.status\((\d{3})\)/.exec(handler);
      routes.push({
        method: call[1],
        path: resolvePathArgument(call[2], source).replace(
          /:([A-Za-z_]\w*)/g,
          '{$1}',
        ),
        status: status ? Number(status[1]) : 200,
        file,
      });
    });
  }
  return routes;
}

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

/** Request body of each operation with one, by `METHOD path`. */
const BODIES: Record<string, z.ZodTypeAny> = {
  [`post ${ENTITY}/entries`]: recordEntrySchema(CONFIG, new Date()),
  [`post ${ENTITY}/entries/{id}/revert`]: revertSchema,
  [`post ${ENTITY}/preflight`]: preflightSchema(CONFIG),
  [`put ${ENTITY}/pulse`]: pulseSchema,
  ['post /trust/scores']: scoresSchema,
};

/** Query of each operation that parses one, by `METHOD path`. */
const QUERIES: Record<string, z.ZodTypeAny> = {
  [`get ${ENTITY}/entries`]: listEntriesQuery,
  [`get ${ENTITY}/trend`]: trendQuery,
  ['get /trust/leaderboard']: leaderboardQuery,
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

describe('openapi.yaml', () => {
  let routes: Route[] = [];
  beforeAll(() => {
    routes = routesFromSource();
  });

  it('is an OpenAPI 3.0 document', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it('finds the routes in the router sources', () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes).toContainEqual(
      expect.objectContaining({ method: 'get', path: '/health' }),
    );
    expect(routes).toContainEqual(
      expect.objectContaining({
        method: 'post',
        path: `${ENTITY}/entries/{id}/revert`,
      }),
    );
  });

  it('documents every route of the routers with its method', () => {
    const documented = documentedOperations().map(o => `${o.method} ${o.path}`);
    for (const route of routes) {
      expect(documented).toContain(`${route.method} ${route.path}`);
    }
  });

  it('documents no route that the routers lack', () => {
    const registered = routes.map(r => `${r.method} ${r.path}`);
    for (const op of documentedOperations()) {
      expect(registered).toContain(`${op.method} ${op.path}`);
    }
  });

  it('documents the success status each handler answers with', () => {
    for (const route of routes) {
      const op = doc.paths[route.path][route.method];
      const successes = Object.keys(op.responses).filter(code =>
        code.startsWith('2'),
      );
      expect({ route: `${route.method} ${route.path}`, successes }).toEqual({
        route: `${route.method} ${route.path}`,
        successes: [String(route.status)],
      });
    }
  });

  it('declares every path parameter, and only those', () => {
    for (const op of documentedOperations()) {
      const key = `${op.method} ${op.path}`;
      const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort();
      const declared = parametersOf(key)
        .filter(p => p.in === 'path')
        .map(p => {
          expect(p.required).toBe(true);
          return p.name;
        })
        .sort();
      expect({ key, declared }).toEqual({ key, declared: inPath });
    }
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

  it.each(Object.entries(QUERIES))(
    'describes the query of %s with the fields of its zod schema',
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
    const source = readFileSync(
      resolve(__dirname, '../service/trustRouter.ts'),
      'utf8',
    );
    expect(source).toMatch(/req\.get\('idempotency-key'\)/i);
    expect(source).toContain("'Idempotent-Replayed'");

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
        expect(deref(response).content['application/json'].schema.$ref).toBe(
          '#/components/schemas/Error',
        );
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
