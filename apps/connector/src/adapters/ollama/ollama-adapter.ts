import type { StreamChunks } from '@aisbf/bus';
import { Injectable } from '@nestjs/common';
import { Candidate, ChatEnd } from '@aisbf/contracts';
import {
  fromOllamaEmbed,
  fromOllamaResponse,
  OllamaChatResponse,
  ollamaModelNames,
  OllamaStreamTranslator,
  toOllamaEmbedRequest,
  toOllamaRequest,
} from '@aisbf/llm-wire';
import { AdapterCall, ChatAdapter, EmbeddingsResult } from '../chat-adapter';
import { UpstreamHttp } from '../../upstream/upstream-http';
import { malformedAnswer, ndjsonLines } from '../stream-relay';
import { translatedChat } from '../translated-chat';
import { translatedEmbeddings } from '../translated-embeddings';

/**
 * Ollama's native API (`/api/chat` with NDJSON streaming, `/api/tags`, `/api/embed`), for servers
 * without the OpenAI-compatible path. The endpoint is the server's base URL (`http://host:11434`).
 */
@Injectable()
export class OllamaAdapter implements ChatAdapter {
  constructor(private readonly http: UpstreamHttp) {}

  private base(candidate: Candidate): string {
    return candidate.endpoint.replace(/\/api$/, '');
  }

  /** Local Ollama needs no key; one behind an authenticating proxy (or a hosted one) takes a bearer token. */
  private headers(apiKey: string | null): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, application/x-ndjson' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    return headers;
  }

  async *chat(call: AdapterCall): AsyncGenerator<StreamChunks, ChatEnd, undefined> {
    const { candidate } = call;
    return yield* translatedChat(this.http, call, {
      exchange: (request) => ({ url: `${this.base(candidate)}/api/chat`, headers: this.headers(call.apiKey), body: toOllamaRequest(request) }),
      completion: (json) => {
        const response = json as OllamaChatResponse | null;
        if (!response?.message) throw new Error(response?.error ?? 'a response without message');
        return fromOllamaResponse(response, candidate.model);
      },
      stream: (includeUsage) => ({ decoder: ndjsonLines(), translator: new OllamaStreamTranslator(candidate.model, includeUsage) }),
    });
  }

  async embeddings(call: AdapterCall): Promise<EmbeddingsResult> {
    return translatedEmbeddings(
      this.http,
      call,
      'Ollama',
      (request, texts) => ({
        url: `${this.base(call.candidate)}/api/embed`,
        headers: this.headers(call.apiKey),
        body: toOllamaEmbedRequest(call.candidate.model, texts, request.dimensions),
      }),
      fromOllamaEmbed,
    );
  }

  async listModels(candidate: Candidate, apiKey: string | null, signal: AbortSignal): Promise<Array<{ id: string }>> {
    const json = await this.http.getJson(candidate, apiKey, `${this.base(candidate)}/api/tags`, this.headers(apiKey), signal);
    try {
      return ollamaModelNames(json).map((id) => ({ id }));
    } catch {
      throw malformedAnswer(candidate, 'no model list');
    }
  }
}
