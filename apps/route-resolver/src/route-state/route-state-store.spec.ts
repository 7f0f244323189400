import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { CircuitState, CooldownPolicy, nextCircuitState } from '@aisbf/routing';
import { MemoryRouteStateStore } from './memory-route-state-store';
import { RedisRouteStateStore } from './redis-route-state-store';
import { RouteStateStore } from './route-state-store';

const policy: CooldownPolicy = { defaultCooldownSeconds: 60, maxCooldownSeconds: 600 };
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ref = { username: 'alice', providerId: 'openai-prod', model: 'gpt-4.1-mini:latest/x' };
const failure = { ok: false, retryable: true, status: 502, code: 'upstream_error', errorCooldownSeconds: 30 };

interface Harness {
  store: RouteStateStore;
  cleanup(): Promise<void>;
}

async function connectedRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, enableAutoPipelining: true });
  await redis.connect();
  return redis;
}

async function dropKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}

const newPrefix = () => `aisbf-t-${randomBytes(6).toString('hex')}:`;

async function redisHarness(statsFlushMs: number): Promise<Harness> {
  const prefix = newPrefix();
  const redis = await connectedRedis();
  const admin = new Redis(REDIS_URL);
  return {
    store: new RedisRouteStateStore(redis, prefix, policy, statsFlushMs),
    cleanup: async () => {
      await dropKeys(admin, prefix);
      admin.disconnect();
      redis.disconnect();
    },
  };
}

const harnesses: Array<[string, () => Promise<Harness>]> = [
  ['memory', async () => ({ store: new MemoryRouteStateStore(policy), cleanup: async () => undefined })],
  ['redis', () => redisHarness(0)],
  // Statistics summed over 50 ms before one write: the store must read the same.
  ['redis, batched statistics', () => redisHarness(50)],
];

describe.each(harnesses)('route state store (%s)', (_name, create) => {
  let harness: Harness;
  let store: RouteStateStore;
  beforeEach(async () => {
    harness = await create();
    store = harness.store;
  });
  afterEach(() => harness.cleanup());

  it('stores a breaker transition and reads it back by candidate', async () => {
    const now = Date.now();
    const opened = await store.updateCircuit(ref, (previous) => nextCircuitState(previous, failure, now, policy));
    expect(opened).toMatchObject({ openUntil: now + 30_000, level: 1 });
    const states = await store.readCircuits('alice', [ref, { providerId: 'other', model: 'm' }]);
    expect([...states.values()]).toEqual([opened]);
    expect(await store.readCircuits('bob', [ref])).toEqual(new Map());
    // A probe's success closes it.
    await store.updateCircuit(ref, (previous) => nextCircuitState(previous, { ok: true, retryable: false, status: 200, code: null }, now + 30_000, policy));
    expect((await store.readCircuits('alice', [ref])).size).toBe(0);
  });

  it('applies concurrent transitions one after the other, never over each other', async () => {
    const now = Date.now();
    const seed: CircuitState = { openUntil: now - 1, openedAt: now - 10_000, level: 1, status: 500, code: 'x' };
    await store.updateCircuit(ref, () => ({ state: seed, changed: true }));
    // Twenty replicas each raise the level by one at the same moment.
    await Promise.all(
      Array.from({ length: 20 }, () => store.updateCircuit(ref, (previous) => ({ state: { ...previous!, level: previous!.level + 1 }, changed: true }))),
    );
    expect((await store.readCircuits('alice', [ref])).values().next().value?.level).toBe(21);
  });

  it('lets one request at a time hold the half-open probe, and frees it with the next transition', async () => {
    expect(await store.probeHeld(ref)).toBe(false);
    const claims = await Promise.all([store.claimProbe(ref, 5_000), store.claimProbe(ref, 5_000), store.claimProbe(ref, 5_000)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.probeHeld(ref)).toBe(true);
    await store.updateCircuit(ref, (previous) => nextCircuitState(previous, failure, Date.now(), policy));
    expect(await store.probeHeld(ref)).toBe(false);
    expect(await store.claimProbe(ref, 30)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await store.probeHeld(ref)).toBe(false);
  });

  it('counts requests per rotation; peeking says what the next count will be without taking it', async () => {
    expect(await store.peekSequence('alice', 'coding-production')).toBe(1);
    expect(await store.nextSequence('alice', 'coding-production')).toBe(1);
    const taken = await Promise.all(Array.from({ length: 10 }, () => store.nextSequence('alice', 'coding-production')));
    expect(new Set(taken).size).toBe(10);
    expect(await store.peekSequence('alice', 'coding-production')).toBe(12);
    expect(await store.peekSequence('alice', 'coding-production')).toBe(12);
    expect(await store.nextSequence('alice', 'other')).toBe(1);
  });

  it('keeps per-candidate statistics over the window', async () => {
    const now = Date.now();
    await store.recordOutcome(ref, { ok: true, retryable: false, status: 200, code: null, latencyMs: 120.5, ttftMs: 30 }, now);
    await store.recordOutcome(ref, { ok: true, retryable: false, status: 200, code: null, latencyMs: 79.5, ttftMs: null }, now);
    await store.recordOutcome(ref, { ok: false, retryable: true, status: 429, code: 'rate_limit_exceeded', latencyMs: 3, ttftMs: null }, now + 1);
    const stats = (await store.readStats('alice', [ref], now + 2)).values().next().value!;
    expect(stats).toMatchObject({
      requests: 3,
      successes: 2,
      failures: 1,
      successRate: 0.6667,
      avgLatencyMs: 100,
      avgTtftMs: 30,
      lastSuccessAt: now,
      lastFailure: { at: now + 1, status: 429, code: 'rate_limit_exceeded' },
    });
    const later = (await store.readStats('alice', [ref], now + 16 * 60_000)).values().next().value!;
    expect(later).toMatchObject({ requests: 0, successRate: null, lastSuccessAt: now });
  });
});

describe('redis route state store, batched statistics', () => {
  it('writes the outcomes of one batch as one increment that every replica reads', async () => {
    const prefix = newPrefix();
    const redis = await connectedRedis();
    const other = await connectedRedis();
    const writer = new RedisRouteStateStore(redis, prefix, policy, 60_000);
    const reader = new RedisRouteStateStore(other, prefix, policy, 0);
    try {
      const now = Date.now();
      const pipeline = jest.spyOn(redis, 'pipeline');
      const recorded = Promise.all(
        Array.from({ length: 50 }, (_, i) => writer.recordOutcome(ref, { ok: true, retryable: false, status: 200, code: null, latencyMs: i, ttftMs: null }, now)),
      );
      // Nothing written yet: another replica sees no requests until the batch goes out.
      expect((await reader.readStats('alice', [ref], now)).get(`${ref.providerId}/${ref.model}`)?.requests ?? 0).toBe(0);
      // The replica that heard them reads its own outcomes (it writes them first).
      expect((await writer.readStats('alice', [ref], now)).values().next().value).toMatchObject({ requests: 50, successes: 50, avgLatencyMs: 24.5 });
      await recorded;
      expect(pipeline).toHaveBeenCalledTimes(2); // one write for all 50, one read
      expect((await reader.readStats('alice', [ref], now)).values().next().value).toMatchObject({ requests: 50, lastSuccessAt: now });
    } finally {
      await dropKeys(other, prefix);
      redis.disconnect();
      other.disconnect();
    }
  });

  it('fails every caller of a batch whose write fails, so each can fall back', async () => {
    const redis = await connectedRedis();
    const store = new RedisRouteStateStore(redis, newPrefix(), policy, 20);
    const sample = { ok: true, retryable: false, status: 200, code: null, latencyMs: 1, ttftMs: null };
    const outcomes = [store.recordOutcome(ref, sample, Date.now()), store.recordOutcome(ref, sample, Date.now())];
    redis.disconnect();
    for (const outcome of outcomes) await expect(outcome).rejects.toThrow();
  });
});
