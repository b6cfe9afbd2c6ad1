import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { InitiativeState } from '@freeboard/backstage-plugin-common';
import express, { Request } from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import {
  AuditMeta,
  auditTarget,
  createAuditedRunner,
} from '../shared/audit';
import { entityRefFromParams, parse } from '../shared/validation';
import { PhaseService } from './PhaseService';
import {
  PhaseConflictError,
  PhaseWriteService,
  UserCredentials,
} from './PhaseWriteService';
import { steeringReport } from './report';
import {
  addCriterionSchema,
  cohortIdParam,
  cohortSchema,
  criterionIdParam,
  decideSignoffSchema,
  deleteQuery,
  historyQuery,
  pioneerSchema,
  reportQuery,
  requestSignoffSchema,
  setCriterionSchema,
  startSchema,
  stateQuery,
  targetSchema,
  transitionSchema,
} from './validation';

/** The largest JSON body a route accepts. */
const BODY_LIMIT = '100kb';
/** How many of the latest events a steering report lists. */
const REPORT_HISTORY = 50;

type EntityParams = { kind: string; namespace: string; name: string };
/** A route's request, whatever its body and query (the handler parses them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EntityRequest = Request<EntityParams, any, any, any>;

/** What a write handler is given once the caller is known. */
interface WriteInput {
  entityRef: string;
  credentials: UserCredentials;
  meta: AuditMeta;
}

/**
 * The MVP phases routes: each authenticates, parses its input, calls one
 * service method and answers. Writes are audited, success and failure, and
 * answer `{ state }`.
 *
 * Like the trust routes, the router is generated from
 * `src/schema/openapi.yaml` with its request validator off: the handlers'
 * zod parsing is the one authority on input.
 */
export async function createPhasesRouter(options: {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  service: PhaseService;
  writes: PhaseWriteService;
}): Promise<express.Router> {
  const { httpAuth, service, writes } = options;
  const audited = createAuditedRunner(options.auditor);
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: BODY_LIMIT })],
    validatorOptions: { validateRequests: false, validateSecurity: false },
  });

  /**
   * Runs an audited write by a signed-in user. A conflict that carries the
   * state (a stale version, a blocked advance) is answered here: 409 with
   * the Backstage error body plus `blockers` or `currentVersion`, and
   * `state`. Anything else goes to the framework's error handler.
   */
  async function write(
    eventId: string,
    severity: 'low' | 'medium',
    req: EntityRequest,
    res: express.Response,
    work: (input: WriteInput) => Promise<InitiativeState>,
  ): Promise<{ state: InitiativeState } | undefined> {
    try {
      const state = await audited(
        eventId,
        severity,
        req as Request,
        auditTarget(req.params),
        async meta => {
          const credentials = await httpAuth.credentials(req as Request, {
            allow: ['user'],
          });
          const entityRef = entityRefFromParams(req.params);
          meta.entityRef = entityRef;
          const written = await work({ entityRef, credentials, meta });
          meta.version = written.version;
          return written;
        },
      );
      return { state };
    } catch (error) {
      if (!(error instanceof PhaseConflictError)) throw error;
      res.status(409).json({
        error: { name: error.name, message: error.message },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 409 },
        ...error.details,
      });
      return undefined;
    }
  }

  router.get('/phases/config', async (req, res) => {
    await httpAuth.credentials(req);
    res.json(service.config);
  });

  router.get('/phases/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entityRef = entityRefFromParams(req.params);
    const { asOf } = parse(stateQuery(service.currentTime()), req.query);
    res.json(await service.state(entityRef, credentials, asOf));
  });

  router.get(
    '/phases/entities/:kind/:namespace/:name/history',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const entityRef = entityRefFromParams(req.params);
      const query = parse(historyQuery, req.query);
      res.json(await service.history(entityRef, query, credentials));
    },
  );

  router.get(
    '/phases/entities/:kind/:namespace/:name/report',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const entityRef = entityRefFromParams(req.params);
      const { format } = parse(reportQuery, req.query);
      const entity = await service.entity(entityRef, credentials);
      const [state, history] = await Promise.all([
        service.state(entityRef, credentials),
        service.history(entityRef, { limit: REPORT_HISTORY }, credentials),
      ]);
      const report = steeringReport({
        state,
        history: history.items,
        entityTitle: entity.metadata.title ?? entity.metadata.name,
        generatedAt: service.currentTime(),
      });
      // Entity ref parts are letters, digits, `.`, `_` and `-`: safe here.
      const filename = `${entityRef.replace(/[:/]/g, '-')}-phases`;
      if (format === 'json') {
        res
          .set('Content-Disposition', `attachment; filename="${filename}.json"`)
          .json(report.json);
        return;
      }
      // The typed router knows the JSON body only; Markdown is plain text.
      (res as express.Response)
        .type('text/markdown; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="${filename}.md"`)
        .send(report.markdown);
    },
  );

  router.post(
    '/phases/entities/:kind/:namespace/:name/start',
    async (req, res) => {
      const result = await write(
        'phases-start',
        'medium',
        req,
        res,
        async context => {
          parse(startSchema, req.body);
          return writes.start(context);
        },
      );
      if (result) res.status(201).json(result);
    },
  );

  router.post(
    '/phases/entities/:kind/:namespace/:name/transitions',
    async (req, res) => {
      const result = await write(
        'phases-transition',
        'medium',
        req,
        res,
        async ({ meta, ...context }) => {
          const { expectedVersion, ...input } = parse(
            transitionSchema,
            req.body,
          );
          meta.to = input.to;
          return writes.transition({ ...context, expectedVersion }, input);
        },
      );
      if (result) res.json(result);
    },
  );

  router.post(
    '/phases/entities/:kind/:namespace/:name/criteria',
    async (req, res) => {
      const result = await write(
        'phases-criterion-add',
        'low',
        req,
        res,
        async ({ meta, ...context }) => {
          const { expectedVersion, ...input } = parse(
            addCriterionSchema,
            req.body,
          );
          const state = await writes.addCriterion(
            { ...context, expectedVersion },
            input,
          );
          // Own criteria are named after the version that added them.
          meta.criterionId = `own-${state.version}`;
          return state;
        },
      );
      if (result) res.status(201).json(result);
    },
  );

  router.delete(
    '/phases/entities/:kind/:namespace/:name/criteria/:id',
    async (req, res) => {
      const result = await write(
        'phases-criterion-remove',
        'low',
        req,
        res,
        async ({ meta, ...context }) => {
          const id = parse(criterionIdParam, req.params.id);
          meta.criterionId = id;
          const { expectedVersion } = parse(deleteQuery, req.query);
          return writes.removeCriterion({ ...context, expectedVersion }, id);
        },
      );
      if (result) res.json(result);
    },
  );

  router.put(
    '/phases/entities/:kind/:namespace/:name/criteria/:id',
    async (req, res) => {
      const result = await write(
        'phases-criterion-set',
        'low',
        req,
        res,
        async ({ meta, ...context }) => {
          const id = parse(criterionIdParam, req.params.id);
          meta.criterionId = id;
          const { expectedVersion, ...input } = parse(
            setCriterionSchema,
            req.body,
          );
          meta.state = input.state;
          return writes.setCriterion(
            { ...context, expectedVersion },
            id,
            input,
          );
        },
      );
      if (result) res.json(result);
    },
  );

  router.post(
    '/phases/entities/:kind/:namespace/:name/signoffs',
    async (req, res) => {
      const result = await write(
        'phases-signoff-request',
        'low',
        req,
        res,
        async ({ meta, ...context }) => {
          const { expectedVersion, ...input } = parse(
            requestSignoffSchema,
            req.body,
          );
          meta.groupRef = input.groupRef;
          return writes.requestSignoff({ ...context, expectedVersion }, input);
        },
      );
      if (result) res.status(201).json(result);
    },
  );

  router.put(
    '/phases/entities/:kind/:namespace/:name/signoffs',
    async (req, res) => {
      const result = await write(
        'phases-signoff-decide',
        'medium',
        req,
        res,
        async ({ meta, ...context }) => {
          const { expectedVersion, ...input } = parse(
            decideSignoffSchema,
            req.body,
          );
          meta.groupRef = input.groupRef;
          meta.decision = input.decision;
          return writes.decideSignoff({ ...context, expectedVersion }, input);
        },
      );
      if (result) res.json(result);
    },
  );

  router.put(
    '/phases/entities/:kind/:namespace/:name/pioneer',
    async (req, res) => {
      const result = await write(
        'phases-pioneer-set',
        'low',
        req,
        res,
        async ({ meta, ...context }) => {
          const { expectedVersion, teamRef } = parse(pioneerSchema, req.body);
          meta.teamRef = teamRef ?? 'none';
          return writes.setPioneer({ ...context, expectedVersion }, teamRef);
        },
      );
      if (result) res.json(result);
    },
  );

  router.put(
    '/phases/entities/:kind/:namespace/:name/targets',
    async (req, res) => {
      const result = await write(
        'phases-target-set',
        'low',
        req,
        res,
        async ({ meta: _meta, ...context }) => {
          const { expectedVersion, phase, date } = parse(
            targetSchema,
            req.body,
          );
          return writes.setTarget({ ...context, expectedVersion }, phase, date);
        },
      );
      if (result) res.json(result);
    },
  );

  router.post(
    '/phases/entities/:kind/:namespace/:name/cohorts',
    async (req, res) => {
      const result = await write(
        'phases-cohort-add',
        'low',
        req,
        res,
        async ({ meta, ...context }) => {
          const { expectedVersion, ...input } = parse(cohortSchema, req.body);
          const state = await writes.addCohort(
            { ...context, expectedVersion },
            input,
          );
          meta.cohortId = `cohort-${state.version}`;
          return state;
        },
      );
      if (result) res.status(201).json(result);
    },
  );

  router.put(
    '/phases/entities/:kind/:namespace/:name/cohorts/:id',
    async (req, res) => {
      const result = await write(
        'phases-cohort-update',
        'low',
        req,
        res,
        async ({ meta, ...context }) => {
          const id = parse(cohortIdParam, req.params.id);
          meta.cohortId = id;
          const { expectedVersion, ...input } = parse(cohortSchema, req.body);
          return writes.updateCohort(
            { ...context, expectedVersion },
            id,
            input,
          );
        },
      );
      if (result) res.json(result);
    },
  );

  router.delete(
    '/phases/entities/:kind/:namespace/:name/cohorts/:id',
    async (req, res) => {
      const result = await write(
        'phases-cohort-remove',
        'low',
        req,
        res,
        async ({ meta, ...context }) => {
          const id = parse(cohortIdParam, req.params.id);
          meta.cohortId = id;
          const { expectedVersion } = parse(deleteQuery, req.query);
          return writes.removeCohort({ ...context, expectedVersion }, id);
        },
      );
      if (result) res.json(result);
    },
  );

  return router;
}
