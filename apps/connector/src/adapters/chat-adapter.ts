import type { Candidate, ChatEnd, EmbeddingsUsage } from '@aisbf/contracts';
import type { StreamChunks } from '@aisbf/bus';

export interface AdapterCall {
  candidate: Candidate;
  /** The opened provider key; lives only in this process's memory for the call. */
  apiKey: string | null;
  body: Record<string, unknown>;
  signal: AbortSignal;
}

export interface EmbeddingsResult {
  /** OpenAI's embeddings response, serialised. */
  body: Uint8Array;
  usage: EmbeddingsUsage | null;
  upstreamFirstByteMs: number;
  upstreamTotalMs: number;
}

/**
 * A backend wire. `chat` yields OpenAI-format JSON: stream chunks (one, or the batch one upstream
 * read produced), or one whole completion when the request is not streamed. It returns the terminal summary; failures throw AisbfError.
 */
export interface ChatAdapter {
  chat(call: AdapterCall): AsyncGenerator<StreamChunks, ChatEnd, undefined>;
  embeddings(call: AdapterCall): Promise<EmbeddingsResult>;
  listModels(candidate: Candidate, apiKey: string | null, signal: AbortSignal): Promise<Array<{ id: string }>>;
}
