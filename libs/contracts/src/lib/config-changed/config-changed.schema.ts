import { z } from 'zod';

/** Broadcast to every replica of every service: drop cached configuration of this user (or all). */
export const configChangedSchema = z.object({
  username: z.string().nullable(),
  kind: z.enum(['user', 'tokens', 'providers', 'rotations', 'autoselects', 'all']),
});
export type ConfigChanged = z.infer<typeof configChangedSchema>;
