import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import { entityRefFromParams, parse } from '../shared/validation';
import { DecisionHistoryService } from './service';
import { decisionHistoryQuery } from './validation';

/**
 * The decision history routes, generated from `src/schema/openapi.yaml`
 * like the others, with the request validator off: the zod parsing is the
 * one authority on input.
 */
export async function createDecisionsRouter(options: {
  httpAuth: HttpAuthService;
  service: DecisionHistoryService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = await createOpenApiRouter({
    validatorOptions: { validateRequests: false, validateSecurity: false },
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
