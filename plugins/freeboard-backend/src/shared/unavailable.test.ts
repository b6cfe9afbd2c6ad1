import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { isDatabaseUnavailable } from './database';
import { createRouter } from './router';

jest.setTimeout(60_000);

/** The plugin's router with one route that runs `fail`, behind Backstage's error handler. */
function appFailingWith(fail: () => Promise<unknown>) {
  const instrument = Router();
  instrument.get('/boom', async () => {
    await fail();
  });
  const app = express();
  app.use(createRouter({ ping: async () => undefined, routers: [instrument] }));
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    }).error(),
  );
  return app;
}

async function responseError(status: number): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(JSON.stringify({ error: { name: 'Error', message: 'x' } }), {
      status,
      statusText: 'Upstream',
      headers: { 'content-type': 'application/json' },
    }) as any,
  );
}

describe('answers 503 when the database or the catalog is away', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

  it('answers 503 with Retry-After when PostgreSQL drops the connection', async () => {
    const knex = await databases.init('POSTGRES_15');
    const app = appFailingWith(() =>
      knex.raw('select pg_terminate_backend(pg_backend_pid())'),
    );
    const res = await request(app).get('/boom');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.error).toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'The database is unavailable; retry shortly',
    });
    // Once the driver has seen the connection close, the pool replaces it.
    await new Promise(resolve => setTimeout(resolve, 200));
    expect((await knex.raw('select 1 as one')).rows[0].one).toBe(1);
  });

  it.each([
    [
      'too many connections',
      Object.assign(new Error('sorry'), { code: '53300' }),
    ],
    ['a shutdown', Object.assign(new Error('terminating'), { code: '57P01' })],
    [
      'a refused connection',
      Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a full pool',
      Object.assign(
        new Error(
          'Knex: Timeout acquiring a connection. The pool is probably full.',
        ),
        { name: 'KnexTimeoutError' },
      ),
    ],
    [
      'a cause',
      new Error('wrapped', {
        cause: Object.assign(new Error('x'), { code: '08006' }),
      }),
    ],
  ])('recognises %s', async (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    const res = await request(appFailingWith(() => Promise.reject(error))).get(
      '/boom',
    );
    expect(res.status).toBe(503);
  });

  it('answers 503 when the catalog answers 5xx', async () => {
    const error = await responseError(500);
    const res = await request(appFailingWith(() => Promise.reject(error))).get(
      '/boom',
    );
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe(
      'The catalog is unavailable; retry shortly',
    );
  });

  it('leaves other failures alone', async () => {
    for (const error of [
      new Error('a bug'),
      Object.assign(new Error('syntax'), { code: '42601' }),
      Object.assign(new Error('duplicate'), { code: '23505' }),
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
      const res = await request(
        appFailingWith(() => Promise.reject(error)),
      ).get('/boom');
      expect(res.status).toBe(500);
    }
    const notFound = await responseError(404);
    const res = await request(
      appFailingWith(() => Promise.reject(notFound)),
    ).get('/boom');
    expect(res.status).not.toBe(503);
  });
});
