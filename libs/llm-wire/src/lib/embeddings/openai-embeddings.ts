import { AisbfError } from '@aisbf/contracts';
import type { EmbeddingsRequest } from './embeddings-request.schema';

export interface OpenAiEmbeddingsResponse {
  object: 'list';
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/** The texts of an embeddings request, for wires that take text only (not token ids). */
export function embeddingTexts(body: EmbeddingsRequest, wire: string): string[] {
  const input = body.input;
  if (typeof input === 'string') return [input];
  if (input.every((item) => typeof item === 'string')) return input as string[];
  throw new AisbfError('invalid_request', `${wire} backends embed text only, not token ids`, { param: 'input' });
}

/** A vector as OpenAI's `encoding_format: "base64"` sends it: little-endian float32 bytes. */
export function encodeEmbeddingBase64(vector: number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

/** OpenAI's embeddings response from plain vectors, encoded the way the client asked. */
export function openAiEmbeddingsResponse(
  model: string,
  vectors: number[][],
  encoding: EmbeddingsRequest['encoding_format'],
  promptTokens: number,
): OpenAiEmbeddingsResponse {
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encoding === 'base64' ? encodeEmbeddingBase64(vector) : vector,
    })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
