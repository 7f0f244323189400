import { Logger } from '@nestjs/common';
import { CooldownPolicy, nextCircuitState } from '@aisbf/routing';
import { FallbackRouteStateStore } from './fallback-route-state-store';
import { MemoryRouteStateStore } from './memory-route-state-store';
import { RedisRouteStateStore } from './redis-route-state-store';

const policy: CooldownPolicy = { defaultCooldownSeconds: 60, maxCooldownSeconds: 600 };
const ref = { username: 'alice', providerId: 'p', model: 'm' };
const failure = { ok: false, retryable: true, status: 500, code: 'upstream_error', errorCooldownSeconds: 30 };

/**
 * The shared store's role played by a memory store that can be switched off: the fallback's
 * rules (when to use local state, what to hand over) without a Redis outage. The real outage,
 * with Redis behind a cut TCP proxy, is covered by test/e2e/rotation-redis-outage.
 */
class SwitchableStore extends MemoryRouteStateStore {
  up = true;
  isReady(): boolean {
    return this.up;
  }
  override describe(): string {
    return 'redis';
  }
}

function stores() {
  const shared = new SwitchableStore(policy);
  const local = new MemoryRouteStateStore(policy);
  const store = new FallbackRouteStateStore(shared as unknown as RedisRouteStateStore, local);
  return { shared, local, store };
}

describe('fallback route state store', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('uses the shared store while it works', async () => {
    const { shared, local, store } = stores();
    await store.updateCircuit(ref, (previous) => nextCircuitState(previous, failure, Date.now(), policy));
    expect((await shared.readCircuits('alice', [ref])).size).toBe(1);
    expect((await local.readCircuits('alice', [ref])).size).toBe(0);
    expect(store.describe()).toBe('redis');
  });

  it('keeps cooldowns and counters locally while the shared store is down, never failing', async () => {
    const { shared, local, store } = stores();
    shared.up = false;
    expect(store.describe()).toBe('memory (redis unavailable)');
    await store.updateCircuit(ref, (previous) => nextCircuitState(previous, failure, Date.now(), policy));
    expect((await store.readCircuits('alice', [ref])).size).toBe(1);
    expect((await local.readCircuits('alice', [ref])).size).toBe(1);
    expect(await store.nextSequence('alice', 'r')).toBe(1);
    expect(await store.claimProbe(ref, 1_000)).toBe(true);
  });

  it('falls back when a shared command fails, not only when disconnected', async () => {
    const { shared, store } = stores();
    shared.nextSequence = () => Promise.reject(new Error('Command timed out'));
    expect(await store.nextSequence('alice', 'r')).toBe(1);
    expect(await store.nextSequence('alice', 'r')).toBe(2);
  });

  it('hands the circuits opened during the outage over when the shared store is back', async () => {
    const { shared, local, store } = stores();
    const now = Date.now();
    await shared.updateCircuit(ref, () => ({ state: { openUntil: now + 5_000, openedAt: now, level: 3, status: 429, code: 'r' }, changed: true }));
    shared.up = false;
    await store.updateCircuit({ ...ref, providerId: 'q' }, (previous) => nextCircuitState(previous, failure, now, policy));
    await store.updateCircuit(ref, () => ({ state: { openUntil: now + 20_000, openedAt: now, level: 1, status: 500, code: 'e' }, changed: true }));
    shared.up = true;
    await store.recovered();
    const handed = await shared.readCircuits('alice', [ref, { providerId: 'q', model: 'm' }]);
    expect([...handed.values()].map((s) => [s.openUntil - now, s.level])).toEqual([
      [20_000, 3],
      [30_000, 1],
    ]);
    expect(local.openCircuits()).toEqual([]);
  });
});
