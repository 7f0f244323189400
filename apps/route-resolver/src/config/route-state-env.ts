import { z } from 'zod';

/** Where the resolver keeps cooldowns, rotation counters and statistics, and the cooldown limits. */
export const routeStateEnvSchema = z.object({
  /** Redis shared by every resolver replica; unset: this process's memory (one replica, or the embedded mode). */
  REDIS_URL: z
    .string()
    .optional()
    .transform((value) => (value ? value : undefined))
    .refine((value) => value === undefined || /^rediss?:\/\//.test(value), 'REDIS_URL must be a redis:// or rediss:// URL'),
  /** Prefix of every key AISBF writes, to share one Redis between installations. */
  AISBF_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{0,64}$/, 'AISBF_REDIS_PREFIX is up to 64 letters, digits and : _ . -')
    .default('aisbf:'),
  /** Longest wait for one Redis command before the resolver uses its local state instead. */
  AISBF_REDIS_TIMEOUT_MS: z.coerce.number().int().positive().max(10_000).default(500),
  /**
   * Outcome statistics (success rates, latencies) heard within this many ms are summed and written
   * to Redis together; 0 writes without waiting. Cooldowns are never delayed.
   */
  AISBF_STATS_FLUSH_MS: z.coerce.number().int().nonnegative().max(5_000).default(100),
  /** Cooldown of a candidate whose rotation sets no error_cooldown (and of direct provider routes). */
  AISBF_DEFAULT_ERROR_COOLDOWN_SECONDS: z.coerce.number().nonnegative().max(86_400).default(60),
  /** Longest cooldown, however often a candidate fails and whatever Retry-After says. */
  AISBF_MAX_COOLDOWN_SECONDS: z.coerce.number().positive().max(86_400).default(3_600),
});
export type RouteStateEnv = z.infer<typeof routeStateEnvSchema>;
