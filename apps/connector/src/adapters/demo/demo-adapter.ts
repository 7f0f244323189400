import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AisbfError, ChatEnd } from '@aisbf/contracts';
import { AdapterCall, ChatAdapter, EmbeddingsResult } from '../chat-adapter';

const encoder = new TextEncoder();

function lastUserText(body: Record<string, unknown>): string {
  const messages = (body.messages as Array<{ role: string; content: unknown }>) ?? [];
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role !== 'user') continue;
    const content = messages[i].content;
    if (typeof content === 'string') return content;
    if (Array.isArray(content)) {
      return content.map((part) => (part as { text?: string }).text ?? '').join(' ');
    }
  }
  return '';
}

/**
 * The built-in demo provider: a clearly labelled canned answer produced in-process, so a fresh
 * install answers its first request with no backend and no network.
 */
@Injectable()
export class DemoAdapter implements ChatAdapter {
  async *chat(call: AdapterCall): AsyncGenerator<Uint8Array, ChatEnd, undefined> {
    const started = performance.now();
    const prompt = lastUserText(call.body).slice(0, 200);
    const text =
      `[AISBF demo provider] No language model was called: this is AISBF's built-in demo backend. ` +
      `Your request was routed to user-provider/${call.candidate.providerId}/${call.candidate.model}. ` +
      `You said: "${prompt}". Configure real providers to get real answers.`;
    const id = `chatcmpl-demo-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const model = call.candidate.model;
    const usage = {
      prompt_tokens: Math.ceil(JSON.stringify(call.body.messages ?? []).length / 4),
      completion_tokens: Math.ceil(text.length / 4),
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const finish = { finishReason: 'stop', usage, upstreamFirstByteMs: 0, chunks: 0, responseModel: model };

    if (call.body.stream !== true) {
      yield encoder.encode(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage,
        }),
      );
      return { ...finish, chunks: 1, upstreamTotalMs: performance.now() - started };
    }
    const chunk = (delta: object, finishReason: string | null, extra: object = {}) =>
      encoder.encode(
        JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }], ...extra }),
      );
    let chunks = 0;
    yield chunk({ role: 'assistant', content: '' }, null);
    for (const word of text.match(/\S+\s*/g) ?? []) {
      if (call.signal.aborted) break;
      chunks++;
      yield chunk({ content: word }, null);
    }
    yield chunk({}, 'stop');
    const includeUsage = (call.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    if (includeUsage) {
      yield encoder.encode(JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage }));
    }
    return { ...finish, chunks: chunks + 2, upstreamTotalMs: performance.now() - started };
  }

  async embeddings(call: AdapterCall): Promise<EmbeddingsResult> {
    throw new AisbfError('invalid_request', `provider ${call.candidate.providerId}: the demo provider has no embeddings`, {
      param: 'model',
      retryable: true,
    });
  }

  async listModels(): Promise<Array<{ id: string }>> {
    return [{ id: 'echo' }];
  }
}
