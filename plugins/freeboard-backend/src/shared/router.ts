import { InputError, ServiceUnavailableError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { isDatabaseUnavailable } from './database';

/** The largest JSON body a route accepts. */
const BODY_LIMIT = '100kb';

/** An error with the status the framework's error handler answers with. */
class BodyError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
    this.name =
      statusCode === 413 ? 'PayloadTooLargeError' : 'UnsupportedMediaTypeError';
  }
}

/**
 * Parses JSON bodies for every route, before the instruments' routers: a
 * body the parser refuses is answered here with its own status and the
 * field it is about, not turned into a bare 400 by the generated routers'
 * error transformer (which makes every error an InputError, 413 included).
 */
function parseJsonBody(): express.RequestHandler {
  const json = express.json({ limit: BODY_LIMIT });
  return (req, res, next) => {
    json(req, res, (error?: { type?: string; status?: number }) => {
      if (!error) {
        next();
      } else if (error.type === 'entity.too.large') {
        next(new BodyError(413, `body: must be at most ${BODY_LIMIT}`));
      } else if (error.type === 'entity.parse.failed') {
        next(new InputError('body: is not valid JSON'));
      } else if (error.status === 415) {
        next(
          new BodyError(
            415,
            'Content-Type: the charset or encoding is not supported',
          ),
        );
      } else {
        next(new InputError('body: could not be read'));
      }
    });
  };
}

/**
 * Refuses a path that does not percent-decode (`%E0%A4%A`, an encoded
 * lone surrogate) with a 400 that says so, rather than the OpenAPI
 * validator's bare "malformed uri".
 */
const checkPathEncoding: express.RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    throw new InputError('path: is not validly percent-encoded');
  }
  next();
};

/**
 * The plugin's HTTP API: `/health` and each instrument's routes. JSON bodies
 * are parsed here, once (the instruments' own `express.json` then finds them
 * parsed), so a body the parser refuses is answered the same on every route.
 */
export function createRouter(options: {
  /** Resolves when the database answers. */
  ping: () => Promise<void>;
  routers: express.Router[];
}): express.Router {
  const router = Router();
  router.use(checkPathEncoding);
  router.use(parseJsonBody());

  // Reports whether the store answers, so a load balancer can take a replica
  // whose database is gone out of rotation.
  router.get('/health', async (_req, res) => {
    await options.ping();
    res.json({ status: 'ok' });
  });

  for (const instrument of options.routers) router.use(instrument);
  router.use(answerUnavailable);
  return router;
}

/**
 * A request that failed because the database or the catalog was away for a
 * moment (a restart, a failover, a full connection pool) is answered 503
 * with `Retry-After`, so that clients and load balancers retry it, instead
 * of a 500 that reads as a bug. Writes are transactions: nothing of a
 * failed one is kept.
 */
function answerUnavailable(
  error: unknown,
  _req: express.Request,
  res: express.Response,
  next: express.NextFunction,
) {
  const database = isDatabaseUnavailable(error);
  const upstream = upstreamStatus(error);
  if (database || (upstream !== undefined && upstream >= 500)) {
    res.setHeader('Retry-After', '1');
    next(
      new ServiceUnavailableError(
        database
          ? 'The database is unavailable; retry shortly'
          : 'The catalog is unavailable; retry shortly',
      ),
    );
    return;
  }
  next(error);
}

/** The status of a failed call to another Backstage service, if it was one. */
function upstreamStatus(error: unknown): number | undefined {
  const e = error as { name?: string; response?: { status?: unknown } };
  return e?.name === 'ResponseError' && typeof e.response?.status === 'number'
    ? e.response.status
    : undefined;
}
