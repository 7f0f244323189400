import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';
import { cacheEnvSchema } from '@aisbf/cache';
import { configSourceEnvSchema, databaseEnvSchema } from '@aisbf/persistence';
import { secretEnvSchema } from '@aisbf/secrets';

export const resolverEnvSchema = busEnvSchema
  .merge(configSourceEnvSchema)
  .merge(secretEnvSchema)
  .merge(databaseEnvSchema)
  .merge(cacheEnvSchema)
  .extend({ LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') });
export type ResolverEnv = z.infer<typeof resolverEnvSchema>;
