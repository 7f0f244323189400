import { z } from 'zod';

const perMinute = z.number().int().min(1, 'a limit is at least 1; leave it out for no limit').max(100_000_000);

const tokenLimitsSchema = z
  .object({
    requests_per_minute: perMinute.optional(),
    /** LLM tokens (prompt + completion) per minute. */
    tokens_per_minute: perMinute.optional(),
  })
  .strict();

/**
 * A user's own limits, set by the operator: per user (all tokens and edge replicas together) and
 * per API token of that user. A limit left out falls back to the installation's default, if any.
 */
export const userLimitsSchema = tokenLimitsSchema
  .extend({
    /** Streaming chat completions open at the same time, across every edge replica. */
    max_concurrent_streams: z.number().int().min(1, 'a limit is at least 1; leave it out for no limit').max(100_000).optional(),
    per_token: tokenLimitsSchema.optional(),
  })
  .strict();

export type UserLimits = z.infer<typeof userLimitsSchema>;

/** The stored column: written only after validation, so a row that no longer parses means "none". */
export function parseStoredLimits(text: string | null): UserLimits {
  if (!text) return {};
  try {
    const parsed = userLimitsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** What is stored for a user's limits: null when none is set. */
export function storedLimits(limits: UserLimits): string | null {
  return Object.keys(limits).length ? JSON.stringify(limits) : null;
}
