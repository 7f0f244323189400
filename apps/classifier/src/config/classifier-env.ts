import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';
import { DEFAULT_METRICS_PORTS, opsEnvSchema } from '@aisbf/telemetry';

export const classifierEnvSchema = busEnvSchema.merge(opsEnvSchema(DEFAULT_METRICS_PORTS.classifier)).extend({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type ClassifierEnv = z.infer<typeof classifierEnvSchema>;
