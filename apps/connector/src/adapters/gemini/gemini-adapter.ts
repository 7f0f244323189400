import { Injectable } from '@nestjs/common';
import { Candidate, ChatEnd } from '@aisbf/contracts';
import {
  embeddingTexts,
  fromGeminiBatchEmbed,
  fromGeminiResponse,
  GeminiResponse,
  geminiModelPage,
  geminiModelResource,
  GeminiStreamTranslator,
  openAiEmbeddingsResponse,
  toGeminiBatchEmbedRequest,
  toGeminiRequest,
} from '@aisbf/llm-wire';
import { AdapterCall, ChatAdapter, EmbeddingsResult } from '../chat-adapter';
import { UpstreamHttp } from '../../upstream/upstream-http';
import {
  chatRequestOf,
  clientWantsUsage,
  completionFrame,
  embeddingsRequestOf,
  jsonBytes,
  malformedAnswer,
  relayStream,
  sseEvents,
} from '../stream-relay';

const MAX_MODEL_PAGES = 10;

/**
 * Google Gemini API (`{endpoint}/models/{model}:generateContent`, endpoint up to and including
 * `/v1beta`). The key travels in the `x-goog-api-key` header, never in the URL, where it would
 * reach access logs and traces.
 */
@Injectable()
export class GeminiAdapter implements ChatAdapter {
  constructor(private readonly http: UpstreamHttp) {}

  private headers(apiKey: string | null): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (apiKey) headers['x-goog-api-key'] = apiKey;
    return headers;
  }

  private modelUrl(candidate: Candidate, method: string): string {
    const resource = geminiModelResource(candidate.model).split('/').map(encodeURIComponent).join('/');
    return `${candidate.endpoint}/${resource}:${method}`;
  }

  async *chat(call: AdapterCall): AsyncGenerator<Uint8Array, ChatEnd, undefined> {
    const { candidate, apiKey, signal } = call;
    const request = chatRequestOf(call.body);
    const stream = request.stream === true;
    const upstream = await this.http.send(candidate, apiKey, {
      method: 'POST',
      url: this.modelUrl(candidate, stream ? 'streamGenerateContent?alt=sse' : 'generateContent'),
      headers: this.headers(apiKey),
      body: toGeminiRequest(request),
      signal,
    });
    if (!stream) {
      const response = (await this.http.json(candidate, upstream, signal)) as GeminiResponse | null;
      if (!response || typeof response !== 'object') throw malformedAnswer(candidate, 'an empty response');
      return yield* completionFrame(fromGeminiResponse(response, candidate.model), upstream);
    }
    const translator = new GeminiStreamTranslator(candidate.model, clientWantsUsage(call.body));
    return yield* relayStream(candidate, apiKey, signal, upstream, sseEvents(), translator);
  }

  async embeddings(call: AdapterCall): Promise<EmbeddingsResult> {
    const { candidate, apiKey, signal } = call;
    const request = embeddingsRequestOf(call.body);
    const upstream = await this.http.send(candidate, apiKey, {
      method: 'POST',
      url: this.modelUrl(candidate, 'batchEmbedContents'),
      headers: this.headers(apiKey),
      body: toGeminiBatchEmbedRequest(candidate.model, embeddingTexts(request, 'Gemini'), request.dimensions),
      signal,
    });
    const json = await this.http.json(candidate, upstream, signal);
    let vectors: number[][];
    try {
      vectors = fromGeminiBatchEmbed(json);
    } catch {
      throw malformedAnswer(candidate, 'no embeddings');
    }
    // Gemini reports no token counts for embeddings: the response says 0, the usage record says unknown.
    return {
      body: jsonBytes(openAiEmbeddingsResponse(candidate.model, vectors, request.encoding_format, 0)),
      usage: null,
      upstreamFirstByteMs: upstream.firstByteMs,
      upstreamTotalMs: performance.now() - upstream.started,
    };
  }

  async listModels(candidate: Candidate, apiKey: string | null, signal: AbortSignal): Promise<Array<{ id: string }>> {
    const ids: string[] = [];
    let token: string | null = null;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query = `pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
      const json = await this.http.getJson(candidate, apiKey, `${candidate.endpoint}/models?${query}`, this.headers(apiKey), signal);
      let parsed;
      try {
        parsed = geminiModelPage(json);
      } catch {
        throw malformedAnswer(candidate, 'no model list');
      }
      ids.push(...parsed.ids);
      token = parsed.nextPageToken;
      if (!token) break;
    }
    return ids.map((id) => ({ id }));
  }
}
