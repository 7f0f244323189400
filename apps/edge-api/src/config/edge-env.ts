import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';
import { cacheEnvSchema } from '@aisbf/cache';
import { configSourceEnvSchema, databaseEnvSchema } from '@aisbf/persistence';
import { secretEnvSchema } from '@aisbf/secrets';
import { edgeOpsEnvSchema } from '@aisbf/telemetry';

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const edgeEnvSchema = busEnvSchema
  .merge(configSourceEnvSchema)
  .merge(secretEnvSchema)
  .merge(databaseEnvSchema)
  .merge(cacheEnvSchema)
  .merge(edgeOpsEnvSchema)
  .extend({
    /** Operator token: the admin API and every user's configuration (20+ characters). */
    AISBF_ADMIN_TOKEN: z.string().min(20, 'AISBF_ADMIN_TOKEN must be at least 20 characters').optional(),
    AISBF_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    AISBF_HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Largest accepted request body. */
    AISBF_MAX_BODY_BYTES: int(10 * 1024 * 1024),
    /**
     * Most request body bytes held at once, all requests together; a body that does not fit is
     * answered 503 server_busy with Retry-After. Default: an eighth of the V8 heap limit, and never
     * less than AISBF_MAX_BODY_BYTES (one largest body is always admitted).
     */
    AISBF_MAX_INFLIGHT_BODY_BYTES: z.coerce.number().int().positive().optional(),
    /** Longest wait for a route plan. */
    AISBF_RESOLVE_TIMEOUT_MS: int(5_000),
    /** Longest a whole chat request may take, all attempts included. */
    AISBF_REQUEST_DEADLINE_MS: int(600_000),
    /** Most candidates tried for one request. */
    AISBF_MAX_ATTEMPTS: int(3),
    /** A dashboard session ends after this long without use (and 7 days after login in any case). */
    AISBF_SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 86_400).default(8 * 3_600),
    /** Requests per minute allowed to one user, all tokens and edge replicas together; 0 = no limit. */
    AISBF_RATE_LIMIT_USER_RPM: z.coerce.number().int().min(0).default(0),
    /** Requests per minute allowed to one API token; 0 = no limit. */
    AISBF_RATE_LIMIT_TOKEN_RPM: z.coerce.number().int().min(0).default(0),
    /** Failed authentications allowed per client address and minute before 429; 0 = no limit. */
    AISBF_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  });
export type EdgeEnv = z.infer<typeof edgeEnvSchema>;

export const EDGE_ENV = Symbol('EDGE_ENV');
