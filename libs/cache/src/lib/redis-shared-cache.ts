import Redis from 'ioredis';
import type { SharedCache } from './shared-cache';

export interface RedisSharedCacheOptions {
  url: string;
  /** Prepended to every key, so installations (and test runs) can share one Redis. */
  keyPrefix: string;
  /** Longest wait for one command; a slow Redis must not slow the hot path down. */
  commandTimeoutMs?: number;
}

/**
 * Redis as the cache all replicas share. Commands fail fast while Redis is away (no offline
 * queue), so callers fall back to their in-process copy or the database instead of waiting.
 */
export class RedisSharedCache implements SharedCache {
  readonly name = 'redis';
  private readonly redis: Redis;

  constructor(options: RedisSharedCacheOptions) {
    this.redis = new Redis(options.url, {
      keyPrefix: options.keyPrefix,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 500,
      lazyConnect: true,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    // Errors surface on the commands; the connection itself keeps reconnecting quietly.
    this.redis.on('error', () => undefined);
  }

  /** Connects once at start-up; a Redis that is down then is reported, not fatal. */
  async connect(): Promise<boolean> {
    try {
      await this.redis.connect();
      return true;
    } catch {
      return false;
    }
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
