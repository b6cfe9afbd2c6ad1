import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  trustEntryCreatePermission,
  trustPulseCreatePermission,
} from '@freeboard/backstage-plugin-common';
import { freeboardEntityResourceRef } from '@freeboard/backstage-plugin-node';
import { createHash } from 'node:crypto';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { TrustStore } from '../database/TrustStore';
import { PULSE_CATEGORY } from '../trust/config';
import { TrustService } from '../trust/TrustService';
import {
  entityRefFromParams,
  idempotencyKeyFrom,
  leaderboardQuery,
  listEntriesQuery,
  parse,
  preflightSchema,
  pulseSchema,
  recordEntrySchema,
  revertSchema,
  scoresSchema,
  trendQuery,
} from './validation';

export interface TrustRouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  store: TrustStore;
  service: TrustService;
}

const ENTITY = '/trust/entities/:kind/:namespace/:name';

/** JSON with sorted keys, so that equal bodies hash equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${canonical(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The trust-credit routes. Each handler: authenticate, parse input, check the
 * entity is visible, authorize, then call the service or store.
 */
export function createTrustRouter(options: TrustRouterOptions): express.Router {
  const { httpAuth, permissions, auditor, store, service, logger } = options;
  const authorizeConditions = createConditionAuthorizer(
    options.permissionsRegistry.getPermissionRuleset(
      freeboardEntityResourceRef,
    ),
  );
  const router = Router();

  const userCredentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  /** Evaluates a resource permission on an entity already loaded. */
  async function authorize(
    permission: ResourcePermission<'freeboard-entity'>,
    entity: Entity,
    credentials: BackstageCredentials,
  ) {
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    const allowed =
      decision.result === AuthorizeResult.ALLOW ||
      (decision.result === AuthorizeResult.CONDITIONAL &&
        authorizeConditions(decision, entity));
    if (!allowed) {
      throw new NotAllowedError(
        `You are not allowed to ${permission.name} on this entity`,
      );
    }
  }

  /**
   * Wraps a write in an auditor event that records success or failure;
   * failures are rethrown for the error handler to turn into 4xx.
   */
  async function audited<T>(
    eventId: string,
    severityLevel: 'low' | 'medium',
    req: Request,
    work: (meta: Record<string, string | number | boolean>) => Promise<T>,
  ): Promise<T> {
    const meta: Record<string, string | number | boolean> = {
      entityRef:
        `${req.params.kind}:${req.params.namespace}/${req.params.name}`.toLocaleLowerCase(
          'en-US',
        ),
    };
    const event = await auditor.createEvent({
      eventId,
      severityLevel,
      request: req,
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
  }

  router.get('/trust/config', async (req, res) => {
    await httpAuth.credentials(req);
    res.json(service.config);
  });

  router.get(ENTITY, async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entityRef = entityRefFromParams(req.params);
    res.json(await service.summary(entityRef, credentials));
  });

  router.get(`${ENTITY}/entries`, async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entityRef = entityRefFromParams(req.params);
    const query = parse(listEntriesQuery, req.query);
    await service.visibleEntity(entityRef, credentials);
    const page = await store.listEntries(entityRef, query);
    // Consumers the caller cannot see are not named.
    const visible = await service.visibleRefs(
      page.entries.flatMap(e => (e.consumerRef ? [e.consumerRef] : [])),
      credentials,
    );
    for (const entry of page.entries) {
      if (entry.consumerRef && !visible.has(entry.consumerRef)) {
        delete entry.consumerRef;
      }
    }
    res.json(page);
  });

  router.get(`${ENTITY}/trend`, async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entityRef = entityRefFromParams(req.params);
    const { days } = parse(trendQuery, req.query);
    await service.visibleEntity(entityRef, credentials);
    const points = await store.getTrend(entityRef, days, service.currentTime());
    res.json({ entityRef, days, points });
  });

  router.post(`${ENTITY}/entries`, async (req, res) => {
    const result = await audited(
      'trust-entry-record',
      'medium',
      req,
      async meta => {
        const credentials = await userCredentials(req);
        const entityRef = entityRefFromParams(req.params);
        const idempotencyKey = idempotencyKeyFrom(req.get('idempotency-key'));
        const body = parse(
          recordEntrySchema(service.config, service.currentTime()),
          req.body,
        );
        const entity = await service.visibleEntity(entityRef, credentials);
        await authorize(trustEntryCreatePermission, entity, credentials);
        if (body.consumerRef) {
          const visible = await service.visibleRefs(
            [body.consumerRef],
            credentials,
          );
          if (!visible.has(body.consumerRef)) {
            throw new InputError(
              `consumerRef: no entity ${body.consumerRef} in the catalog`,
            );
          }
        }
        const recordedBy =
          credentials.principal.userEntityRef.toLocaleLowerCase('en-US');
        const { entry, replayed } = await store.appendEntry(
          {
            entityRef,
            direction: body.direction,
            category: body.category,
            amount: body.amount,
            title: body.title,
            description: body.description,
            consumerRef: body.consumerRef,
            evidenceUrl: body.evidenceUrl,
            occurredAt: body.occurredAt ?? service.currentTime(),
            recordedBy,
            source: 'manual',
          },
          idempotencyKey
            ? {
                idempotency: {
                  key: idempotencyKey,
                  requestHash: createHash('sha256')
                    .update(canonical({ entityRef, body: req.body }))
                    .digest('hex'),
                },
              }
            : undefined,
        );
        meta.entryId = entry.id;
        meta.replayed = replayed;
        const summary = await service.summary(entityRef, credentials);
        return { entry, summary, replayed };
      },
    );
    if (!result.replayed) {
      logger.info('Recorded trust entry', {
        entityRef: result.entry.entityRef,
        entryId: result.entry.id,
      });
    }
    res
      .status(201)
      .set('Idempotent-Replayed', String(result.replayed))
      .json({ entry: result.entry, summary: result.summary });
  });

  router.post(`${ENTITY}/entries/:id/revert`, async (req, res) => {
    const result = await audited(
      'trust-entry-revert',
      'medium',
      req,
      async meta => {
        const credentials = await userCredentials(req);
        const entityRef = entityRefFromParams(req.params);
        const { reason } = parse(revertSchema, req.body);
        const entity = await service.visibleEntity(entityRef, credentials);
        await authorize(trustEntryCreatePermission, entity, credentials);
        meta.revertsEntryId = req.params.id;
        const entry = await store.revertEntry({
          entityRef,
          entryId: req.params.id,
          reason,
          recordedBy:
            credentials.principal.userEntityRef.toLocaleLowerCase('en-US'),
          source: 'manual',
          recordedAt: service.currentTime(),
        });
        meta.entryId = entry.id;
        return {
          entry,
          summary: await service.summary(entityRef, credentials),
        };
      },
    );
    res.status(201).json(result);
  });

  router.post(`${ENTITY}/preflight`, async (req, res) => {
    const result = await audited('trust-preflight', 'low', req, async () => {
      const credentials = await userCredentials(req);
      const entityRef = entityRefFromParams(req.params);
      const body = parse(preflightSchema(service.config), req.body);
      const entity = await service.visibleEntity(entityRef, credentials);
      await authorize(trustEntryCreatePermission, entity, credentials);
      return service.preflight({
        entity,
        amount: body.amount,
        consumerRefs: body.consumerRefs,
        credentials,
      });
    });
    res.json(result);
  });

  router.put(`${ENTITY}/pulse`, async (req, res) => {
    const result = await audited('trust-pulse', 'low', req, async meta => {
      const credentials = await userCredentials(req);
      const entityRef = entityRefFromParams(req.params);
      const body = parse(pulseSchema, req.body);
      const entity = await service.visibleEntity(entityRef, credentials);
      await authorize(trustPulseCreatePermission, entity, credentials);
      const categoryId = PULSE_CATEGORY[body.sentiment];
      const category = service.config.categories.find(
        c => c.id === categoryId,
      )!;
      const { entry, replaced } = await store.recordPulse({
        entityRef,
        userRef: (
          credentials.principal as BackstageUserPrincipal
        ).userEntityRef.toLocaleLowerCase('en-US'),
        sentiment: body.sentiment,
        category: category.id,
        amount: category.defaultAmount,
        title: category.title,
        comment: body.comment,
        at: service.currentTime(),
      });
      meta.entryId = entry.id;
      meta.replaced = replaced;
      return {
        entry,
        replaced,
        summary: await service.summary(entityRef, credentials),
      };
    });
    res.json(result);
  });

  router.post('/trust/scores', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { entityRefs } = parse(scoresSchema, req.body);
    // Lists of scores show the few consumers most at risk, not all of them.
    res.json({
      items: await service.summaries([...new Set(entityRefs)], credentials, {
        consumerLimit: 5,
        onlyVisibleEntities: true,
      }),
    });
  });

  router.get('/trust/leaderboard', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = parse(leaderboardQuery, req.query);
    res.json(await service.leaderboard(query, credentials));
  });

  return router;
}
