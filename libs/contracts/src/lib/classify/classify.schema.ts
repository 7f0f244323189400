import { z } from 'zod';

export const privacySignalSchema = z.object({
  detector: z.string(),
  category: z.enum(['secret', 'credential', 'pii', 'customer_data', 'marker', 'custom']),
  messageIndex: z.number().int().nonnegative(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type PrivacySignal = z.infer<typeof privacySignalSchema>;

export const classifyRequestSchema = z.object({
  username: z.string(),
  messages: z.array(z.object({ role: z.string(), content: z.string() })),
  classifyPrivacy: z.boolean(),
  customPatterns: z.array(z.string()).default([]),
  customKeywords: z.array(z.string()).default([]),
});
export type ClassifyRequest = z.infer<typeof classifyRequestSchema>;

export const classifyReplySchema = z.object({
  private: z.boolean(),
  signals: z.array(privacySignalSchema),
  durationMs: z.number().nonnegative(),
});
export type ClassifyReply = z.infer<typeof classifyReplySchema>;
