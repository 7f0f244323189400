import { Injectable } from '@nestjs/common';
import { Candidate, ChatEnd } from '@aisbf/contracts';
import {
  embeddingTexts,
  fromOllamaEmbed,
  fromOllamaResponse,
  OllamaChatResponse,
  ollamaModelNames,
  OllamaStreamTranslator,
  openAiEmbeddingsResponse,
  toOllamaEmbedRequest,
  toOllamaRequest,
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
  ndjsonLines,
  relayStream,
} from '../stream-relay';

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

  async *chat(call: AdapterCall): AsyncGenerator<Uint8Array, ChatEnd, undefined> {
    const { candidate, apiKey, signal } = call;
    const request = chatRequestOf(call.body);
    const upstream = await this.http.send(candidate, apiKey, {
      method: 'POST',
      url: `${this.base(candidate)}/api/chat`,
      headers: this.headers(apiKey),
      body: toOllamaRequest(request),
      signal,
    });
    if (request.stream !== true) {
      const response = (await this.http.json(candidate, upstream, signal)) as OllamaChatResponse | null;
      if (!response?.message) throw malformedAnswer(candidate, response?.error ? `an error: ${response.error}` : 'a response without message');
      return yield* completionFrame(fromOllamaResponse(response, candidate.model), upstream);
    }
    const translator = new OllamaStreamTranslator(candidate.model, clientWantsUsage(call.body));
    return yield* relayStream(candidate, apiKey, signal, upstream, ndjsonLines(), translator);
  }

  async embeddings(call: AdapterCall): Promise<EmbeddingsResult> {
    const { candidate, apiKey, signal } = call;
    const request = embeddingsRequestOf(call.body);
    const upstream = await this.http.send(candidate, apiKey, {
      method: 'POST',
      url: `${this.base(candidate)}/api/embed`,
      headers: this.headers(apiKey),
      body: toOllamaEmbedRequest(candidate.model, embeddingTexts(request, 'Ollama'), request.dimensions),
      signal,
    });
    const json = await this.http.json(candidate, upstream, signal);
    let result: { vectors: number[][]; promptTokens: number };
    try {
      result = fromOllamaEmbed(json);
    } catch {
      throw malformedAnswer(candidate, 'no embeddings');
    }
    const response = openAiEmbeddingsResponse(candidate.model, result.vectors, request.encoding_format, result.promptTokens);
    return {
      body: jsonBytes(response),
      usage: response.usage,
      upstreamFirstByteMs: upstream.firstByteMs,
      upstreamTotalMs: performance.now() - upstream.started,
    };
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
