import { z } from 'zod';
import { candidateSchema } from '../route-resolve/candidate.schema';

/** A chat call for one candidate. `body` is the client's OpenAI body with `model` set to the candidate's. */
export const connectorChatRequestSchema = z.object({
  requestId: z.string(),
  candidate: candidateSchema,
  body: z.record(z.unknown()),
});
export type ConnectorChatRequest = z.infer<typeof connectorChatRequestSchema>;

export const usageSchema = z.object({
  prompt_tokens: z.number().nonnegative(),
  completion_tokens: z.number().nonnegative(),
  total_tokens: z.number().nonnegative(),
});
export type Usage = z.infer<typeof usageSchema>;

/** The terminal frame of a successful chat stream. */
export const chatEndSchema = z.object({
  finishReason: z.string().nullable(),
  usage: usageSchema.nullable(),
  /** Milliseconds from sending upstream to its first byte / to its last byte. */
  upstreamFirstByteMs: z.number().nonnegative(),
  upstreamTotalMs: z.number().nonnegative(),
  chunks: z.number().int().nonnegative(),
  /** The model the backend says answered (its `model` field), when it said. */
  responseModel: z.string().nullable().optional(),
  /** The backend's HTTP status, for wires that have one. */
  upstreamStatus: z.number().int().optional(),
});
export type ChatEnd = z.infer<typeof chatEndSchema>;
