import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';
import { configSourceEnvSchema } from '@aisbf/persistence';
import { secretEnvSchema } from '@aisbf/secrets';

export const resolverEnvSchema = busEnvSchema
  .merge(configSourceEnvSchema)
  .merge(secretEnvSchema)
  .extend({ LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') });
export type ResolverEnv = z.infer<typeof resolverEnvSchema>;
