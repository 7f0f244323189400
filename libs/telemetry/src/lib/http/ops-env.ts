import { z } from 'zod';

/**
 * Where a worker serves /metrics, /healthz and /readyz. Each worker has its own default port, so
 * the four services can run side by side on one host (`npm run start:distributed`).
 */
export function opsEnvSchema(defaultPort: number) {
  return z.object({
    AISBF_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
    AISBF_METRICS_HOST: z.string().default('0.0.0.0'),
  });
}

export const DEFAULT_METRICS_PORTS = { 'route-resolver': 9464, classifier: 9465, connector: 9466 } as const;
