import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/*
 * The operations the fuzz suite drives, read from the OpenAPI document the
 * routers are generated from, so a route added there is fuzzed without
 * touching the suite.
 */

/** A JSON schema node of the OpenAPI document (loosely typed on purpose). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SchemaNode = Record<string, any>;

/** A parameter of an operation, its `$ref` name kept (`Kind`, `EntryId`). */
export interface FuzzParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  /** The component name it was referenced by, if any. */
  component?: string;
  schema: SchemaNode;
}

/** One documented operation. */
export interface FuzzOperation {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  /** The documented path, e.g. `/trust/entities/{kind}/{namespace}/{name}`. */
  path: string;
  parameters: FuzzParameter[];
  /** The JSON body's schema, dereferenced at the top; absent without a body. */
  body?: SchemaNode;
  /** Whether the operation needs no credentials (`security: []`). */
  public: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The parsed OpenAPI document. */
export const openApiDocument: SchemaNode = parseYaml(
  readFileSync(resolve(__dirname, '../../schema/openapi.yaml'), 'utf8'),
);

/** The component a local `$ref` names (`#/components/schemas/X` → `X`). */
export function refName(node: SchemaNode | undefined): string | undefined {
  const ref = node?.$ref;
  return typeof ref === 'string'
    ? ref.slice(ref.lastIndexOf('/') + 1)
    : undefined;
}

/** Follows local `$ref`s until a plain node. */
export function deref(node: SchemaNode | undefined): SchemaNode {
  let current = node ?? {};
  for (let hops = 0; typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${current.$ref}`);
    current = (current.$ref as string)
      .slice(2)
      .split('/')
      .reduce(
        (obj: SchemaNode | undefined, key) => obj?.[key],
        openApiDocument,
      ) as SchemaNode;
  }
  return current;
}

function parameterOf(node: SchemaNode): FuzzParameter {
  const parameter = deref(node);
  return {
    name: parameter.name,
    in: parameter.in,
    required: Boolean(parameter.required),
    component: refName(node),
    schema: parameter.schema ?? {},
  };
}

/** Every operation of the document, in document order. */
export function documentedOperations(): FuzzOperation[] {
  const paths = openApiDocument.paths as Record<string, SchemaNode>;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter(method => item[method]).map(method => {
      const operation = item[method] as SchemaNode;
      const parameters = [
        ...(item.parameters ?? []),
        ...(operation.parameters ?? []),
      ].map(parameterOf);
      const bodySchema =
        operation.requestBody?.content?.['application/json']?.schema;
      return {
        operationId: operation.operationId as string,
        method,
        path,
        parameters,
        body: bodySchema ? deref(bodySchema) : undefined,
        public:
          Array.isArray(operation.security) && operation.security.length === 0,
      };
    }),
  );
}
