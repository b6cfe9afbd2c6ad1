import express from 'express';
import Router from 'express-promise-router';
import { TrustStore } from '../database/TrustStore';
import { createTrustRouter, TrustRouterOptions } from './trustRouter';

export interface RouterOptions extends TrustRouterOptions {
  store: TrustStore;
}

/** The plugin's HTTP API: `/health` and the trust-credit routes. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: '100kb' }));

  // Reports whether the store answers, so a load balancer can take a replica
  // whose database is gone out of rotation.
  router.get('/health', async (_req, res) => {
    await options.store.ping();
    res.json({ status: 'ok' });
  });

  router.use(createTrustRouter(options));
  return router;
}
