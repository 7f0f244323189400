import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { CooldownPolicy } from '@aisbf/routing';
import type { RouteStateEnv } from '../config/route-state-env';
import { FallbackRouteStateStore } from './fallback-route-state-store';
import { MemoryRouteStateStore } from './memory-route-state-store';
import { RedisRouteStateStore } from './redis-route-state-store';
import { RouteStateStore } from './route-state-store';
import { mirrorCircuits } from './circuit-change-notices';
import type { BusClient, BusServer } from '@aisbf/bus';

/** Longest wait at start-up for Redis; after it the resolver starts on local state and switches when Redis answers. */
const CONNECT_WAIT_MS = 3_000;

export function cooldownPolicyFrom(env: RouteStateEnv): CooldownPolicy {
  return { defaultCooldownSeconds: env.AISBF_DEFAULT_ERROR_COOLDOWN_SECONDS, maxCooldownSeconds: env.AISBF_MAX_COOLDOWN_SECONDS };
}

/**
 * Redis (with the in-process fallback) when REDIS_URL is set, memory otherwise. With Redis, each
 * replica plans from its own copy of the breaker states, kept in step by notices on `bus`.
 */
export async function createRouteStateStore(
  env: RouteStateEnv,
  policy: CooldownPolicy,
  bus: { client: BusClient; server: BusServer },
): Promise<RouteStateStore> {
  const logger = new Logger('route-state');
  const local = new MemoryRouteStateStore(policy);
  if (!env.REDIS_URL) return local;
  const redis = new Redis(env.REDIS_URL, {
    lazyConnect: true,
    connectionName: 'aisbf-route-resolver',
    // Fail fast while disconnected: the caller falls back to local state instead of waiting.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: env.AISBF_REDIS_TIMEOUT_MS,
    connectTimeout: CONNECT_WAIT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // Commands issued in one event-loop turn (the outcomes and plans of concurrent requests) share one write.
    enableAutoPipelining: true,
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // ioredis reports every failed reconnect; one line per distinct problem is enough.
    if (error.message !== lastError) logger.warn(`redis: ${error.message}`);
    lastError = error.message;
  });
  const shared = mirrorCircuits(new RedisRouteStateStore(redis, env.AISBF_REDIS_PREFIX, policy, env.AISBF_STATS_FLUSH_MS), bus);
  const store = new FallbackRouteStateStore(shared, local);
  redis.on('ready', () => {
    lastError = '';
    void store.recovered();
  });
  await Promise.race([redis.connect().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, CONNECT_WAIT_MS).unref())]);
  if (redis.status !== 'ready') logger.warn('redis is not reachable yet: starting with local cooldown state');
  return store;
}
