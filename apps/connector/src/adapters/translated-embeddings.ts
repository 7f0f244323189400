import { encodeJson } from '@aisbf/bus';
import { embeddingTexts, EmbeddingsRequest, openAiEmbeddingsResponse } from '@aisbf/llm-wire';
import { UpstreamHttp } from '../upstream/upstream-http';
import { AdapterCall, EmbeddingsResult } from './chat-adapter';
import { embeddingsRequestOf, malformedAnswer } from './stream-relay';

export interface EmbeddingsExchange {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Embeddings on a wire with its own shape: the OpenAI request's texts go out as the wire wants,
 * the vectors come back as OpenAI's response in the encoding the client asked for. A wire that
 * reports no token count gives `promptTokens: null` (usage unknown).
 */
export async function translatedEmbeddings(
  http: UpstreamHttp,
  call: AdapterCall,
  wire: string,
  exchange: (request: EmbeddingsRequest, texts: string[]) => EmbeddingsExchange,
  read: (json: unknown) => { vectors: number[][]; promptTokens: number | null },
): Promise<EmbeddingsResult> {
  const { candidate, apiKey, signal } = call;
  const request = embeddingsRequestOf(call.body);
  const { url, headers, body } = exchange(request, embeddingTexts(request, wire));
  const upstream = await http.send(candidate, apiKey, { method: 'POST', url, headers, body, signal });
  const json = await http.json(candidate, upstream, signal);
  let result: { vectors: number[][]; promptTokens: number | null };
  try {
    result = read(json);
  } catch {
    throw malformedAnswer(candidate, 'no embeddings');
  }
  const response = openAiEmbeddingsResponse(candidate.model, result.vectors, request.encoding_format, result.promptTokens ?? 0);
  return {
    body: encodeJson(response),
    usage: result.promptTokens === null ? null : response.usage,
    upstreamFirstByteMs: upstream.firstByteMs,
    upstreamTotalMs: performance.now() - upstream.started,
  };
}
