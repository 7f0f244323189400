import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';
import { cacheEnvSchema } from '@aisbf/cache';
import { configSourceEnvSchema, databaseEnvSchema } from '@aisbf/persistence';
import { secretEnvSchema } from '@aisbf/secrets';
import { routeStateEnvSchema } from './route-state-env';

export const resolverEnvSchema = busEnvSchema
  .merge(configSourceEnvSchema)
  .merge(secretEnvSchema)
  .merge(databaseEnvSchema)
  .merge(cacheEnvSchema)
  .merge(routeStateEnvSchema)
  .extend({ LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') });
export type ResolverEnv = z.infer<typeof resolverEnvSchema>;
