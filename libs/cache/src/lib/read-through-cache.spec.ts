import { MemorySharedCache } from './memory-shared-cache';
import { ReadThroughCache } from './read-through-cache';
import type { SharedCache } from './shared-cache';

function cache(shared: SharedCache, freshMs = 60_000) {
  return new ReadThroughCache<{ n: number } | null>({
    namespace: 't:',
    shared,
    max: 100,
    freshMs: () => freshMs,
    sharedTtlSeconds: () => 60,
    staleMs: 3_600_000,
    encode: (v) => JSON.stringify(v),
    decode: (t) => JSON.parse(t),
  });
}

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
    const failing = async (): Promise<{ n: number }> => {
      throw new Error('db down');
    };
    expect(await c.get('a', failing)).toEqual({ n: 1 });
    c.dropLocal(['a']);
    await expect(c.get('a', failing)).rejects.toThrow('db down');
  });

  it('works without a shared cache answering (Redis down): straight to the source', async () => {
    const c = cache(new BrokenCache());
    expect(await c.get('a', async () => null)).toBeNull();
    expect(await c.get('a', async () => ({ n: 2 }))).toBeNull();
  });
});
