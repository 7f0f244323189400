import { z } from 'zod';

/**
 * Broadcast to every edge replica: a client address failed to authenticate, so its requests are
 * checked against the shared budget of failed authentications for the next minute.
 */
export const authFailedSchema = z.object({ address: z.string().min(1).max(64) });
export type AuthFailed = z.infer<typeof authFailedSchema>;
