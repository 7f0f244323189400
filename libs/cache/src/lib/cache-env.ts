import { z } from 'zod';

/** Redis for the caches every replica shares; without it each process keeps its own copy. */
export const cacheEnvSchema = z.object({
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// or rediss:// URL').optional(),
  /** Prefix of every key AISBF writes, so installations (and test runs) can share one Redis. */
  AISBF_REDIS_PREFIX: z.string().max(100).default('aisbf:'),
});
export type CacheEnv = z.infer<typeof cacheEnvSchema>;
