import fc from 'fast-check';
import { CALLERS, Caller } from './fuzzBackend';
import {
  FuzzOperation,
  FuzzParameter,
  SchemaNode,
  deref,
  refName,
} from './operations';

/*
 * Requests for one operation: each part (caller, path, query, headers,
 * body) is either what the document allows, built from the seeded world
 * (real refs, entry ids, cursors from real responses), or hostile: wrong
 * types, control characters, lone surrogates, huge, tiny and negative
 * numbers, long strings, deep nesting, prototype keys, forged cursors, bad
 * refs and path segments. About a third of the requests are clean, so
 * valid requests reach the services and change the state the others hit.
 */

/** What the seeded backend holds, for valid-looking requests. */
export interface FuzzWorld {
  /** Entity refs that address capabilities, other entities and groups. */
  capabilityRefs: string[];
  otherRefs: string[];
  groupRefs: string[];
  /** Category ids of `GET /trust/config`. */
  categories: string[];
  /** Ids of seeded ledger entries. */
  entryIds: string[];
  /** Criterion and cohort ids of the seeded initiative. */
  criterionIds: string[];
  cohortIds: string[];
  /** Real `nextCursor`s, per operation id. */
  cursors: Record<string, string[]>;
}

/** A JSON fragment written as is (numbers JSON.stringify cannot write). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A request, as generated. */
export interface FuzzRequest {
  operationId: string;
  method: string;
  /** The URL under the plugin's mount point, query included. */
  url: string;
  caller: Caller;
  headers: Array<[string, string | string[]]>;
  /** The body as sent, and its content type; absent without a body. */
  body?: { text: string; contentType?: string };
  /** Names the request carries: parameters, body keys (for the 400 check). */
  fields: string[];
}

/** Serializes like JSON.stringify, but writes {@link RawJson} as is. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .map(
        k =>
          `${JSON.stringify(k)}:${toJsonText(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Sets an own property, even `__proto__`. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * Percent-encodes any string for a URL: a lone surrogate becomes its
 * (invalid) three UTF-8-like bytes, as a hostile client could send them.
 */
export function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map(b => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(text[i]);
    }
  }
  return out;
}

// ---------------------------------------------------------------- hostile

const LONG = 'x'.repeat(5_000);

/** Text that is odd for any field. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\t',
    '\u0000',
    'a\u0000b',
    '\u0007',
    '\u001b[31mred',
    'line\nbreak',
    'cr\rhere',
    '\u007f',
    '\u0085',
    '\u2028',
    '\ufeff',
    '\ud800',
    'a\udfffb',
    '\ud83d\ude00',
    'NaN',
    'Infinity',
    '-0',
    '1e300',
    '-1e-300',
    '0x10',
    '9'.repeat(40),
    '-1',
    '0',
    'true',
    'null',
    'undefined',
    '[object Object]',
    '__proto__',
    'constructor',
    "' or '1'='1",
    '"; drop table trust_entries; --',
    '../../etc/passwd',
    '%00',
    '%E0%A4%A',
    '<script>alert(1)</script>',
    '${7*7}',
    LONG,
    'é'.repeat(300),
    '2026-02-30',
    '2026-13-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '0000-01-01',
    '1969-12-31T23:59:59Z',
    'component:default/../../x',
    'group:default/x\u0000',
    ':/',
    'a:b:c/d/e',
    ['javascript', 'alert(1)'].join(':'),
    'http://',
  ),
  fc
    .array(
      fc.oneof(
        fc.integer({ min: 0, max: 0x1f }),
        fc.constant(0x7f),
        fc.integer({ min: 0xd800, max: 0xdfff }),
        fc.integer({ min: 0x20, max: 0x7e }),
        fc.integer({ min: 0x80, max: 0xfffd }),
      ),
      { minLength: 1, maxLength: 40 },
    )
    .map(codes => String.fromCharCode(...codes)),
  fc.string({ maxLength: 30 }),
);

/** Numbers at and past every edge, some only writable as raw JSON. */
const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    0.001,
    0.009,
    1.5,
    100.0000001,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    1e21,
    1e308,
    -1e308,
    5e-324,
    -5e-324,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
  ),
  fc.constantFrom(
    new RawJson('1e999'),
    new RawJson('-1e999'),
    new RawJson('1e-999'),
    new RawJson('123456789012345678901234567890'),
    new RawJson('-0.0'),
    new RawJson('1E2'),
  ),
  fc.double(),
  fc.integer(),
);

/** Nested arrays or objects, deep enough to hurt a recursive walk. */
const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(10, 100, 2_000), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? new RawJson(`${'['.repeat(depth)}1${']'.repeat(depth)}`)
      : new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );

/** Objects with keys that poison a careless merge. */
const poisonedObject: fc.Arbitrary<unknown> = fc.constantFrom(
  new RawJson('{"__proto__":{"isAdmin":true}}'),
  new RawJson('{"constructor":{"prototype":{"polluted":1}}}'),
  { toString: 1, valueOf: 'x' },
  { $ne: 1 },
  { $gt: '' },
  {},
);

/** A value of any wrong type or odd content. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileText, weight: 4 },
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: fc.constantFrom(null, true, false), weight: 1 },
  { arbitrary: poisonedObject, weight: 1 },
  { arbitrary: deepValue, weight: 1 },
  {
    arbitrary: fc.array(
      fc.oneof(hostileText, hostileNumber, fc.constant(null)),
      {
        maxLength: 3,
      },
    ),
    weight: 1,
  },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

// ---------------------------------------------------------------- valid

const DAY_MS = 24 * 60 * 60 * 1000;

const dateAround = (fromDays: number, toDays: number) =>
  fc
    .integer({ min: fromDays, max: toDays })
    .map(d => new Date(Date.now() + d * DAY_MS).toISOString().slice(0, 10));

const dateTimeAround = (fromDays: number, toDays: number) =>
  fc
    .integer({ min: fromDays * 24, max: toDays * 24 })
    .map(h => new Date(Date.now() + h * 3_600_000).toISOString());

/** A ref as a client may write it: case, spacing and namespace vary. */
function refVariants(refs: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...refs), fc.nat(5)).map(([ref, variant]) => {
    switch (variant) {
      case 0:
        return ref.toUpperCase();
      case 1:
        return ref.replace(':default/', ':');
      case 2:
        return ` ${ref} `;
      default:
        return ref;
    }
  });
}

/**
 * A value the document allows for a field, from the world where the field
 * refers to it (refs, categories, dates near now).
 */
function validValue(
  node: SchemaNode,
  name: string,
  world: FuzzWorld,
): fc.Arbitrary<unknown> {
  const component = refName(node);
  let schema = deref(node);
  if (Array.isArray(schema.allOf)) {
    schema = { ...deref(schema.allOf[0]), ...schema, allOf: undefined };
  }
  const nullable = schema.nullable
    ? (a: fc.Arbitrary<unknown>) =>
        fc.oneof(
          { arbitrary: a, weight: 4 },
          { arbitrary: fc.constant(null), weight: 1 },
        )
    : (a: fc.Arbitrary<unknown>) => a;
  const allRefs = [
    ...world.capabilityRefs,
    ...world.otherRefs,
    ...world.groupRefs,
  ];

  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  if (component === 'GroupRefInput' || /^(groupRef|teamRef)$/.test(name)) {
    return nullable(refVariants(world.groupRefs));
  }
  if (component === 'EntityRefInput' || /Ref$/.test(name)) {
    if (name === 'system')
      return refVariants(['system:default/delivery', 'system:default/none']);
    if (name === 'owner') return refVariants(world.groupRefs);
    return refVariants(allRefs);
  }
  if (name === 'category') return fc.constantFrom(...world.categories);
  if (name === 'cursor') {
    return fc.constantFrom(...Object.values(world.cursors).flat(), 'AAAA');
  }
  if (name === 'asOf') {
    return fc.oneof(dateAround(-30, 0), dateTimeAround(-30, 0));
  }
  if (name === 'waiverExpiresAt') {
    return fc.oneof(dateAround(1, 60), dateTimeAround(1, 60));
  }
  switch (schema.type) {
    case 'integer': {
      const min = schema.minimum ?? 0;
      const max = Math.min(schema.maximum ?? 1000, min + 1000);
      return name === 'expectedVersion'
        ? fc.integer({ min: 0, max: 40 })
        : fc.integer({ min, max });
    }
    case 'number': {
      const min = schema.minimum ?? 0;
      return fc.double({ min, max: Math.max(min, 100), noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = schema.items ?? {};
      const item = validValue(items, name.replace(/s$/, ''), world);
      return fc.array(item, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    }
    case 'object':
      return validObject(schema, world);
    default:
      break;
  }
  if (schema.format === 'date') return nullable(dateAround(1, 300));
  if (schema.format === 'date-time') return dateTimeAround(-100, 0);
  if (schema.format === 'uri') {
    return fc.constantFrom(
      'https://tickets.example.com/T-1',
      'http://example.com',
    );
  }
  if (schema.pattern) {
    return nullable(fc.stringMatching(new RegExp(schema.pattern)));
  }
  const minLength = Math.max(schema.minLength ?? 0, 1);
  return nullable(
    fc
      .string({
        unit: 'grapheme-ascii',
        minLength,
        maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 40, 40)),
      })
      .filter(s => s.trim().length > 0),
  );
}

/** An object with every required property and some optional ones. */
function validObject(
  schema: SchemaNode,
  world: FuzzWorld,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
  const required = new Set<string>(schema.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, node] of Object.entries(properties)) {
    model[name] = validValue(node, name, world);
  }
  return fc.record(model, { requiredKeys: [...required] }) as fc.Arbitrary<
    Record<string, unknown>
  >;
}

// ---------------------------------------------------------------- parts

/** Clean requests use only valid parts; mixed ones are sometimes hostile. */
type Mode = 'clean' | 'mixed';

const validOr = <T>(
  mode: Mode,
  valid: fc.Arbitrary<T>,
  hostile: fc.Arbitrary<T>,
) =>
  mode === 'clean'
    ? valid
    : fc.oneof(
        { arbitrary: valid, weight: 2 },
        { arbitrary: hostile, weight: 1 },
      );

/** Raw, possibly malformed, path segments. */
const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%E0%A4%A',
    '%ED%A0%80',
    '%00',
    '%2F',
    '%2e%2e',
    '..',
    '.',
    '%20',
    'a%20b',
    'x'.repeat(300),
    '%C0%AF',
    '%FF',
    '%',
    'default%00',
    'Component',
    '-a',
    'a-',
    '_',
  ),
  hostileText.filter(t => t.length > 0).map(percentEncode),
);

/** `{kind}/{namespace}/{name}` of a real, hidden, absent or odd entity. */
function entityPathParams(
  world: FuzzWorld,
  mode: Mode,
): fc.Arbitrary<Record<string, string>> {
  const refs = [
    ...world.capabilityRefs,
    ...world.otherRefs,
    ...world.groupRefs,
  ];
  const ref = fc.oneof(
    {
      arbitrary: fc.constantFrom(...world.capabilityRefs.slice(0, 2)),
      weight: mode === 'clean' ? 6 : 1,
    },
    { arbitrary: fc.constantFrom(...refs), weight: 2 },
  );
  const triple = ref.map(chosen => {
    const [kind, rest] = chosen.split(':');
    const [namespace, name] = rest.split('/');
    return { kind, namespace, name };
  });
  return fc
    .tuple(
      triple,
      fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 5 },
        {
          arbitrary: fc.tuple(
            fc.constantFrom('kind', 'namespace', 'name'),
            hostileSegment,
          ),
          weight: mode === 'clean' ? 0 : 2,
        },
        { arbitrary: fc.constant('UPPER' as const), weight: 1 },
      ),
    )
    .map(([params, odd]) => {
      if (odd === 'UPPER') {
        return {
          kind: params.kind.toUpperCase(),
          namespace: params.namespace.toUpperCase(),
          name: params.name.toUpperCase(),
        };
      }
      return odd ? { ...params, [odd[0]]: odd[1] } : params;
    });
}

/** A value for another path parameter (an entry, criterion or cohort id). */
function idParam(
  parameter: FuzzParameter,
  world: FuzzWorld,
  mode: Mode,
): fc.Arbitrary<string> {
  const known: Record<string, string[]> = {
    EntryId: world.entryIds,
    CriterionId: world.criterionIds,
    CohortId: world.cohortIds,
  };
  const real = known[parameter.component ?? ''] ?? [];
  const fromSchema = parameter.schema.pattern
    ? fc.stringMatching(new RegExp(parameter.schema.pattern)).map(percentEncode)
    : fc
        .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 })
        .map(percentEncode);
  const valid = real.length
    ? fc.oneof({ arbitrary: fc.constantFrom(...real), weight: 3 }, fromSchema)
    : fromSchema;
  return validOr(
    mode,
    valid,
    fc.oneof(
      hostileSegment,
      fc.constantFrom(
        '0',
        '-1',
        '1.5',
        '1e3',
        '99999999999999999',
        '9223372036854775808',
        'own-99999999999',
        'cohort-0',
        'cohort-99999999999',
        'discovery.',
        'own-1',
      ),
    ),
  );
}

/** Hostile query values, already encoded. */
const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  hostileText.map(t => percentEncode(t.slice(0, 3_000))),
  fc.constantFrom('%00', 'a%00b', '%E0%A4%A', '%ED%A0%80', '%', '+', '%2B1'),
);

/** A cursor: real for this operation, another's, altered, or forged. */
function cursorValue(
  operationId: string,
  world: FuzzWorld,
): fc.Arbitrary<string> {
  const own = world.cursors[operationId] ?? [];
  const foreign = Object.entries(world.cursors)
    .filter(([id]) => id !== operationId)
    .flatMap(([, list]) => list);
  const all = [...own, ...foreign];
  const altered = all.length
    ? fc
        .tuple(fc.constantFrom(...all), fc.nat(), fc.nat(4))
        .map(([c, at, how]) => {
          const i = at % c.length;
          const flip = c[i] === 'A' ? 'B' : 'A';
          switch (how) {
            case 0:
              return c.slice(0, i) + flip + c.slice(i + 1);
            case 1:
              return c.slice(0, i);
            case 2:
              return `${c}A`;
            case 3:
              return c.split('').reverse().join('');
            default:
              return c + c;
          }
        })
    : fc.constant('AAAA');
  const forged = fc
    .jsonValue({ maxDepth: 2 })
    .map(v => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url'))
    .filter(c => c.length > 0);
  return fc.oneof(
    {
      arbitrary: own.length ? fc.constantFrom(...own) : fc.constant('AAAA'),
      weight: 3,
    },
    {
      arbitrary: foreign.length
        ? fc.constantFrom(...foreign)
        : fc.constant('AAAA'),
      weight: 1,
    },
    { arbitrary: altered, weight: 2 },
    { arbitrary: forged, weight: 1 },
    { arbitrary: fc.constantFrom('A'.repeat(1001), '=', 'a.b', ''), weight: 1 },
  );
}

/** The query string: some documented parameters, and odd extras. */
function queryString(
  operation: FuzzOperation,
  world: FuzzWorld,
  mode: Mode,
): fc.Arbitrary<{ text: string; names: string[] }> {
  const params = operation.parameters.filter(p => p.in === 'query');
  const pair = (p: FuzzParameter) => {
    const valid =
      p.name === 'cursor'
        ? cursorValue(operation.operationId, world)
        : validValue(p.schema, p.name, world).map(v =>
            percentEncode(String(v)),
          );
    return fc.option(validOr(mode, valid, hostileQueryValue), {
      nil: undefined,
      freq: 2,
    });
  };
  const documented = fc.tuple(...params.map(pair));
  const extras = fc.oneof(
    {
      arbitrary: fc.constant<string[]>([]),
      weight: mode === 'clean' ? 100 : 6,
    },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            ...params.map(p => p.name),
            'bogus',
            '__proto__',
            'constructor',
          ),
          fc.constantFrom('repeat', 'array', 'object', 'bare', 'plain'),
          hostileQueryValue,
        )
        .map(([name, how, value]) => {
          switch (how) {
            case 'repeat':
              return [`${name}=1`, `${name}=${value}`];
            case 'array':
              return [`${name}[]=${value}`];
            case 'object':
              return [`${name}[$gt]=${value}`];
            case 'bare':
              return [name];
            default:
              return [`${name}=${value}`];
          }
        }),
      weight: 1,
    },
  );
  return fc.tuple(documented, extras).map(([values, extra]) => {
    const parts = params.flatMap((p, i) =>
      values[i] === undefined
        ? []
        : [`${encodeURIComponent(p.name)}=${values[i]}`],
    );
    const all = [...parts, ...extra];
    return {
      text: all.length ? `?${all.join('&')}` : '',
      names: params
        .map(p => p.name)
        .concat(['bogus', '__proto__', 'constructor']),
    };
  });
}

/** Headers the document names (the Idempotency-Key), valid or odd. */
function headerValues(
  operation: FuzzOperation,
  mode: Mode,
): fc.Arbitrary<Array<[string, string | string[]]>> {
  const params = operation.parameters.filter(p => p.in === 'header');
  if (!params.length) return fc.constant([]);
  return fc
    .tuple(
      ...params.map(p => {
        const fresh = p.schema.pattern
          ? fc
              .stringMatching(new RegExp(p.schema.pattern))
              .map(v => v.slice(0, p.schema.maxLength ?? 255))
          : fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 });
        // A few keys come back, so replays and reuse with another body
        // (a 409) are exercised too.
        const valid = fc.oneof(
          fresh,
          fc.constantFrom('fuzz-key-1', 'fuzz-key-2'),
        );
        const hostile: fc.Arbitrary<string | string[]> = fc.oneof(
          fc.constantFrom(
            '',
            'has space',
            'tab\there',
            'x'.repeat(256),
            'x'.repeat(8_000),
            '\u00e9t\u00e9',
            '\u00ff\u0080',
          ),
          fc.tuple(valid, valid).map(([a, b]) => [a, b]),
        );
        return fc
          .option(validOr<string | string[]>(mode, valid, hostile), {
            nil: undefined,
          })
          .map(v =>
            v === undefined ? [] : [[p.name, v] as [string, string | string[]]],
          );
      }),
    )
    .map(list => list.flat());
}

/** Content types that do not match the body, or odd charsets. */
const oddContentType = fc.constantFrom(
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/xml',
  'application/json-patch+json',
);

/** Whole bodies that are not the object the route wants. */
const oddBodyText = fc.oneof(
  fc.constantFrom(
    '',
    'null',
    '[]',
    '"text"',
    '42',
    'true',
    '{',
    '{"a":',
    '{"a":1,}',
    "{'a':1}",
    '\ufeff{}',
    'NaN',
    '{"a":1}{"b":2}',
    '\u0000',
  ),
  deepValue.map(v => toJsonText(v)),
  fc.constant(`{"title":"${'x'.repeat(120_000)}"}`),
);

/** The top-level keys of a JSON text, if it is an object. */
function keysOf(text: string): string[] {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? Object.keys(value) : [];
  } catch {
    return [];
  }
}

/** The body: valid, with a field made odd, or replaced outright. */
function bodyOf(
  operation: FuzzOperation,
  world: FuzzWorld,
  mode: Mode,
): fc.Arbitrary<
  { text: string; contentType?: string; keys: string[] } | undefined
> {
  const schema = operation.body;
  const propertyNames = Object.keys(schema?.properties ?? {});
  const valid: fc.Arbitrary<Record<string, unknown>> = schema
    ? validObject(schema, world)
    : fc.constant({});
  const mutation = fc.oneof(
    {
      arbitrary: fc.constant({ kind: 'none' as const }),
      weight: mode === 'clean' ? 100 : 5,
    },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            ...(propertyNames.length ? propertyNames : ['field']),
            'bogus',
            '__proto__',
            'constructor',
            'recordedBy',
            '',
            'a.b',
          ),
          hostileValue,
        )
        .map(([key, value]) => ({ kind: 'set' as const, key, value })),
      weight: 4,
    },
    {
      arbitrary: fc
        .constantFrom(...(propertyNames.length ? propertyNames : ['field']))
        .map(key => ({ kind: 'drop' as const, key })),
      weight: 1,
    },
    {
      arbitrary: oddBodyText.map(text => ({ kind: 'replace' as const, text })),
      weight: 1,
    },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: mode === 'clean' ? 100 : 12 },
    { arbitrary: oddContentType, weight: 1 },
  );
  const withBody = fc
    .tuple(valid, mutation, contentType)
    .map(([object, change, type]) => {
      const body: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(object)) setOwn(body, k, v);
      if (change.kind === 'set') setOwn(body, change.key, change.value);
      if (change.kind === 'drop') delete body[change.key];
      const text = change.kind === 'replace' ? change.text : toJsonText(body);
      return {
        text,
        contentType: type ?? 'application/json',
        keys: change.kind === 'replace' ? keysOf(text) : Object.keys(body),
      };
    });
  if (schema) return withBody;
  // Routes without a body: mostly none, sometimes one anyway.
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    { arbitrary: withBody, weight: mode === 'clean' ? 0 : 1 },
  );
}

/** The caller: mostly the lead, sometimes someone who may not. */
const callerArbitrary = (mode: Mode): fc.Arbitrary<Caller> =>
  fc.oneof(
    { arbitrary: fc.constant<Caller>('lead'), weight: 10 },
    { arbitrary: fc.constant<Caller>('sam'), weight: 2 },
    { arbitrary: fc.constant<Caller>('outsider'), weight: 3 },
    {
      arbitrary: fc.constantFrom<Caller>(...CALLERS),
      weight: mode === 'clean' ? 0 : 1,
    },
  );

/**
 * Requests for `operation`: two in five clean (every part valid), the
 * others with hostile parts.
 */
export function requestArbitrary(
  operation: FuzzOperation,
  world: FuzzWorld,
): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { arbitrary: requests(operation, world, 'clean'), weight: 2 },
    { arbitrary: requests(operation, world, 'mixed'), weight: 3 },
  );
}

function requests(
  operation: FuzzOperation,
  world: FuzzWorld,
  mode: Mode,
): fc.Arbitrary<FuzzRequest> {
  const pathParams = operation.parameters.filter(p => p.in === 'path');
  const entityParams = pathParams.filter(p =>
    ['Kind', 'Namespace', 'Name'].includes(p.component ?? ''),
  );
  const otherParams = pathParams.filter(p => !entityParams.includes(p));
  return fc
    .record({
      caller: callerArbitrary(mode),
      entity: entityParams.length
        ? entityPathParams(world, mode)
        : fc.constant({}),
      ids: fc.tuple(...otherParams.map(p => idParam(p, world, mode))),
      query: queryString(operation, world, mode),
      headers: headerValues(operation, mode),
      body: bodyOf(operation, world, mode),
    })
    .map(({ caller, entity, ids, query, headers, body }) => {
      const values: Record<string, string> = { ...entity };
      otherParams.forEach((p, i) => {
        values[p.name] = ids[i];
      });
      const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        name in values ? values[name] : 'x',
      );
      return {
        operationId: operation.operationId,
        method: operation.method,
        url: `/api/freeboard${path}${query.text}`,
        caller,
        headers,
        body: body
          ? { text: body.text, contentType: body.contentType }
          : undefined,
        fields: [
          ...operation.parameters.map(p => p.name),
          ...query.names,
          ...Object.keys(operation.body?.properties ?? {}),
          ...(body?.keys ?? []),
        ],
      };
    });
}

/** A request in a few readable lines, long values cut. */
export function describeRequest(req: FuzzRequest): string {
  const cut = (text: string, max: number) =>
    text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
  const lines = [
    `${req.method.toUpperCase()} ${cut(req.url, 400)}`,
    `  as: ${req.caller}`,
    ...req.headers.map(([k, v]) => `  ${k}: ${cut(JSON.stringify(v), 200)}`),
  ];
  if (req.body) {
    lines.push(`  content-type: ${req.body.contentType ?? '(none)'}`);
    lines.push(`  body: ${cut(JSON.stringify(req.body.text), 600)}`);
  }
  return lines.join('\n');
}
