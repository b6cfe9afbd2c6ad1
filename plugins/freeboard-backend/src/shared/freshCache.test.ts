import { FreshCache } from './freshCache';

describe('FreshCache', () => {
  function setup() {
    let now = 0;
    let version = 0;
    let release: (() => void) | undefined;
    let block = false;
    const load = jest.fn(async () => {
      version += 1;
      const mine = version;
      if (block) await new Promise<void>(r => (release = r));
      return mine;
    });
    const cache = new FreshCache(load, {
      maxAgeMs: 5_000,
      hardMaxAgeMs: 60_000,
      now: () => now,
    });
    return {
      cache,
      load,
      at: (ms: number) => (now = ms),
      blockLoads: () => (block = true),
      release: () => release?.(),
    };
  }

  it('loads once while the value is fresh', async () => {
    const { cache, load, at } = setup();
    expect(await cache.get()).toBe(1);
    at(4_999);
    expect(await cache.get()).toBe(1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('answers a stale value while one reload runs, then the new one', async () => {
    const { cache, load, at, blockLoads, release } = setup();
    await cache.get();
    at(6_000);
    blockLoads();
    expect(await cache.get()).toBe(1);
    expect(await cache.get()).toBe(1);
    expect(load).toHaveBeenCalledTimes(2);
    release();
    await new Promise(r => setImmediate(r));
    expect(await cache.get()).toBe(2);
  });

  it('waits for a fresh value once the old one is too old', async () => {
    const { cache, at } = setup();
    await cache.get();
    at(60_000);
    expect(await cache.get()).toBe(2);
  });

  it('retries after a failed reload and never caches the failure', async () => {
    let fail = true;
    const load = jest.fn(async () => {
      if (fail) throw new Error('database away');
      return 'ok';
    });
    const cache = new FreshCache(load, {
      maxAgeMs: 5_000,
      hardMaxAgeMs: 60_000,
    });
    await expect(cache.get()).rejects.toThrow('database away');
    fail = false;
    await expect(cache.get()).resolves.toBe('ok');
  });
});
