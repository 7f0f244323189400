import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';
import { secretEnvSchema } from '@aisbf/secrets';
import { DEFAULT_METRICS_PORTS, opsEnvSchema } from '@aisbf/telemetry';

const poolName = z.string().regex(/^(?:\*|[A-Za-z0-9_-]+)$/, 'pool names are letters, digits, _ and -, or *');
const poolList = (value: string) => value.split(',').map((pool) => pool.trim()).filter(Boolean);

/** Which pools may reach loopback/private/link-local endpoints for every provider: all, none, or a list. */
export interface PrivateEndpointPolicy {
  all: boolean;
  pools: string[];
}

export const connectorEnvSchema = busEnvSchema.merge(secretEnvSchema).merge(opsEnvSchema(DEFAULT_METRICS_PORTS.connector)).extend({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Pools this process serves, comma-separated (it answers aisbf.connector.{pool}.* for each), or * for all. */
  CONNECTOR_POOLS: z.string().default('default').transform(poolList).pipe(z.array(poolName).min(1)),
  /** Most upstream connections kept per origin. */
  CONNECTOR_MAX_CONNECTIONS: z.coerce.number().int().positive().default(256),
  /**
   * `true` (a LAN pool next to its backends), `false` (the default: only operator-trusted users'
   * providers may reach private addresses), or the pools of this process that allow them.
   */
  CONNECTOR_ALLOW_PRIVATE_ENDPOINTS: z
    .string()
    .default('false')
    .transform((value, ctx): PrivateEndpointPolicy => {
      const normalized = value.trim().toLowerCase();
      if (['true', '1', 'yes', '*'].includes(normalized)) return { all: true, pools: [] };
      if (['false', '0', 'no', ''].includes(normalized)) return { all: false, pools: [] };
      const pools = poolList(value);
      for (const pool of pools) {
        if (!poolName.safeParse(pool).success) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'true, false, or a comma-separated list of pool names' });
          return z.NEVER;
        }
      }
      return { all: false, pools };
    }),
});
export type ConnectorEnv = z.infer<typeof connectorEnvSchema>;

export const CONNECTOR_ENV = Symbol('CONNECTOR_ENV');
