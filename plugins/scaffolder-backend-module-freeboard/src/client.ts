import { createHash } from 'node:crypto';
import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  AuthenticationError,
} from '@backstage/errors';
import { FREEBOARD_PLUGIN_ID } from '@freeboard/backstage-plugin-common';

/** How the actions reach Freeboard: the services of the scaffolder plugin. */
export interface FreeboardActionsOptions {
  discovery: DiscoveryService;
  auth: AuthService;
}

/** An entity ref split into the path parts of Freeboard's routes. */
export interface EntityPath {
  /** Normalized `kind:namespace/name`, lower case, for logs and outputs. */
  ref: string;
  /** `kind/namespace/name`, each part URI-encoded. */
  path: string;
}

/**
 * Parses an action's entity ref (`kind:namespace/name`, namespace
 * `default` when left out). A bad ref fails the task naming the field.
 */
export function entityPath(field: string, value: string): EntityPath {
  let parsed;
  try {
    parsed = parseEntityRef(value.trim());
  } catch (error) {
    throw new InputError(
      `${field}: "${value}" is not an entity ref like component:default/name (${
        (error as Error).message
      })`,
    );
  }
  const parts = [parsed.kind, parsed.namespace, parsed.name].map(p =>
    p.toLocaleLowerCase('en-US'),
  );
  return {
    ref: `${parts[0]}:${parts[1]}/${parts[2]}`,
    path: parts.map(encodeURIComponent).join('/'),
  };
}

type ErrorBody = { error?: { name?: string; message?: string } };

/**
 * Turns a Freeboard error answer into a task error that says what the action
 * was doing, the status, and Freeboard's message (which names the field).
 * The Backstage error class is kept so callers can tell a 404 from a 400.
 */
async function errorFromResponse(
  response: Response,
  doing: string,
): Promise<Error> {
  const text = await response.text().catch(() => '');
  let detail = text.slice(0, 500);
  try {
    const body = JSON.parse(text) as ErrorBody;
    if (body.error?.message) detail = body.error.message;
  } catch {
    // Not JSON (a proxy's page, say): the start of the text says enough.
  }
  const message = `${doing}: Freeboard answered ${response.status} ${
    response.statusText
  }${detail ? `: ${detail}` : ''}`;
  switch (response.status) {
    case 400:
      return new InputError(message);
    case 401:
      return new AuthenticationError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    default:
      return new Error(message);
  }
}

/**
 * Freeboard's HTTP API as the user who runs the template: every request
 * carries a token issued on behalf of the task's initiator, so Freeboard
 * applies that user's permissions, visibility, validation and audit.
 */
export class FreeboardClient {
  constructor(
    private readonly options: FreeboardActionsOptions,
    private readonly credentials: BackstageCredentials,
  ) {}

  /**
   * Sends one request and answers the parsed JSON body; any status but 2xx
   * fails with a readable error that starts with `doing`.
   */
  async request<T>(
    doing: string,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: object,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const { discovery, auth } = this.options;
    const baseUrl = await discovery.getBaseUrl(FREEBOARD_PLUGIN_ID);
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: this.credentials,
      targetPluginId: FREEBOARD_PLUGIN_ID,
    });
    const url = `${baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...headers,
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (error) {
      throw new Error(
        `${doing}: could not reach Freeboard at ${url}: ${
          (error as Error).message
        }`,
      );
    }
    if (!response.ok) {
      throw await errorFromResponse(response, doing);
    }
    return (await response.json()) as T;
  }
}

/**
 * An `Idempotency-Key` that is the same each time the scaffolder runs the
 * same step of the same task with the same request (a retried or recovered
 * task), so Freeboard replays the first write instead of recording it twice.
 * The request is part of the key because the scaffolder gives an action no
 * id for the iteration of an `each` step: each iteration sends another
 * request (another consumer, say), so it gets its own key.
 */
export function idempotencyKey(parts: {
  taskId: string;
  stepId?: string;
  request: object;
}): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([parts.taskId, parts.stepId ?? '', parts.request]))
    .digest('hex')
    .slice(0, 40);
  return `scaffolder-${digest}`;
}
