import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { connectOrReport, createFailFastRedis, type FailFastRedisOptions } from './fail-fast-redis';
import { MemoryConcurrencyLimiter, type ConcurrencyLease, type ConcurrencyLimiter } from './concurrency-limiter';

// Leases are members of a sorted set scored by their expiry (server clock); expired ones are
// dropped before counting, so a crashed replica's slots come back after one time to live.
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
`;

const RENEW_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + ttl, ARGV[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

export interface RedisConcurrencyLimiterOptions extends FailFastRedisOptions {
  /** How long a lease outlives its last renewal (default 30 s); renewed every third of it. */
  leaseTtlMs?: number;
}

/**
 * Concurrency shared by every edge replica. While Redis is away each replica counts its own
 * leases instead of refusing or failing requests.
 */
export class RedisConcurrencyLimiter implements ConcurrencyLimiter {
  readonly name = 'redis';
  private readonly redis: Redis;
  private readonly local = new MemoryConcurrencyLimiter();
  private readonly ttlMs: number;

  constructor(options: RedisConcurrencyLimiterOptions) {
    this.redis = createFailFastRedis(options, 300);
    this.ttlMs = options.leaseTtlMs ?? 30_000;
  }

  connect(): Promise<boolean> {
    return connectOrReport(this.redis);
  }

  async acquire(key: string, limit: number): Promise<ConcurrencyLease | null> {
    if (this.redis.status === 'ready') {
      const id = randomUUID();
      const redisKey = `cc:${key}`;
      let granted: number | null = null;
      try {
        granted = Number(await this.redis.eval(ACQUIRE_SCRIPT, 1, redisKey, id, limit, this.ttlMs));
      } catch {
        // Fall through to local counting.
      }
      if (granted === 0) return null;
      if (granted === 1) return this.lease(redisKey, id);
    }
    return this.local.acquire(key, limit);
  }

  private lease(redisKey: string, id: string): ConcurrencyLease {
    const renewal = setInterval(() => {
      this.redis.eval(RENEW_SCRIPT, 1, redisKey, id, this.ttlMs).catch(() => undefined);
    }, Math.max(100, Math.floor(this.ttlMs / 3)));
    renewal.unref();
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        // If Redis is away now the lease simply expires.
        await this.redis.zrem(redisKey, id).catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
