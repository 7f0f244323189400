import { z } from 'zod';

/**
 * The standard OpenTelemetry variables an AISBF service honours, validated at start-up so a typo
 * in a deployment fails there rather than silently exporting nothing. AISBF reads the first group
 * itself; the SDK and the OTLP exporter read the rest from the environment (declared here so
 * deployments know they may set them, and so their values are checked).
 */
export const telemetryEnvSchema = z.object({
  // Read by AISBF.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  /** `none` turns export off even when an endpoint is set. */
  OTEL_TRACES_EXPORTER: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** Milliseconds between two exports of finished spans. */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().positive().default(1000),
  // Read by the exporter and the SDK.
  /** `key=value,...` sent with every export (a collector's API key): treat it as a secret. */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  /** Milliseconds one export may take. */
  OTEL_EXPORTER_OTLP_TIMEOUT: z.coerce.number().int().positive().optional(),
  OTEL_EXPORTER_OTLP_COMPRESSION: z.enum(['gzip', 'none']).optional(),
  /** `key=value,...` added to every span's resource (deployment.environment.name=prod, ...). */
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional(),
  /** Sampling of new root traces while exporting (a caller's sampled traceparent is always honoured by parentbased_*). */
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
});
export type TelemetryEnv = z.infer<typeof telemetryEnvSchema>;
