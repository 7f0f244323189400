import { z } from 'zod';

export const secretEnvSchema = z.object({
  AISBF_SECRET_KEY: z.string().min(32, 'AISBF_SECRET_KEY must be at least 32 characters').optional(),
});
