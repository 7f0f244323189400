import { z } from 'zod';
import { busEnvSchema } from '@aisbf/bus';

export const classifierEnvSchema = busEnvSchema.extend({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type ClassifierEnv = z.infer<typeof classifierEnvSchema>;
