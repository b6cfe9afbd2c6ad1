import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { z } from 'zod';
import { AuditMeta } from '../shared/audit';
import { entityRef, parse } from '../shared/validation';

/**
 * The signed-in user behind an action's credentials. Writes need one, as
 * the HTTP routes do (`allow: ['user']`): a service acting on its own has
 * no permission policy to answer for it.
 */
export function userCredentials(
  auth: AuthService,
  credentials: BackstageCredentials,
): BackstageCredentials<BackstageUserPrincipal> {
  if (!auth.isPrincipal(credentials, 'user')) {
    throw new NotAllowedError(
      'This action writes on behalf of a signed-in user; call it with user credentials',
    );
  }
  return credentials;
}

/**
 * What an action's audit event adds to the route's: without a request the
 * auditor cannot name the actor, so the event does, and says it came
 * through the actions registry.
 */
export function actionAuditMeta(
  auth: AuthService,
  credentials: BackstageCredentials,
  entityRefInput: unknown,
): AuditMeta {
  let actor = 'unknown';
  if (auth.isPrincipal(credentials, 'user')) {
    actor = credentials.principal.userEntityRef;
  } else if (auth.isPrincipal(credentials, 'service')) {
    actor = credentials.principal.subject;
  }
  return {
    via: 'actions-registry',
    actor,
    entityRef: String(entityRefInput ?? '').slice(0, 300),
  };
}

const addressed = z.object({ entityRef }).passthrough();

/**
 * Splits an action's input into the entity it addresses (parsed as the
 * routes parse refs) and the rest, which the route's own schema then parses.
 */
export function splitEntityRef<T extends { entityRef?: unknown }>(
  input: T,
): { entityRef: string; rest: Omit<T, 'entityRef'> } {
  const { entityRef: raw, ...rest } = input;
  return { entityRef: parse(addressed, { entityRef: raw }).entityRef, rest };
}

/** Keeps only the defined fields, so optional ones stay absent. */
export function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
