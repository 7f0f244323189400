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
import { chatRequestOf, clientWantsUsage, completionFrame, malformedAnswer, relayStream, sseEvents } from '../stream-relay';

/** Pages of model listing followed at most (1,000 models each). */
const MAX_MODEL_PAGES = 10;

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

  async *chat(call: AdapterCall): AsyncGenerator<Uint8Array, ChatEnd, undefined> {
    const { candidate, apiKey, signal } = call;
    const request = chatRequestOf(call.body);
    const upstream = await this.http.send(candidate, apiKey, {
      method: 'POST',
      url: `${candidate.endpoint}/messages`,
      headers: this.headers(apiKey),
      body: toAnthropicRequest(request),
      signal,
    });
    if (request.stream !== true) {
      const message = (await this.http.json(candidate, upstream, signal)) as AnthropicResponseMessage | null;
      if (!message || !Array.isArray(message.content)) throw malformedAnswer(candidate, 'a message without content');
      return yield* completionFrame(fromAnthropicMessage(message, candidate.model), upstream);
    }
    const translator = new AnthropicStreamTranslator(candidate.model, clientWantsUsage(call.body));
    return yield* relayStream(candidate, apiKey, signal, upstream, sseEvents(), translator);
  }

  async embeddings(call: AdapterCall): Promise<EmbeddingsResult> {
    // A rotation may hold another candidate that can embed: retryable, as for "this candidate cannot serve".
    throw new AisbfError('invalid_request', `provider ${call.candidate.providerId}: Anthropic has no embeddings API`, {
      param: 'model',
      retryable: true,
    });
  }

  async listModels(candidate: Candidate, apiKey: string | null, signal: AbortSignal): Promise<Array<{ id: string }>> {
    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query = `limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ''}`;
      const json = await this.http.getJson(candidate, apiKey, `${candidate.endpoint}/models?${query}`, this.headers(apiKey), signal);
      let parsed;
      try {
        parsed = anthropicModelPage(json);
      } catch {
        throw malformedAnswer(candidate, 'no model list');
      }
      ids.push(...parsed.ids);
      after = parsed.nextAfter;
      if (!after) break;
    }
    return ids.map((id) => ({ id }));
  }
}
