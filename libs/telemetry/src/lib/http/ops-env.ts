import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/**
 * Where a worker serves /metrics, /healthz and /readyz (by default on every interface: kubelets
 * and Prometheus reach it from outside the pod). Each worker has its own default port, so the four
 * services can run side by side on one host (`npm run start:distributed`).
 */
export function opsEnvSchema(defaultPort: number) {
  return z.object({ AISBF_METRICS_PORT: port.default(defaultPort), AISBF_METRICS_HOST: z.string().min(1).default('0.0.0.0') });
}

/**
 * The edge serves /metrics and its probes on its HTTP port; with AISBF_METRICS_PORT set it serves
 * them on that port too (a scrape port that no ingress routes to, as in the Helm chart).
 */
export const edgeOpsEnvSchema = z.object({ AISBF_METRICS_PORT: port.optional(), AISBF_METRICS_HOST: z.string().min(1).optional() });

/** The ops server a process starts, from its validated environment; none when no port is set. */
export function opsServerOptions(
  env: { AISBF_METRICS_PORT?: number; AISBF_METRICS_HOST?: string },
  defaultHost = '0.0.0.0',
): { host: string; port: number } | undefined {
  return env.AISBF_METRICS_PORT === undefined ? undefined : { host: env.AISBF_METRICS_HOST ?? defaultHost, port: env.AISBF_METRICS_PORT };
}

export const DEFAULT_METRICS_PORTS = { 'route-resolver': 9464, classifier: 9465, connector: 9466 } as const;
