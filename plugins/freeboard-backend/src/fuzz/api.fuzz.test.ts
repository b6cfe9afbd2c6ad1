import fc from 'fast-check';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  FuzzRequest,
  FuzzWorld,
  describeRequest,
  requestArbitrary,
} from './__testUtils__/arbitraries';
import {
  Fingerprint,
  createFingerprinter,
  fingerprintDiff,
} from './__testUtils__/fingerprint';
import {
  Caller,
  FUZZ_REFS,
  FuzzBackend,
  startFuzzBackend,
} from './__testUtils__/fuzzBackend';
import {
  FuzzOperation,
  documentedOperations,
} from './__testUtils__/operations';

/*
 * Property-based fuzzing of every operation of openapi.yaml, on SQLite and
 * PostgreSQL, against one backend per database running the whole plugin.
 * For every generated request:
 *  - the status is below 500;
 *  - a 4xx writes nothing (the fingerprint of every table is unchanged);
 *  - a 400 names a field or parameter of the request (`field: problem`).
 * The seed is fixed (FREEBOARD_FUZZ_SEED) and the runs per operation
 * bounded (FREEBOARD_FUZZ_RUNS), so CI is reproducible; a failure prints
 * the seed and the request.
 */

const BASE_SEED = Number(process.env.FREEBOARD_FUZZ_SEED ?? 20261122);
const RUNS = Number(process.env.FREEBOARD_FUZZ_RUNS ?? 40);

jest.setTimeout(Math.max(300_000, RUNS * 5_000));

const databases = createTestDatabases();
const operations = documentedOperations();

/** A seed per operation, so one operation's runs do not shift another's. */
function seedOf(operationId: string): number {
  let hash = BASE_SEED | 0;
  for (const ch of operationId)
    hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return hash;
}

/** Whether a 400's message starts with a name the request carries. */
function namesAField(message: unknown, fields: string[]): boolean {
  if (typeof message !== 'string') return false;
  return [...fields, 'path', 'body'].some(
    field =>
      message.startsWith(`${JSON.stringify(field)}: `) ||
      (field.length > 0 &&
        (message.startsWith(`${field}: `) || message.startsWith(`${field}.`))),
  );
}

interface OperationStats {
  requests: number;
  statuses: Record<number, number>;
  /** How often each 400 message (its field part) was answered. */
  refusals: Record<string, number>;
}

describe.each(databases.eachSupportedId())(
  'the API under fuzz on %s',
  databaseId => {
    let backend: FuzzBackend;
    let fingerprint: () => Promise<Fingerprint>;
    let world: FuzzWorld;
    const stats = new Map<string, OperationStats>();

    const api = (
      caller: Caller,
      method: string,
      path: string,
      body?: object,
    ) => {
      const test = backend.call(caller, method, `/api/freeboard${path}`);
      return body ? test.send(body) : test;
    };

    /** Calls a seeding request that must succeed. */
    async function given(
      method: string,
      path: string,
      body?: object,
      caller: Caller = 'lead',
    ) {
      const res = await api(caller, method, path, body);
      if (res.status >= 300) {
        throw new Error(
          `seeding ${method} ${path} answered ${res.status}: ${res.text}`,
        );
      }
      return res.body;
    }

    async function nextCursor(
      operationId: string,
      path: string,
    ): Promise<string[]> {
      const body = await given('get', path);
      if (typeof body.nextCursor !== 'string') {
        throw new Error(`seeding ${operationId}: no nextCursor from ${path}`);
      }
      return [body.nextCursor];
    }

    beforeAll(async () => {
      const knex: Knex = await databases.init(databaseId);
      backend = await startFuzzBackend(knex);
      fingerprint = await createFingerprinter(knex);

      const trust = '/trust/entities/component/default';
      const entryIds: string[] = [];
      for (const [name, body] of [
        [
          'ci',
          {
            category: 'pain-point-removed',
            amount: 20,
            title: 'Cache',
            consumerRef: 'group:team-a',
          },
        ],
        [
          'ci',
          {
            category: 'migration',
            amount: 30,
            title: 'Move',
            consumerRef: 'group:team-b',
          },
        ],
        [
          'ci',
          {
            category: 'migration',
            amount: 10,
            title: 'Secret',
            consumerRef: 'group:secret-team',
          },
        ],
        ['ci', { category: 'outage', amount: 5, title: 'Down' }],
        [
          'ci',
          {
            category: 'self-service',
            amount: 8,
            title: 'Portal',
            consumerRef: 'group:team-a',
          },
        ],
        [
          'runners',
          {
            category: 'migration',
            amount: 50,
            title: 'Big move',
            consumerRef: 'group:team-a',
          },
        ],
        [
          'runners',
          { category: 'pain-point-removed', amount: 3, title: 'Fix' },
        ],
        [
          'vault',
          { category: 'pain-point-removed', amount: 7, title: 'Hidden' },
        ],
      ] as const) {
        const res = await given('post', `${trust}/${name}/entries`, body);
        entryIds.push(String(res.entry.id));
      }
      await given('put', `${trust}/ci/pulse`, { sentiment: 'down' }, 'sam');

      const phases = '/phases/entities/component/default';
      await given('post', `${phases}/ci/start`);
      await given('post', `${phases}/runners/start`);
      await given('post', `${phases}/ci/criteria`, {
        phase: 'discovery',
        title: 'Own criterion',
      });
      await given('post', `${phases}/ci/cohorts`, {
        name: 'Wave 1',
        targetDate: new Date(Date.now() + 30 * 86_400_000)
          .toISOString()
          .slice(0, 10),
        teamRefs: ['group:default/team-a', 'group:default/secret-team'],
      });
      await given('put', `${phases}/ci/pioneer`, {
        teamRef: 'group:default/team-a',
      });
      await given('post', `${phases}/ci/signoffs`, {
        phase: 'integration',
        groupRef: 'group:default/platform-leads',
      });

      await backend.runTasks();
      backend.flipDecision();
      await backend.runTasks();

      const state = (await given('get', `${phases}/ci`)) as {
        phases: Array<{ criteria: Array<{ id: string }> }>;
        cohorts: Array<{ id: string }>;
      };
      const config = await given('get', '/trust/config');
      world = {
        capabilityRefs: FUZZ_REFS.capabilities,
        otherRefs: FUZZ_REFS.others,
        groupRefs: FUZZ_REFS.groups,
        categories: config.categories.map((c: { id: string }) => c.id),
        entryIds,
        criterionIds: state.phases.flatMap(p => p.criteria.map(c => c.id)),
        cohortIds: state.cohorts.map(c => c.id),
        cursors: {
          listTrustEntries: await nextCursor(
            'listTrustEntries',
            `${trust}/ci/entries?limit=1`,
          ),
          getTrustLeaderboard: await nextCursor(
            'getTrustLeaderboard',
            '/trust/leaderboard?limit=1',
          ),
          listPhaseHistory: await nextCursor(
            'listPhaseHistory',
            `${phases}/ci/history?limit=1`,
          ),
          listDecisionHistory: await nextCursor(
            'listDecisionHistory',
            '/decisions/entities/component/default/ci/history?limit=1',
          ),
        },
      };
    });

    afterAll(async () => {
      await backend?.stop();
    });

    async function send(req: FuzzRequest) {
      const test = backend.call(req.caller, req.method, req.url);
      for (const [name, value] of req.headers) test.set(name, value as string);
      if (req.body) {
        if (req.body.contentType)
          test.set('content-type', req.body.contentType);
        test.send(req.body.text);
      }
      return await test;
    }

    /** Sends `req` and throws when an invariant does not hold. */
    async function check(req: FuzzRequest, operationStats: OperationStats) {
      const before = await fingerprint();
      const res = await send(req);
      operationStats.requests++;
      operationStats.statuses[res.status] =
        (operationStats.statuses[res.status] ?? 0) + 1;
      if (res.status === 400) {
        const field = String(res.body?.error?.message)
          .split(':')[0]
          .slice(0, 40);
        operationStats.refusals[field] =
          (operationStats.refusals[field] ?? 0) + 1;
      }
      const problems: string[] = [];
      if (res.status >= 500) problems.push(`answered ${res.status}`);
      if (res.status >= 400) {
        const diff = fingerprintDiff(before, await fingerprint());
        if (Object.keys(diff).length) {
          problems.push(
            `answered ${res.status} but wrote: ${JSON.stringify(diff)}`,
          );
        }
      }
      if (
        res.status === 400 &&
        !namesAField(res.body?.error?.message, req.fields)
      ) {
        problems.push('answered 400 without naming a field of the request');
      }
      if (problems.length) {
        const answer =
          res.text.length > 800 ? `${res.text.slice(0, 800)}…` : res.text;
        throw new Error(
          `${problems.join('; ')}\n${describeRequest(req)}\nanswer: ${answer}`,
        );
      }
    }

    it.each(operations.map(o => [o.operationId, o] as [string, FuzzOperation]))(
      '%s',
      async (operationId, operation) => {
        const operationStats: OperationStats = {
          requests: 0,
          statuses: {},
          refusals: Object.create(null),
        };
        stats.set(operationId, operationStats);
        const operationSeed = seedOf(operationId);
        let failure: unknown;
        try {
          await fc.assert(
            fc.asyncProperty(requestArbitrary(operation, world), async req => {
              try {
                await check(req, operationStats);
              } catch (error) {
                failure = error;
                throw error;
              }
            }),
            { seed: operationSeed, numRuns: RUNS, endOnFailure: true },
          );
        } catch (error) {
          // fast-check's own message repeats the whole request, long values
          // and all; the request as described by check() is easier to read.
          const replay = /\{ seed: .*\}/.exec(String((error as Error).message));
          throw new Error(
            `Fuzzing ${operationId} on ${databaseId} failed ` +
              `(FREEBOARD_FUZZ_SEED=${BASE_SEED} FREEBOARD_FUZZ_RUNS=${RUNS}; ` +
              `fast-check ${replay?.[0] ?? `seed ${operationSeed}`}):\n` +
              `${failure instanceof Error ? failure.message : String(error)}`,
          );
        }
        expect(operationStats.requests).toBe(RUNS);
      },
    );

    it('fuzzed every documented operation, and reached past validation on each', () => {
      expect(operations.length).toBeGreaterThanOrEqual(36);
      // A paged operation is fuzzed with real cursors of its own too.
      const paged = operations.filter(o =>
        o.parameters.some(p => p.name === 'cursor'),
      );
      expect(paged.filter(o => !world.cursors[o.operationId]?.length)).toEqual(
        [],
      );
      const report = operations.map(({ operationId }) => {
        const s = stats.get(operationId);
        const statuses = s?.statuses ?? {};
        const past = Object.entries(statuses)
          .filter(([status]) => !['400', '401', '413', '415'].includes(status))
          .reduce((n, [, count]) => n + count, 0);
        return {
          operationId,
          requests: s?.requests ?? 0,
          past,
          statuses,
          refusals: s?.refusals,
        };
      });
      const total = report.reduce((n, r) => n + r.requests, 0);
      process.stdout.write(
        `Fuzzed ${total} requests on ${databaseId} (seed ${BASE_SEED}, ${RUNS} runs per operation):\n${report
          .map(
            r =>
              `  ${r.operationId}: ${JSON.stringify(
                r.statuses,
              )} 400 on ${JSON.stringify(r.refusals)}`,
          )
          .join('\n')}\n`,
      );
      expect(report.filter(r => r.requests < RUNS || r.past === 0)).toEqual([]);
    });
  },
);
