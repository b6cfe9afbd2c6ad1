import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { FreeboardClient } from './FreeboardClient';

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
