import { z } from 'zod';

export const requestCancelSchema = z.object({ requestId: z.string(), reason: z.string() });
export type RequestCancel = z.infer<typeof requestCancelSchema>;
