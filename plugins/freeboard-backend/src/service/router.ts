import { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { TrustStore } from '../database/TrustStore';

export interface RouterOptions {
  logger: LoggerService;
  trustStore: TrustStore;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { trustStore } = options;
  const router = Router();
  router.use(express.json());

  // Reports whether the store answers, so a load balancer can take a replica
  // whose database is gone out of rotation.
  router.get('/health', async (_req, res) => {
    await trustStore.ping();
    res.json({ status: 'ok' });
  });

  return router;
}
