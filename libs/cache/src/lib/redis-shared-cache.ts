import type Redis from 'ioredis';
import { connectOrReport, createFailFastRedis, type FailFastRedisOptions } from './fail-fast-redis';
import type { SharedCache } from './shared-cache';

export type RedisSharedCacheOptions = FailFastRedisOptions;

/** Redis as the cache all replicas share; callers fall back to their own copy while it is away. */
export class RedisSharedCache implements SharedCache {
  readonly name = 'redis';
  private readonly redis: Redis;

  constructor(options: RedisSharedCacheOptions) {
    this.redis = createFailFastRedis(options, 500);
  }

  connect(): Promise<boolean> {
    return connectOrReport(this.redis);
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async del(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }

  isReady(): boolean {
    return this.redis.status === 'ready';
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
