import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';
import { configSourceEnvSchema } from '@aisbf/persistence';
import { secretEnvSchema } from '@aisbf/secrets';

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Autoselect's knobs; shared by the distributed resolver and the embedded mode. */
export const autoselectEnvSchema = z.object({
  /** Redis for state shared by resolver replicas (autoselect decisions); memory when unset. */
  REDIS_URL: z.string().url().optional(),
  /** Prefix of every Redis key, to share one Redis between installations. */
  AISBF_REDIS_PREFIX: z.string().max(100).default('aisbf:'),
  AISBF_AUTOSELECT_CACHE_TTL_SECONDS: int(1800),
  AISBF_AUTOSELECT_SELECTOR_TIMEOUT_MS: int(2500),
  AISBF_CLASSIFY_TIMEOUT_MS: int(1500),
});
export type AutoselectEnv = z.infer<typeof autoselectEnvSchema>;

export const resolverEnvSchema = busEnvSchema
  .merge(configSourceEnvSchema)
  .merge(secretEnvSchema)
  .merge(autoselectEnvSchema)
  .extend({ LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') });
export type ResolverEnv = z.infer<typeof resolverEnvSchema>;
