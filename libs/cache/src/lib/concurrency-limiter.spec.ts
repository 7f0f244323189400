import { randomUUID } from 'node:crypto';
import { MemoryConcurrencyLimiter } from './concurrency-limiter';
import { RedisConcurrencyLimiter } from './redis-concurrency-limiter';

describe('memory concurrency limiter', () => {
  it('grants up to the limit, then refuses until a lease is released', async () => {
    const l = new MemoryConcurrencyLimiter();
    const first = await l.acquire('u', 2);
    const second = await l.acquire('u', 2);
    expect(first && second).toBeTruthy();
    expect(await l.acquire('u', 2)).toBeNull();
    expect(await l.acquire('other', 2)).not.toBeNull();
    await first!.release();
    await first!.release();
    expect(l.count('u')).toBe(1);
    expect(await l.acquire('u', 2)).not.toBeNull();
  });
});

describe('Redis concurrency limiter (real Redis)', () => {
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const prefix = `aisbf-t-${randomUUID()}:`;

  it('shares the slots between two replicas and gives them back on release', async () => {
    const a = new RedisConcurrencyLimiter({ url, keyPrefix: prefix });
    const b = new RedisConcurrencyLimiter({ url, keyPrefix: prefix });
    try {
      expect(await a.connect()).toBe(true);
      expect(await b.connect()).toBe(true);
      const held = [await a.acquire('streams:alice', 2), await b.acquire('streams:alice', 2)];
      expect(held.every(Boolean)).toBe(true);
      expect(await a.acquire('streams:alice', 2)).toBeNull();
      expect(await b.acquire('streams:alice', 2)).toBeNull();
      await held[0]!.release();
      const again = await b.acquire('streams:alice', 2);
      expect(again).not.toBeNull();
      await Promise.all([held[1]!.release(), again!.release()]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('lets a lease expire when its holder stops renewing it, and renews held leases', async () => {
    const holder = new RedisConcurrencyLimiter({ url, keyPrefix: prefix, leaseTtlMs: 600 });
    const other = new RedisConcurrencyLimiter({ url, keyPrefix: prefix, leaseTtlMs: 600 });
    try {
      await holder.connect();
      await other.connect();
      const lease = await holder.acquire('streams:bob', 1);
      expect(lease).not.toBeNull();
      // Renewed every 200 ms: still held well past one time to live.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await other.acquire('streams:bob', 1)).toBeNull();
      // The holder goes away without releasing (a crashed replica): the slot returns.
      await holder.close();
      await new Promise((r) => setTimeout(r, 1_000));
      const taken = await other.acquire('streams:bob', 1);
      expect(taken).not.toBeNull();
      await taken!.release();
    } finally {
      await other.close();
    }
  });

  it('counts leases locally instead of failing when Redis cannot be reached', async () => {
    const down = new RedisConcurrencyLimiter({ url: 'redis://127.0.0.1:1', keyPrefix: prefix });
    expect(await down.connect()).toBe(false);
    const lease = await down.acquire('streams:carol', 1);
    expect(lease).not.toBeNull();
    expect(await down.acquire('streams:carol', 1)).toBeNull();
    await lease!.release();
    expect(await down.acquire('streams:carol', 1)).not.toBeNull();
    await down.close();
  });
});
