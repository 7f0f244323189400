import type Redis from 'ioredis';
import { connectOrReport, createFailFastRedis, type FailFastRedisOptions } from './fail-fast-redis';
import { MemoryRateLimiter, type Rate, type RateDecision, type RateLimiter } from './rate-limiter';

// GCRA in one round trip; the server clock is used so replicas with skewed clocks agree.
const GCRA_SCRIPT = `
local period = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local mode = ARGV[4]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = period / limit
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local newTat = tat + interval * cost
local allowAt = newTat - period
if mode == 'debit' then
  redis.call('SET', KEYS[1], tostring(newTat), 'PX', math.ceil(newTat - now) + 1)
  return {1, 0}
end
if allowAt > now then
  return {0, math.ceil(allowAt - now)}
end
if mode == 'take' then redis.call('SET', KEYS[1], tostring(newTat), 'PX', math.ceil(newTat - now) + 1) end
return {1, 0}
`;

export type RedisRateLimiterOptions = FailFastRedisOptions;

/**
 * Limits shared by every edge replica. While Redis is away each replica limits on its own
 * (in-process GCRA) instead of failing requests.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly name = 'redis';
  private readonly redis: Redis;
  private readonly local = new MemoryRateLimiter();

  constructor(options: RedisRateLimiterOptions) {
    this.redis = createFailFastRedis(options, 300);
  }

  connect(): Promise<boolean> {
    return connectOrReport(this.redis);
  }

  take(key: string, rate: Rate, cost = 1): Promise<RateDecision> {
    return this.run(key, rate, cost, 'take');
  }

  check(key: string, rate: Rate, cost = 1): Promise<RateDecision> {
    return this.run(key, rate, cost, 'check');
  }

  async debit(key: string, rate: Rate, cost: number): Promise<void> {
    await this.run(key, rate, cost, 'debit');
  }

  /** A key lives in Redis exactly while its budget is not full (it expires when it would be). */
  async keysInUse(prefix: string, max: number): Promise<string[] | null> {
    if (this.redis.status !== 'ready') return null;
    const stored = `${this.redis.options.keyPrefix ?? ''}rl:`;
    // SCAN may return a key twice.
    const keys = new Set<string>();
    let cursor = '0';
    try {
      do {
        const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${stored}${prefix}*`, 'COUNT', 1000);
        cursor = next;
        for (const key of batch) keys.add(key.slice(stored.length));
        if (keys.size > max) return null;
      } while (cursor !== '0');
    } catch {
      return null;
    }
    return [...keys];
  }

  private async run(key: string, rate: Rate, cost: number, mode: 'take' | 'check' | 'debit'): Promise<RateDecision> {
    if (this.redis.status === 'ready') {
      try {
        const [allowed, retryAfterMs] = (await this.redis.eval(
          GCRA_SCRIPT,
          1,
          `rl:${key}`,
          rate.periodMs,
          rate.limit,
          cost,
          mode,
        )) as [number, number];
        return { allowed: allowed === 1, retryAfterMs: Number(retryAfterMs) };
      } catch {
        // Fall through to local limiting.
      }
    }
    if (mode === 'debit') {
      await this.local.debit(key, rate, cost);
      return { allowed: true, retryAfterMs: 0 };
    }
    return mode === 'take' ? this.local.take(key, rate, cost) : this.local.check(key, rate, cost);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
