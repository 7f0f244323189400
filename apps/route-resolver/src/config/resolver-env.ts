import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';
import { cacheEnvSchema } from '@aisbf/cache';
import { configSourceEnvSchema, databaseEnvSchema } from '@aisbf/persistence';
import { secretEnvSchema } from '@aisbf/secrets';
import { DEFAULT_METRICS_PORTS, opsEnvSchema } from '@aisbf/telemetry';
import { routeStateEnvSchema } from './route-state-env';

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Autoselect's budgets and cache lifetime (its decisions use REDIS_URL and AISBF_REDIS_PREFIX like the rest). */
export const autoselectEnvSchema = z.object({
  AISBF_AUTOSELECT_CACHE_TTL_SECONDS: int(1800),
  AISBF_AUTOSELECT_SELECTOR_TIMEOUT_MS: int(2500),
  AISBF_CLASSIFY_TIMEOUT_MS: int(1500),
});
export type AutoselectEnv = z.infer<typeof autoselectEnvSchema>;

export const resolverEnvSchema = busEnvSchema
  .merge(configSourceEnvSchema)
  .merge(secretEnvSchema)
  .merge(opsEnvSchema(DEFAULT_METRICS_PORTS['route-resolver']))
  .merge(databaseEnvSchema)
  .merge(cacheEnvSchema)
  .merge(routeStateEnvSchema)
  .merge(autoselectEnvSchema)
  .extend({ LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') });
export type ResolverEnv = z.infer<typeof resolverEnvSchema>;
