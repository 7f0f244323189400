import { randomUUID } from 'node:crypto';
import { MemoryRateLimiter } from './rate-limiter';
import { RedisRateLimiter } from './redis-rate-limiter';

const rate = { limit: 3, periodMs: 60_000 };

describe('memory GCRA limiter', () => {
  it('allows a burst up to the limit, then refuses with a retry delay', async () => {
    const l = new MemoryRateLimiter();
    const now = 1_000_000;
    for (let i = 0; i < 3; i++) expect((await l.take('k', rate, 1, now)).allowed).toBe(true);
    const refused = await l.take('k', rate, 1, now);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBe(20_000);
    expect((await l.take('k', rate, 1, now + 20_000)).allowed).toBe(true);
    expect((await l.take('other', rate, 1, now)).allowed).toBe(true);
    // A check spends nothing: two checks, then the one unit left is still there to take.
    expect((await l.check('k', rate, 1, now + 40_000)).allowed).toBe(true);
    expect((await l.check('k', rate, 1, now + 40_000)).allowed).toBe(true);
    expect((await l.take('k', rate, 1, now + 40_000)).allowed).toBe(true);
    expect((await l.check('k', rate, 1, now + 40_000)).allowed).toBe(false);
  });

  it('charges costs larger than one (token budgets)', async () => {
    const l = new MemoryRateLimiter();
    const tokens = { limit: 1000, periodMs: 60_000 };
    expect((await l.take('t', tokens, 900, 0)).allowed).toBe(true);
    expect((await l.take('t', tokens, 200, 0)).allowed).toBe(false);
    expect((await l.take('t', tokens, 100, 0)).allowed).toBe(true);
  });

  it('debits usage beyond the budget and refuses until the debt is paid off', async () => {
    const l = new MemoryRateLimiter();
    const tokens = { limit: 1000, periodMs: 60_000 };
    await l.debit('t', tokens, 1500, 0);
    const refused = await l.check('t', tokens, 1, 0);
    expect(refused.allowed).toBe(false);
    // 1,501 tokens' worth of time minus the one-minute burst: 30.06 s.
    expect(refused.retryAfterMs).toBe(30_060);
    expect((await l.check('t', tokens, 1, 30_060)).allowed).toBe(true);
  });
});

describe('keys in use (memory)', () => {
  it('lists the keys of a prefix whose budget is not full, up to a limit', async () => {
    const l = new MemoryRateLimiter();
    await l.take('authfail:10.0.0.1', rate, 1, 0);
    await l.take('authfail:10.0.0.2', rate, 1, 0);
    await l.take('user:alice', rate, 1, 0);
    expect(await l.keysInUse('authfail:', 10, 0)).toEqual(['authfail:10.0.0.1', 'authfail:10.0.0.2']);
    expect(await l.keysInUse('authfail:', 1, 0)).toBeNull();
    expect(await l.keysInUse('authfail:', 10, 60_000)).toEqual([]);
  });
});

describe('Redis GCRA limiter (real Redis)', () => {
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const prefix = `aisbf-t-${randomUUID()}:`;

  it('shares one budget between two replicas', async () => {
    const a = new RedisRateLimiter({ url, keyPrefix: prefix });
    const b = new RedisRateLimiter({ url, keyPrefix: prefix });
    try {
      expect(await a.connect()).toBe(true);
      expect(await b.connect()).toBe(true);
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await (i % 2 ? b : a).take('user:alice', rate));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
      expect(results[3]?.retryAfterMs).toBeGreaterThan(0);
      expect((await a.check('user:carol', rate)).allowed).toBe(true);
      for (let i = 0; i < 3; i++) await b.take('user:carol', rate);
      expect((await a.check('user:carol', rate)).allowed).toBe(false);
      // Usage debited on one replica holds back the other.
      const tokens = { limit: 1000, periodMs: 60_000 };
      expect((await b.check('tpm:dave', tokens)).allowed).toBe(true);
      await a.debit('tpm:dave', tokens, 1200);
      const owed = await b.check('tpm:dave', tokens);
      expect(owed.allowed).toBe(false);
      expect(owed.retryAfterMs).toBeGreaterThan(10_000);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('lists the keys of a prefix whose budget is not full, across replicas, and none once it is full again', async () => {
    const a = new RedisRateLimiter({ url, keyPrefix: prefix });
    const b = new RedisRateLimiter({ url, keyPrefix: prefix });
    try {
      await Promise.all([a.connect(), b.connect()]);
      const short = { limit: 10, periodMs: 1_000 };
      await a.take('authfail:10.0.0.1', short);
      await b.take('authfail:10.0.0.2', short);
      await b.take('user:erin', short);
      expect((await a.keysInUse('authfail:', 100))?.sort()).toEqual(['authfail:10.0.0.1', 'authfail:10.0.0.2']);
      expect(await a.keysInUse('authfail:', 1)).toBeNull();
      // One unit of a 10-per-second budget is given back after 100 ms, and the key goes with it.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await a.keysInUse('authfail:', 100)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('limits locally instead of failing when Redis cannot be reached', async () => {
    const down = new RedisRateLimiter({ url: 'redis://127.0.0.1:1', keyPrefix: prefix });
    expect(await down.connect()).toBe(false);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await down.take('user:bob', rate));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(await down.keysInUse('user:', 100)).toBeNull();
    await down.close();
  });
});
