import type { StreamChunks } from '@aisbf/bus';
import { Injectable } from '@nestjs/common';
import { Candidate, ChatEnd } from '@aisbf/contracts';
import {
  fromGeminiBatchEmbed,
  fromGeminiResponse,
  GeminiResponse,
  geminiModelPage,
  geminiModelResource,
  GeminiStreamTranslator,
  toGeminiBatchEmbedRequest,
  toGeminiRequest,
} from '@aisbf/llm-wire';
import { AdapterCall, ChatAdapter, EmbeddingsResult } from '../chat-adapter';
import { UpstreamHttp } from '../../upstream/upstream-http';
import { sseEvents } from '../stream-relay';
import { translatedChat } from '../translated-chat';
import { listModelPages } from '../model-pages';
import { translatedEmbeddings } from '../translated-embeddings';

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

  async *chat(call: AdapterCall): AsyncGenerator<StreamChunks, ChatEnd, undefined> {
    const { candidate } = call;
    return yield* translatedChat(this.http, call, {
      exchange: (request) => ({
        url: this.modelUrl(candidate, request.stream === true ? 'streamGenerateContent?alt=sse' : 'generateContent'),
        headers: this.headers(call.apiKey),
        body: toGeminiRequest(request),
      }),
      completion: (json) => {
        if (!json || typeof json !== 'object') throw new Error('an empty response');
        return fromGeminiResponse(json as GeminiResponse, candidate.model);
      },
      stream: (includeUsage) => ({ decoder: sseEvents(), translator: new GeminiStreamTranslator(candidate.model, includeUsage) }),
    });
  }

  async embeddings(call: AdapterCall): Promise<EmbeddingsResult> {
    // Gemini reports no token counts for embeddings: usage stays unknown.
    return translatedEmbeddings(
      this.http,
      call,
      'Gemini',
      (request, texts) => ({
        url: this.modelUrl(call.candidate, 'batchEmbedContents'),
        headers: this.headers(call.apiKey),
        body: toGeminiBatchEmbedRequest(call.candidate.model, texts, request.dimensions),
      }),
      (json) => ({ vectors: fromGeminiBatchEmbed(json), promptTokens: null }),
    );
  }

  async listModels(candidate: Candidate, apiKey: string | null, signal: AbortSignal): Promise<Array<{ id: string }>> {
    return listModelPages(
      candidate,
      (token) => {
        const query = `pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
        return this.http.getJson(candidate, apiKey, `${candidate.endpoint}/models?${query}`, this.headers(apiKey), signal);
      },
      (json) => {
        const page = geminiModelPage(json);
        return { ids: page.ids, next: page.nextPageToken };
      },
    );
  }
}
