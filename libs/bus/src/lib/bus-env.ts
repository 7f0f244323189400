import { z } from 'zod';

/** Bus settings every distributed service reads from its environment. */
export const busEnvSchema = z.object({
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  NATS_TOKEN: z.string().optional(),
  /** Prefix for every subject, so several installations (or test runs) can share one NATS. */
  AISBF_BUS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'AISBF_BUS_NAMESPACE is one subject token: letters, digits, _ and -')
    .default(''),
});
export type BusEnv = z.infer<typeof busEnvSchema>;
