import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { freeboardPlugin } from '../plugin';

// Start-up runs every migration and schedules the plugin's tasks; on a busy
// machine that takes longer than jest's default 5 s.
jest.setTimeout(30_000);

describe('freeboard backend plugin', () => {
  async function start() {
    const { server } = await startTestBackend({
      features: [freeboardPlugin, mockServices.database.factory()],
    });
    return server;
  }

  it('answers /health without credentials', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/freeboard/health')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('refuses other routes to unauthenticated callers', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/freeboard/trust/config')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
