import { z } from 'zod';
import { candidateSchema } from '../route-resolve/candidate.schema';

/**
 * An embeddings call for one candidate. `body` is the client's OpenAI embeddings body with `model`
 * set to the candidate's. The answer is a stream: the OpenAI JSON response in pieces (large batches
 * exceed one bus message), then one end frame.
 */
export const connectorEmbeddingsRequestSchema = z.object({
  requestId: z.string(),
  candidate: candidateSchema,
  body: z.record(z.unknown()),
});
export type ConnectorEmbeddingsRequest = z.infer<typeof connectorEmbeddingsRequestSchema>;

export const embeddingsUsageSchema = z.object({
  prompt_tokens: z.number().nonnegative(),
  total_tokens: z.number().nonnegative(),
});
export type EmbeddingsUsage = z.infer<typeof embeddingsUsageSchema>;

/** The terminal frame of a successful embeddings call. */
export const embeddingsEndSchema = z.object({
  usage: embeddingsUsageSchema.nullable(),
  upstreamFirstByteMs: z.number().nonnegative(),
  upstreamTotalMs: z.number().nonnegative(),
});
export type EmbeddingsEnd = z.infer<typeof embeddingsEndSchema>;
