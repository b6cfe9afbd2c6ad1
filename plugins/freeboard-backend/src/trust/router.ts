import {
  AuditorService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import express, { Request } from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import { auditTarget, createAuditedRunner } from '../shared/audit';
import {
  entityRefFromParams,
  idempotencyKeyFrom,
  parse,
} from '../shared/validation';
import { TrustService } from './TrustService';
import { TrustWriteService } from './TrustWriteService';
import {
  entryIdParam,
  leaderboardQuery,
  listEntriesQuery,
  preflightSchema,
  pulseSchema,
  recordEntrySchema,
  revertSchema,
  scoresSchema,
  trendQuery,
} from './validation';

/** The largest JSON body a route accepts. */
const BODY_LIMIT = '100kb';

/**
 * The trust-credit routes: each authenticates, parses its input, calls one
 * service method and answers. Writes are audited, success and failure.
 *
 * The router is generated from `src/schema/openapi.yaml`, so a route or a
 * response the document does not describe fails to compile. Its request
 * validator is off: the handlers' own parsing (`parse`) is the one authority
 * on input, and its errors name each bad field.
 */
export async function createTrustRouter(options: {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  service: TrustService;
  writes: TrustWriteService;
}): Promise<express.Router> {
  const { httpAuth, service, writes, logger } = options;
  const audited = createAuditedRunner(options.auditor);
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: BODY_LIMIT })],
    validatorOptions: { validateRequests: false, validateSecurity: false },
  });

  const asUser = async (req: Request) => ({
    type: 'user' as const,
    credentials: await httpAuth.credentials(req, { allow: ['user'] }),
  });

  router.get('/trust/config', async (req, res) => {
    await httpAuth.credentials(req);
    res.json(service.config);
  });

  router.get('/trust/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(
      await service.summary(entityRefFromParams(req.params), credentials),
    );
  });

  router.get(
    '/trust/entities/:kind/:namespace/:name/entries',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const entityRef = entityRefFromParams(req.params);
      const query = parse(listEntriesQuery, req.query);
      res.json(await service.listEntries(entityRef, query, credentials));
    },
  );

  router.get(
    '/trust/entities/:kind/:namespace/:name/trend',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const entityRef = entityRefFromParams(req.params);
      const { days } = parse(trendQuery, req.query);
      res.json(await service.trend(entityRef, days, credentials));
    },
  );

  router.post(
    '/trust/entities/:kind/:namespace/:name/entries',
    async (req, res) => {
      const result = await audited(
        'trust-entry-record',
        'medium',
        req,
        auditTarget(req.params),
        async meta => {
          const writer = await asUser(req);
          const entityRef = entityRefFromParams(req.params);
          meta.entityRef = entityRef;
          const idempotencyKey = idempotencyKeyFrom(req.get('idempotency-key'));
          const input = parse(
            recordEntrySchema(service.config, service.currentTime()),
            req.body,
          );
          const written = await writes.recordEntry(entityRef, input, writer, {
            idempotencyKey,
          });
          meta.entryId = written.entry.id;
          meta.replayed = written.replayed;
          return written;
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
    },
  );

  router.post(
    '/trust/entities/:kind/:namespace/:name/entries/:id/revert',
    async (req, res) => {
      const result = await audited(
        'trust-entry-revert',
        'medium',
        req,
        auditTarget(req.params),
        async meta => {
          const writer = await asUser(req);
          const entityRef = entityRefFromParams(req.params);
          meta.entityRef = entityRef;
          const entryId = parse(entryIdParam, req.params.id);
          meta.revertsEntryId = entryId;
          const { reason } = parse(revertSchema, req.body);
          const reverted = await writes.revertEntry(
            entityRef,
            entryId,
            reason,
            writer,
          );
          meta.entryId = reverted.entry.id;
          return reverted;
        },
      );
      res.status(201).json(result);
    },
  );

  router.post(
    '/trust/entities/:kind/:namespace/:name/preflight',
    async (req, res) => {
      const result = await audited(
        'trust-preflight',
        'low',
        req,
        auditTarget(req.params),
        async meta => {
          const writer = await asUser(req);
          const entityRef = entityRefFromParams(req.params);
          meta.entityRef = entityRef;
          const body = parse(preflightSchema(service.config), req.body);
          return writes.preflight(entityRef, body, writer);
        },
      );
      res.json(result);
    },
  );

  router.put(
    '/trust/entities/:kind/:namespace/:name/pulse',
    async (req, res) => {
      const result = await audited(
        'trust-pulse',
        'low',
        req,
        auditTarget(req.params),
        async meta => {
          const writer = await asUser(req);
          const entityRef = entityRefFromParams(req.params);
          meta.entityRef = entityRef;
          const body = parse(pulseSchema, req.body);
          const pulse = await writes.recordPulse(entityRef, body, writer);
          meta.entryId = pulse.entry.id;
          meta.replaced = pulse.replaced;
          return pulse;
        },
      );
      res.json(result);
    },
  );

  router.delete(
    '/trust/entities/:kind/:namespace/:name/pulse',
    async (req, res) => {
      const result = await audited(
        'trust-pulse-withdraw',
        'low',
        req,
        auditTarget(req.params),
        async meta => {
          const writer = await asUser(req);
          const entityRef = entityRefFromParams(req.params);
          meta.entityRef = entityRef;
          const withdrawal = await writes.withdrawPulse(entityRef, writer);
          meta.withdrawn = withdrawal.withdrawn;
          return withdrawal;
        },
      );
      res.json(result);
    },
  );

  router.post('/trust/scores', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { entityRefs } = parse(scoresSchema, req.body);
    res.json({ items: await service.summaries(entityRefs, credentials) });
  });

  router.get('/trust/leaderboard', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = parse(leaderboardQuery, req.query);
    res.json(await service.leaderboard(query, credentials));
  });

  return router;
}
