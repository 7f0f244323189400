import type { StreamChunks } from '@aisbf/bus';
import { Injectable } from '@nestjs/common';
import { AisbfError, Candidate, ChatEnd } from '@aisbf/contracts';
import {
  ANTHROPIC_VERSION,
  AnthropicResponseMessage,
  anthropicModelPage,
  AnthropicStreamTranslator,
  fromAnthropicMessage,
  toAnthropicRequest,
} from '@aisbf/llm-wire';
import { AdapterCall, ChatAdapter, EmbeddingsResult } from '../chat-adapter';
import { UpstreamHttp } from '../../upstream/upstream-http';
import { sseEvents } from '../stream-relay';
import { translatedChat } from '../translated-chat';
import { listModelPages } from '../model-pages';

/** Anthropic Messages API (`{endpoint}/messages`, endpoint up to and including `/v1`). */
@Injectable()
export class AnthropicAdapter implements ChatAdapter {
  constructor(private readonly http: UpstreamHttp) {}

  private headers(apiKey: string | null): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'anthropic-version': ANTHROPIC_VERSION,
    };
    if (apiKey) headers['x-api-key'] = apiKey;
    return headers;
  }

  async *chat(call: AdapterCall): AsyncGenerator<StreamChunks, ChatEnd, undefined> {
    const { candidate } = call;
    return yield* translatedChat(this.http, call, {
      exchange: (request) => ({ url: `${candidate.endpoint}/messages`, headers: this.headers(call.apiKey), body: toAnthropicRequest(request) }),
      completion: (json) => {
        const message = json as AnthropicResponseMessage | null;
        if (!message || !Array.isArray(message.content)) throw new Error('a message without content');
        return fromAnthropicMessage(message, candidate.model);
      },
      stream: (includeUsage) => ({ decoder: sseEvents(), translator: new AnthropicStreamTranslator(candidate.model, includeUsage) }),
    });
  }

  async embeddings(call: AdapterCall): Promise<EmbeddingsResult> {
    // A rotation may hold another candidate that can embed: retryable, as for "this candidate cannot serve".
    throw new AisbfError('invalid_request', `provider ${call.candidate.providerId}: Anthropic has no embeddings API`, {
      param: 'model',
      retryable: true,
    });
  }

  async listModels(candidate: Candidate, apiKey: string | null, signal: AbortSignal): Promise<Array<{ id: string }>> {
    return listModelPages(
      candidate,
      (after) => {
        const query = `limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ''}`;
        return this.http.getJson(candidate, apiKey, `${candidate.endpoint}/models?${query}`, this.headers(apiKey), signal);
      },
      (json) => {
        const page = anthropicModelPage(json);
        return { ids: page.ids, next: page.nextAfter };
      },
    );
  }
}
