import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import { entityRefFromParams, parse } from '../shared/validation';
import { PortfolioService } from './service';
import { noQuery, portfolioExportQuery, portfolioQuery } from './validation';

/**
 * The portfolio routes, generated from `src/schema/openapi.yaml` like the
 * others, with the request validator off: the zod parsing is the one
 * authority on input.
 */
export async function createPortfolioRouter(options: {
  httpAuth: HttpAuthService;
  service: PortfolioService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = await createOpenApiRouter({
    validatorOptions: { validateRequests: false, validateSecurity: false },
  });

  router.get('/portfolio', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = parse(portfolioQuery, req.query);
    res.json(await service.page(query, credentials));
  });

  router.get('/portfolio/export.csv', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = parse(portfolioExportQuery, req.query);
    const csv = await service.csv(query, credentials);
    // The typed router knows JSON bodies only; the export is plain text.
    (res as express.Response)
      .type('text/csv; charset=utf-8')
      .set(
        'Content-Disposition',
        'attachment; filename="freeboard-portfolio.csv"',
      )
      .send(csv);
  });

  router.get('/portfolio/summary', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    parse(noQuery, req.query);
    res.json(await service.summary(credentials));
  });

  router.get('/portfolio/owners/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const groupRef = entityRefFromParams(req.params);
    parse(noQuery, req.query);
    res.json(await service.ownerRollup(groupRef, credentials));
  });

  return router;
}
