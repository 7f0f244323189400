import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';
import { cacheEnvSchema } from '@aisbf/cache';
import { configSourceEnvSchema, databaseEnvSchema } from '@aisbf/persistence';
import { secretEnvSchema } from '@aisbf/secrets';

export const cliEnvSchema = busEnvSchema
  .merge(configSourceEnvSchema)
  .merge(secretEnvSchema)
  .merge(databaseEnvSchema)
  .merge(cacheEnvSchema)
  .extend({
    /** Set: changes are announced on NATS so running replicas drop cached configuration at once. */
    AISBF_CLI_NOTIFY: z.enum(['true', 'false']).optional(),
  });
export type CliEnv = z.infer<typeof cliEnvSchema>;
