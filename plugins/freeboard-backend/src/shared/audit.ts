import { AuditorService } from '@backstage/backend-plugin-api';
import { Request } from 'express';

/** Metadata an audited write adds to as it learns more (ids it wrote). */
export type AuditMeta = Record<string, string | number | boolean>;

/**
 * What an audit event names before the input is parsed (it may be
 * invalid): the addressed entity as the path spelled it, bounded.
 */
export function auditTarget(params: {
  kind: string;
  namespace: string;
  name: string;
}): AuditMeta {
  return {
    entityRef: `${params.kind}:${params.namespace}/${params.name}`.slice(
      0,
      300,
    ),
  };
}

/**
 * Wraps a write in an auditor event that records success or failure;
 * failures are rethrown for the framework to turn into a 4xx.
 *
 * Without a request (an action invoked through the actions registry) the
 * auditor cannot name the actor, so the caller puts it in `meta`.
 */
export function createAuditedRunner(auditor: AuditorService) {
  return async function audited<T>(
    eventId: string,
    severityLevel: 'low' | 'medium',
    req: Request | undefined,
    meta: AuditMeta,
    work: (meta: AuditMeta) => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel,
      ...(req ? { request: req } : {}),
      meta: { ...meta },
    });
    try {
      const result = await work(meta);
      await event.success({ meta });
      return result;
    } catch (error) {
      await event.fail({ meta, error: error as Error });
      throw error;
    }
  };
}
