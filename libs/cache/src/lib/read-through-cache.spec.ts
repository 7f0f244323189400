import { MemorySharedCache } from './memory-shared-cache';
import { ReadThroughCache } from './read-through-cache';
import type { SharedCache } from './shared-cache';

function cache(shared: SharedCache, freshMs = 60_000, options: { absentMax?: number; now?: () => number } = {}) {
  return new ReadThroughCache<{ n: number } | null>({
    namespace: 't:',
    shared,
    max: 100,
    freshMs,
    absent: { is: (v) => v === null, max: options.absentMax ?? 50, freshMs: 5_000 },
    sharedTtlSeconds: () => 60,
    staleMs: 3_600_000,
    encode: (v) => JSON.stringify(v),
    decode: (t) => JSON.parse(t),
    now: options.now,
  });
}

const dbDown = async (): Promise<{ n: number } | null> => {
  throw new Error('db down');
};

class BrokenCache extends MemorySharedCache {
  override async get(): Promise<string | null> {
    throw new Error('redis down');
  }
  override async set(): Promise<void> {
    throw new Error('redis down');
  }
}

describe('read-through cache', () => {
  it('loads once for concurrent callers, then serves from process memory', async () => {
    const load = jest.fn(async () => ({ n: 1 }));
    const c = cache(new MemorySharedCache());
    const values = await Promise.all([c.get('a', load), c.get('a', load), c.get('a', load)]);
    expect(values).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
    await c.get('a', load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('fills a second replica from the shared cache without touching the source', async () => {
    const shared = new MemorySharedCache();
    await cache(shared).get('a', async () => ({ n: 7 }));
    const load = jest.fn(async () => ({ n: 8 }));
    expect(await cache(shared).get('a', load)).toEqual({ n: 7 });
    expect(load).not.toHaveBeenCalled();
  });

  it('reloads after an invalidation, here and in the shared cache', async () => {
    const shared = new MemorySharedCache();
    const c = cache(shared);
    await c.get('a', async () => ({ n: 1 }));
    await c.dropShared(['a']);
    expect(await c.get('a', async () => ({ n: 2 }))).toEqual({ n: 2 });
    const other = cache(shared);
    other.dropLocal('all');
    expect(await other.get('a', async () => ({ n: 3 }))).toEqual({ n: 2 });
  });

  it('serves a stale entry when the shared cache and the source both fail, but not after an invalidation', async () => {
    const c = cache(new BrokenCache(), 0);
    await c.get('a', async () => ({ n: 1 }));
    expect(await c.get('a', dbDown)).toEqual({ n: 1 });
    c.dropLocal(['a']);
    await expect(c.get('a', dbDown)).rejects.toThrow('db down');
  });

  it('works without a shared cache answering (Redis down): straight to the source', async () => {
    const c = cache(new BrokenCache());
    expect(await c.get('a', async () => null)).toBeNull();
    expect(await c.get('a', async () => ({ n: 2 }))).toBeNull();
  });

  it('holds a bounded number of answers for unknown keys, and they never push found entries out', async () => {
    const shared = new MemorySharedCache({ maxEntries: 500 });
    const c = cache(shared, 60_000, { absentMax: 100 });
    await c.get('known', async () => ({ n: 1 }));
    for (let i = 0; i < 5_000; i++) expect(await c.get(`random-${i}`, async () => null)).toBeNull();
    expect(c.size()).toEqual({ found: 1, absent: 100, loading: 0 });
    expect(shared.size()).toBeLessThanOrEqual(500);
    const load = jest.fn(async () => ({ n: 2 }));
    expect(await c.get('known', load)).toEqual({ n: 1 });
    expect(load).not.toHaveBeenCalled();
  });

  it('asks again about an unknown key after a short while, and never serves that answer stale', async () => {
    let now = 1_000_000;
    const c = cache(new BrokenCache(), 60_000, { now: () => now });
    const load = jest.fn(async (): Promise<{ n: number } | null> => null);
    await c.get('k', load);
    await c.get('k', load);
    expect(load).toHaveBeenCalledTimes(1);
    now += 5_001;
    await expect(c.get('k', dbDown)).rejects.toThrow('db down');
  });

  it('does not serve a stale copy of an entry the source has since reported gone', async () => {
    let now = 1_000_000;
    const c = cache(new BrokenCache(), 1_000, { now: () => now });
    await c.get('k', async () => ({ n: 1 }));
    now += 1_001;
    expect(await c.get('k', async () => null)).toBeNull();
    now += 5_001;
    await expect(c.get('k', dbDown)).rejects.toThrow('db down');
  });

  it('keeps no load in progress once it settled, failed ones included', async () => {
    const c = cache(new BrokenCache());
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        c.get(`k${i}`, dbDown).catch(() => undefined),
      ),
    );
    expect(c.size().loading).toBe(0);
  });
});
