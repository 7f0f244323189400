import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';
import { secretEnvSchema } from '@aisbf/secrets';
import { DEFAULT_METRICS_PORTS, opsEnvSchema } from '@aisbf/telemetry';

export const connectorEnvSchema = busEnvSchema.merge(secretEnvSchema).merge(opsEnvSchema(DEFAULT_METRICS_PORTS.connector)).extend({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Pools this process serves, comma-separated (it answers aisbf.connector.{pool}.* for each), or * for all. */
  CONNECTOR_POOLS: z
    .string()
    .default('default')
    .transform((value) => value.split(',').map((pool) => pool.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(?:\*|[A-Za-z0-9_-]+)$/, 'pool names are letters, digits, _ and -, or *')).min(1)),
  /** Most upstream connections kept per origin. */
  CONNECTOR_MAX_CONNECTIONS: z.coerce.number().int().positive().default(256),
});
export type ConnectorEnv = z.infer<typeof connectorEnvSchema>;

export const CONNECTOR_ENV = Symbol('CONNECTOR_ENV');
