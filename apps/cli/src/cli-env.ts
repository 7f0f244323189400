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

/**
 * `aisbf migrate` reads where the database is and nothing else: it runs before the services (a
 * Compose one-shot service, a Helm pre-install hook that cannot see the release's Secret yet), so
 * it needs no key, token, bus or Redis setting, and none of theirs can stop it.
 */
export const migrateEnvSchema = databaseEnvSchema.pick({ DATABASE_URL: true, AISBF_DATA_DIR: true });
export type MigrateEnv = z.infer<typeof migrateEnvSchema>;
