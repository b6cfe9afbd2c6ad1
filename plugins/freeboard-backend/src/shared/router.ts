import express from 'express';
import Router from 'express-promise-router';

/**
 * The plugin's HTTP API: `/health` and each instrument's routes. Each
 * instrument's router parses its own JSON bodies (the trust router, generated
 * from the OpenAPI document, mounts `express.json` with a 100 kB limit), so
 * no body is parsed twice.
 */
export function createRouter(options: {
  /** Resolves when the database answers. */
  ping: () => Promise<void>;
  routers: express.Router[];
}): express.Router {
  const router = Router();

  // Reports whether the store answers, so a load balancer can take a replica
  // whose database is gone out of rotation.
  router.get('/health', async (_req, res) => {
    await options.ping();
    res.json({ status: 'ok' });
  });

  for (const instrument of options.routers) router.use(instrument);
  return router;
}
