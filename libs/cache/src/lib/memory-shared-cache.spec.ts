import { MemorySharedCache } from './memory-shared-cache';

describe('in-memory shared cache', () => {
  it('keeps at most maxEntries, dropping the least recently used first', async () => {
    const cache = new MemorySharedCache({ maxEntries: 1_000 });
    await cache.set('kept', 'v', 600);
    for (let i = 0; i < 20_000; i++) {
      await cache.set(`k${i}`, 'x'.repeat(64), 600);
      if (i % 100 === 0) await cache.get('kept');
    }
    expect(cache.size()).toBe(1_000);
    expect(await cache.get('kept')).toBe('v');
    expect(await cache.get('k0')).toBeNull();
    expect(await cache.get('k19999')).toBe('x'.repeat(64));
  });

  it('forgets an entry once its time to live has passed', async () => {
    let now = 1_000_000;
    const cache = new MemorySharedCache({ now: () => now });
    await cache.set('a', '1', 10);
    now += 9_999;
    expect(await cache.get('a')).toBe('1');
    now += 1;
    expect(await cache.get('a')).toBeNull();
    expect(cache.size()).toBe(0);
  });
});
