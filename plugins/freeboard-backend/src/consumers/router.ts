import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import { entityRefFromParams } from '../shared/validation';
import { ConsumerViewService } from './service';

/**
 * The consumer view's route, generated from `src/schema/openapi.yaml` with
 * the request validator off; the entity is addressed like the catalog's.
 */
export async function createConsumersRouter(options: {
  httpAuth: HttpAuthService;
  service: ConsumerViewService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = await createOpenApiRouter({
    validatorOptions: { validateRequests: false, validateSecurity: false },
  });

  router.get('/consumers/:kind/:namespace/:name/balances', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entityRef = entityRefFromParams(req.params);
    res.json(await service.view(entityRef, credentials));
  });

  return router;
}
