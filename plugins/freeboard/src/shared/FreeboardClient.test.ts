import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { FreeboardClient } from './FreeboardClient';
import { PhaseConflictError } from './FreeboardApi';

const BASE_URL = 'http://backend.test/api/freeboard';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    headers: { 'Content-Type': 'application/json' },
  });
}

function setup(response: () => Response = () => jsonResponse(200, {})) {
  const fetch = jest.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => response(),
  );
  const discoveryApi: DiscoveryApi = {
    getBaseUrl: jest.fn(async () => BASE_URL),
  };
  const fetchApi: FetchApi = { fetch: fetch as FetchApi['fetch'] };
  const client = new FreeboardClient({ discoveryApi, fetchApi });
  /** The URL and init of the nth fetch call. */
  const call = (n = 0) => {
    const [url, init] = fetch.mock.calls[n];
    return { url: String(url), init: init ?? {} };
  };
  return { client, fetch, discoveryApi, call };
}

describe('FreeboardClient', () => {
  it('addresses the entity by lower-cased, encoded kind, namespace and name', async () => {
    const { client, call, discoveryApi } = setup(() =>
      jsonResponse(200, { entityRef: 'component:default/x' }),
    );
    await client.getTrustSummary('Component:Team-A/My.Service');
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('freeboard');
    expect(call().url).toBe(
      `${BASE_URL}/trust/entities/component/team-a/my.service`,
    );
  });

  it('encodes characters that would break the path', async () => {
    const { client, call } = setup(() => jsonResponse(200, {}));
    await client.getTrustSummary('component:default/a#b?c');
    expect(call().url).toBe(
      `${BASE_URL}/trust/entities/component/default/a%23b%3Fc`,
    );
  });

  it('builds the entries query from the defined filters only', async () => {
    const { client, call } = setup(() => jsonResponse(200, { entries: [] }));
    await client.listTrustEntries('component:default/x', {
      limit: 25,
      cursor: 'abc=',
      direction: 'spend',
      consumerRef: 'group:default/team-a',
    });
    const url = new URL(call().url);
    expect(url.pathname).toBe(
      '/api/freeboard/trust/entities/component/default/x/entries',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      limit: '25',
      cursor: 'abc=',
      direction: 'spend',
      consumerRef: 'group:default/team-a',
    });
  });

  it('sends no query string when there are no filters', async () => {
    const { client, call } = setup(() => jsonResponse(200, { entries: [] }));
    await client.listTrustEntries('component:default/x');
    expect(call().url).toBe(
      `${BASE_URL}/trust/entities/component/default/x/entries`,
    );
  });

  it('posts entries as JSON with an Idempotency-Key header', async () => {
    const { client, call } = setup(() =>
      jsonResponse(201, { entry: { id: '1' }, summary: {} }),
    );
    const body = { category: 'migration', amount: 20, title: 'Move to v2' };
    const result = await client.recordTrustEntry('component:default/x', body);

    expect(result.entry.id).toBe('1');
    const { url, init } = call();
    expect(url).toBe(`${BASE_URL}/trust/entities/component/default/x/entries`);
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual(body);
    const headers = init.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uses the caller’s idempotency key, and a fresh one for each call otherwise', async () => {
    const { client, call } = setup(() =>
      jsonResponse(201, { entry: {}, summary: {} }),
    );
    const body = { category: 'migration', amount: 1, title: 't' };
    await client.recordTrustEntry('component:default/x', body, {
      idempotencyKey: 'key-1',
    });
    await client.recordTrustEntry('component:default/x', body);
    await client.recordTrustEntry('component:default/x', body);
    const key = (n: number) =>
      (call(n).init.headers as Record<string, string>)['Idempotency-Key'];
    expect(key(0)).toBe('key-1');
    expect(key(1)).not.toBe(key(2));
  });

  it('reverts an entry with the reason', async () => {
    const { client, call } = setup(() =>
      jsonResponse(201, { entry: {}, summary: {} }),
    );
    await client.revertTrustEntry('api:default/x', '42', 'Recorded twice');
    expect(call().url).toBe(
      `${BASE_URL}/trust/entities/api/default/x/entries/42/revert`,
    );
    expect(call().init.method).toBe('POST');
    expect(JSON.parse(String(call().init.body))).toEqual({
      reason: 'Recorded twice',
    });
  });

  it('puts pulses and posts pre-flights', async () => {
    const { client, call } = setup(() => jsonResponse(200, {}));
    await client.sendPulse('component:default/x', { sentiment: 'down' });
    await client.runPreflight('component:default/x', {
      category: 'migration',
      amount: 5,
    });
    expect(call(0).url).toBe(
      `${BASE_URL}/trust/entities/component/default/x/pulse`,
    );
    expect(call(0).init.method).toBe('PUT');
    expect(call(1).url).toBe(
      `${BASE_URL}/trust/entities/component/default/x/preflight`,
    );
    expect(JSON.parse(String(call(1).init.body))).toEqual({
      category: 'migration',
      amount: 5,
    });
  });

  it('withdraws the caller’s pulse with a DELETE and returns what it did', async () => {
    const { client, call } = setup(() =>
      jsonResponse(200, {
        withdrawn: true,
        summary: { entityRef: 'component:default/x' },
      }),
    );
    const result = await client.withdrawPulse('Component:default/X');
    expect(result).toEqual({
      withdrawn: true,
      summary: { entityRef: 'component:default/x' },
    });
    expect(call().url).toBe(
      `${BASE_URL}/trust/entities/component/default/x/pulse`,
    );
    expect(call().init.method).toBe('DELETE');
    expect(call().init.body).toBeUndefined();
  });

  it('rejects a string that is not an entity ref without asking the backend', async () => {
    const { client, fetch } = setup();
    await expect(client.withdrawPulse('no-kind-here')).rejects.toThrow(/kind/);
    await expect(client.getTrustSummary('')).rejects.toThrow();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('asks for the trend over the given number of days', async () => {
    const { client, call } = setup(() => jsonResponse(200, { points: [] }));
    await client.getTrustTrend('component:default/x', 30);
    expect(call().url).toBe(
      `${BASE_URL}/trust/entities/component/default/x/trend?days=30`,
    );
  });

  it('unwraps scores and skips the request for no refs', async () => {
    const { client, fetch, call } = setup(() =>
      jsonResponse(200, { items: [{ entityRef: 'component:default/x' }] }),
    );
    expect(await client.getTrustScores([])).toEqual([]);
    expect(fetch).not.toHaveBeenCalled();
    const items = await client.getTrustScores(['component:default/x']);
    expect(items).toEqual([{ entityRef: 'component:default/x' }]);
    expect(call().url).toBe(`${BASE_URL}/trust/scores`);
  });

  it('loads the config once, but tries again after a failure', async () => {
    let status = 500;
    const { client, fetch } = setup(() =>
      jsonResponse(status, {
        error: { name: 'Error', message: 'boom' },
      }),
    );
    await expect(client.getTrustConfig()).rejects.toThrow();
    status = 200;
    await client.getTrustConfig();
    await client.getTrustConfig();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('turns error responses into ResponseErrors with the server message', async () => {
    const { client } = setup(() =>
      jsonResponse(400, {
        error: { name: 'InputError', message: 'amount: must be at most 100' },
        response: { statusCode: 400 },
      }),
    );
    const error = await client
      .recordTrustEntry('component:default/x', {
        category: 'migration',
        amount: 500,
        title: 't',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.body.error.message).toBe('amount: must be at most 100');
  });
});

describe('FreeboardClient: MVP phases', () => {
  const E = `${BASE_URL}/phases/entities/component/default/x`;
  const written = { state: { version: 4 } };

  it('addresses initiatives like the trust routes: lower case, each part encoded', async () => {
    const { client, call } = setup(() => jsonResponse(200, { version: 1 }));
    await client.getInitiative('Component:Team-A/My#Service');
    expect(call().url).toBe(
      `${BASE_URL}/phases/entities/component/team-a/my%23service`,
    );
    expect(call().init.method).toBeUndefined();
  });

  it('asks for the state as of a time', async () => {
    const { client, call } = setup(() => jsonResponse(200, { version: 1 }));
    await client.getInitiative('component:default/x', {
      asOf: '2024-04-05T21:59:59.999Z',
    });
    const url = new URL(call().url);
    expect(url.pathname).toBe(
      '/api/freeboard/phases/entities/component/default/x',
    );
    expect(url.searchParams.get('asOf')).toBe('2024-04-05T21:59:59.999Z');
  });

  it.each([
    [
      'startInitiative',
      (c: FreeboardClient) => c.startInitiative('component:default/x'),
      'POST',
      '/start',
      undefined,
    ],
    [
      'transitionInitiative',
      (c: FreeboardClient) =>
        c.transitionInitiative('component:default/x', {
          to: 'discovery',
          expectedVersion: 3,
          reason: 'Learned something',
        }),
      'POST',
      '/transitions',
      { to: 'discovery', expectedVersion: 3, reason: 'Learned something' },
    ],
    [
      'addPhaseCriterion',
      (c: FreeboardClient) =>
        c.addPhaseCriterion('component:default/x', {
          phase: 'integration',
          title: 'Load tested',
          expectedVersion: 3,
        }),
      'POST',
      '/criteria',
      { phase: 'integration', title: 'Load tested', expectedVersion: 3 },
    ],
    [
      'removePhaseCriterion',
      (c: FreeboardClient) =>
        c.removePhaseCriterion('component:default/x', 'own-7', {
          expectedVersion: 3,
        }),
      'DELETE',
      '/criteria/own-7?expectedVersion=3',
      undefined,
    ],
    [
      'setPhaseCriterion',
      (c: FreeboardClient) =>
        c.setPhaseCriterion('component:default/x', 'a/b c', {
          state: 'waived',
          reason: 'Later',
          waiverExpiresAt: '2099-01-01T00:00:00.000Z',
          expectedVersion: 3,
        }),
      'PUT',
      '/criteria/a%2Fb%20c',
      {
        state: 'waived',
        reason: 'Later',
        waiverExpiresAt: '2099-01-01T00:00:00.000Z',
        expectedVersion: 3,
      },
    ],
    [
      'requestPhaseSignoff',
      (c: FreeboardClient) =>
        c.requestPhaseSignoff('component:default/x', {
          phase: 'discovery',
          groupRef: 'group:default/security',
          expectedVersion: 3,
        }),
      'POST',
      '/signoffs',
      {
        phase: 'discovery',
        groupRef: 'group:default/security',
        expectedVersion: 3,
      },
    ],
    [
      'decidePhaseSignoff',
      (c: FreeboardClient) =>
        c.decidePhaseSignoff('component:default/x', {
          phase: 'discovery',
          groupRef: 'group:default/security',
          decision: 'reject',
          comment: 'No threat model',
          expectedVersion: 3,
        }),
      'PUT',
      '/signoffs',
      {
        phase: 'discovery',
        groupRef: 'group:default/security',
        decision: 'reject',
        comment: 'No threat model',
        expectedVersion: 3,
      },
    ],
    [
      'setPioneerTeam',
      (c: FreeboardClient) =>
        c.setPioneerTeam('component:default/x', {
          teamRef: null,
          expectedVersion: 3,
        }),
      'PUT',
      '/pioneer',
      { teamRef: null, expectedVersion: 3 },
    ],
    [
      'setPhaseTarget',
      (c: FreeboardClient) =>
        c.setPhaseTarget('component:default/x', {
          phase: 'adoption',
          date: '2099-01-31',
          expectedVersion: 3,
        }),
      'PUT',
      '/targets',
      { phase: 'adoption', date: '2099-01-31', expectedVersion: 3 },
    ],
    [
      'addAdoptionCohort',
      (c: FreeboardClient) =>
        c.addAdoptionCohort('component:default/x', {
          name: 'Wave 1',
          targetDate: '2099-01-31',
          teamRefs: ['group:default/a'],
          expectedVersion: 3,
        }),
      'POST',
      '/cohorts',
      {
        name: 'Wave 1',
        targetDate: '2099-01-31',
        teamRefs: ['group:default/a'],
        expectedVersion: 3,
      },
    ],
    [
      'updateAdoptionCohort',
      (c: FreeboardClient) =>
        c.updateAdoptionCohort('component:default/x', 'cohort-5', {
          name: 'Wave 1',
          targetDate: '2099-01-31',
          teamRefs: [],
        }),
      'PUT',
      '/cohorts/cohort-5',
      { name: 'Wave 1', targetDate: '2099-01-31', teamRefs: [] },
    ],
    [
      'removeAdoptionCohort',
      (c: FreeboardClient) =>
        c.removeAdoptionCohort('component:default/x', 'cohort-5'),
      'DELETE',
      '/cohorts/cohort-5',
      undefined,
    ],
  ] as const)(
    '%s sends its method, path and JSON body, and answers the state',
    async (_name, write, method, path, body) => {
      const { client, call } = setup(() => jsonResponse(200, written));
      expect(await write(client)).toEqual(written);
      const { url, init } = call();
      expect(url).toBe(`${E}${path}`);
      expect(init.method).toBe(method);
      // A body goes as JSON; routes without one send none.
      expect(init.body && JSON.parse(String(init.body))).toEqual(body);
      expect(
        (init.headers as Record<string, string> | undefined)?.['Content-Type'],
      ).toBe(body && 'application/json');
    },
  );

  it('pages the history with limit and cursor', async () => {
    const { client, call } = setup(() => jsonResponse(200, { items: [] }));
    await client.listPhaseHistory('component:default/x', {
      limit: 25,
      cursor: 'a+b/c=',
    });
    const url = new URL(call().url);
    expect(url.pathname).toBe(
      '/api/freeboard/phases/entities/component/default/x/history',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      limit: '25',
      cursor: 'a+b/c=',
    });
  });

  it('answers the report as text in the format asked', async () => {
    const { client, call } = setup(
      () =>
        new Response('# Report', {
          status: 200,
          headers: { 'Content-Type': 'text/markdown' },
        }),
    );
    expect(
      await client.getPhasesReport('component:default/x', 'markdown'),
    ).toBe('# Report');
    expect(call().url).toBe(`${E}/report?format=markdown`);
  });

  it('loads the phases config once', async () => {
    const { client, fetch, call } = setup(() =>
      jsonResponse(200, { waiverDefaultDays: 90 }),
    );
    await client.getPhasesConfig();
    await client.getPhasesConfig();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(call().url).toBe(`${BASE_URL}/phases/config`);
  });

  it('rejects a blocked advance with the blockers and the state', async () => {
    const blockers = [
      { kind: 'signoff', id: 'group:default/security', title: 'No sign-off' },
    ];
    const { client } = setup(() =>
      jsonResponse(409, {
        error: {
          name: 'ConflictError',
          message: 'The initiative cannot advance',
        },
        blockers,
        state: { version: 7 },
      }),
    );
    const error = await client
      .transitionInitiative('component:default/x', {
        to: 'integration',
        expectedVersion: 7,
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(PhaseConflictError);
    expect(error.message).toBe('The initiative cannot advance');
    expect(error.blockers).toEqual(blockers);
    expect(error.blocked).toBe(true);
    expect(error.stale).toBe(false);
    expect(error.state).toEqual({ version: 7 });
  });

  it('rejects a stale write with the current version and state', async () => {
    const { client } = setup(() =>
      jsonResponse(409, {
        error: { name: 'ConflictError', message: 'Version 3 is not current' },
        currentVersion: 5,
        state: { version: 5 },
      }),
    );
    const error = await client
      .setPhaseCriterion('component:default/x', 'a', {
        state: 'done',
        expectedVersion: 3,
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(PhaseConflictError);
    expect(error.stale).toBe(true);
    expect(error.currentVersion).toBe(5);
    expect(error.state).toEqual({ version: 5 });
  });

  it('finds the conflict details on the serialised error too', async () => {
    const { client } = setup(() =>
      jsonResponse(409, {
        error: {
          name: 'ConflictError',
          message: 'Stale',
          currentVersion: 9,
        },
        response: { statusCode: 409 },
      }),
    );
    const error = await client
      .startInitiative('component:default/x')
      .catch(e => e);
    expect(error).toBeInstanceOf(PhaseConflictError);
    expect(error.currentVersion).toBe(9);
    expect(error.state).toBeUndefined();
  });

  it('ignores a state without a version and keeps other errors ResponseErrors', async () => {
    let status = 409;
    const { client } = setup(() =>
      jsonResponse(status, {
        error: { name: 'ConflictError', message: 'Already started' },
        state: 'nonsense',
        response: { statusCode: status },
      }),
    );
    const conflict = await client
      .startInitiative('component:default/x')
      .catch(e => e);
    expect(conflict).toBeInstanceOf(PhaseConflictError);
    expect(conflict.state).toBeUndefined();
    expect(conflict.blocked || conflict.stale).toBe(false);

    status = 403;
    const forbidden = await client
      .startInitiative('component:default/x')
      .catch(e => e);
    expect(forbidden).toBeInstanceOf(ResponseError);
    expect(forbidden.statusCode).toBe(403);
  });

  it('falls back to a ResponseError for a 409 that is not JSON', async () => {
    const { client } = setup(
      () => new Response('conflict', { status: 409, statusText: 'Conflict' }),
    );
    const error = await client
      .startInitiative('component:default/x')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
  });

  it('rejects a string that is not an entity ref without asking the backend', async () => {
    const { client, fetch } = setup();
    await expect(client.getInitiative('nope')).rejects.toThrow(/kind/);
    expect(fetch).not.toHaveBeenCalled();
  });
});
