import { z } from 'zod';

const MAX_INPUTS = 2048;

/**
 * The OpenAI embeddings request body. `input` is a string, an array of strings, or token ids
 * (one array, or an array of arrays). Unknown top-level keys are kept and forwarded.
 */
export const embeddingsRequestSchema = z
  .object({
    model: z.string().min(1, 'model is required'),
    input: z.union([
      z.string().min(1, 'input must not be empty'),
      z.array(z.string()).min(1, 'input must not be empty').max(MAX_INPUTS, `at most ${MAX_INPUTS} inputs per request`),
      z.array(z.number().int().nonnegative()).min(1, 'input must not be empty'),
      z
        .array(z.array(z.number().int().nonnegative()).min(1))
        .min(1, 'input must not be empty')
        .max(MAX_INPUTS, `at most ${MAX_INPUTS} inputs per request`),
    ]),
    encoding_format: z.enum(['float', 'base64']).optional(),
    dimensions: z.number().int().positive().optional(),
    user: z.string().optional(),
  })
  .passthrough();
export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;
