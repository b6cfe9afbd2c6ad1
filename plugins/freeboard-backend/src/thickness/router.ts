import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import { parse } from '../shared/validation';
import { ThicknessService } from './service';
import { thicknessQuery } from './validation';

/**
 * The thickness meter's route, generated from `src/schema/openapi.yaml`
 * with the request validator off: the zod parsing is the one authority on
 * input.
 */
export async function createThicknessRouter(options: {
  httpAuth: HttpAuthService;
  service: ThicknessService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = await createOpenApiRouter({
    validatorOptions: { validateRequests: false, validateSecurity: false },
  });

  router.get('/thickness', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { system, days } = parse(thicknessQuery, req.query);
    res.json(await service.report({ systemRef: system, days }, credentials));
  });

  return router;
}
