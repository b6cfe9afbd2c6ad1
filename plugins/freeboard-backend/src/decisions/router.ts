import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import { entityRefFromParams, parse } from '../shared/validation';
import { DecisionHistoryService } from './service';
import { decisionHistoryQuery } from './validation';
import { DecisionViewService } from './view';

/**
 * The decision routes (one entity's decision view and its history),
 * generated from `src/schema/openapi.yaml` like the others, with the
 * request validator off: the zod parsing is the one authority on input.
 */
export async function createDecisionsRouter(options: {
  httpAuth: HttpAuthService;
  service: DecisionHistoryService;
  view: DecisionViewService;
}): Promise<express.Router> {
  const { httpAuth, service, view } = options;
  const router = await createOpenApiRouter({
    validatorOptions: { validateRequests: false, validateSecurity: false },
  });

  router.get('/decisions/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entityRef = entityRefFromParams(req.params);
    res.json(await view.view(entityRef, credentials));
  });

  router.get(
    '/decisions/entities/:kind/:namespace/:name/history',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const entityRef = entityRefFromParams(req.params);
      const query = parse(decisionHistoryQuery, req.query);
      res.json(await service.history(entityRef, query, credentials));
    },
  );

  return router;
}
