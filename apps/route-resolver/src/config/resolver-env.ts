import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';
import { configSourceEnvSchema } from '@aisbf/persistence';
import { secretEnvSchema } from '@aisbf/secrets';
import { DEFAULT_METRICS_PORTS, opsEnvSchema } from '@aisbf/telemetry';

export const resolverEnvSchema = busEnvSchema
  .merge(configSourceEnvSchema)
  .merge(secretEnvSchema)
  .merge(opsEnvSchema(DEFAULT_METRICS_PORTS['route-resolver']))
  .extend({ LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') });
export type ResolverEnv = z.infer<typeof resolverEnvSchema>;
