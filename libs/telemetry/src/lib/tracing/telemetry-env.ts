import { z } from 'zod';

/**
 * The standard OpenTelemetry variables AISBF reads itself. The OTLP exporter reads the rest of its
 * own (OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_TIMEOUT, ...).
 */
export const telemetryEnvSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  /** `none` turns export off even when an endpoint is set. */
  OTEL_TRACES_EXPORTER: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** Milliseconds between two exports of finished spans. */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().positive().default(1000),
});
export type TelemetryEnv = z.infer<typeof telemetryEnvSchema>;
