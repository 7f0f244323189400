import Redis from 'ioredis';

export interface FailFastRedisOptions {
  url: string;
  /** Prepended to every key, so installations (and test runs) can share one Redis. */
  keyPrefix: string;
  /** Longest wait for one command; a slow Redis must not slow the hot path down. */
  commandTimeoutMs?: number;
}

/**
 * A Redis client whose commands fail fast while Redis is away (no offline queue), so callers fall
 * back to their in-process state instead of waiting. It keeps reconnecting quietly.
 */
export function createFailFastRedis(options: FailFastRedisOptions, defaultTimeoutMs: number): Redis {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? defaultTimeoutMs,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Errors surface on the commands.
  redis.on('error', () => undefined);
  return redis;
}

/** Connects once at start-up; a Redis that is down then is reported, not fatal. */
export async function connectOrReport(redis: Redis): Promise<boolean> {
  try {
    await redis.connect();
    return true;
  } catch {
    return false;
  }
}
