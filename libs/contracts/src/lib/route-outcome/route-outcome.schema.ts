import { z } from 'zod';

/** What happened to one attempt: feeds cooldowns, statistics and usage records. */
export const routeOutcomeSchema = z.object({
  requestId: z.string(),
  username: z.string(),
  routeId: z.string(),
  providerId: z.string(),
  model: z.string(),
  attempt: z.number().int().positive(),
  ok: z.boolean(),
  status: z.number().int(),
  code: z.string().nullable(),
  retryable: z.boolean(),
  retryAfterSeconds: z.number().nonnegative().optional(),
  errorCooldownSeconds: z.number().nonnegative().optional(),
  latencyMs: z.number().nonnegative(),
  ttftMs: z.number().nonnegative().nullable(),
  promptTokens: z.number().nonnegative().nullable(),
  completionTokens: z.number().nonnegative().nullable(),
});
export type RouteOutcome = z.infer<typeof routeOutcomeSchema>;

/** Most outcomes in one aisbf.route.outcome message. */
export const MAX_OUTCOMES_PER_EVENT = 500;

/**
 * An aisbf.route.outcome message: one outcome, or several sent together (an edge gathers its
 * successes for a few milliseconds; a failure goes at once). Consumers get a list either way.
 */
export const routeOutcomeEventSchema = z
  .union([z.object({ outcomes: z.array(routeOutcomeSchema).min(1).max(MAX_OUTCOMES_PER_EVENT) }), routeOutcomeSchema])
  .transform((event): RouteOutcome[] => ('outcomes' in event ? event.outcomes : [event]));
