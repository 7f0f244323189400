import { encodeJson, type StreamChunks } from '@aisbf/bus';
import { Injectable } from '@nestjs/common';
import { Candidate, ChatEnd, EmbeddingsUsage } from '@aisbf/contracts';
import { OpenAiStreamPassthrough } from '@aisbf/llm-wire';
import { AdapterCall, ChatAdapter, EmbeddingsResult } from '../chat-adapter';
import { UpstreamHttp } from '../../upstream/upstream-http';
import { clientWantsUsage, completionFrame, malformedAnswer, relayStream, sseEvents } from '../stream-relay';

/** OpenAI-compatible backends (OpenAI, vLLM/RunPod, Ollama's /v1, LM Studio, OpenRouter, Groq, ...). */
@Injectable()
export class OpenAiAdapter implements ChatAdapter {
  constructor(private readonly http: UpstreamHttp) {}

  private headers(apiKey: string | null): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    return headers;
  }

  async *chat(call: AdapterCall): AsyncGenerator<StreamChunks, ChatEnd, undefined> {
    const { candidate, apiKey, signal } = call;
    const stream = call.body.stream === true;
    // Usage is captured for every call; in streams it has to be asked for.
    const body = stream ? { ...call.body, stream_options: { ...(call.body.stream_options as object), include_usage: true } } : call.body;
    const upstream = await this.http.send(candidate, apiKey, {
      method: 'POST',
      url: `${candidate.endpoint}/chat/completions`,
      headers: this.headers(apiKey),
      body,
      signal,
    });
    if (!stream) {
      const completion = (await this.http.json(candidate, upstream, signal)) as { choices?: unknown };
      if (!Array.isArray(completion?.choices)) throw malformedAnswer(candidate, 'a completion without choices');
      return yield* completionFrame(completion as Parameters<typeof completionFrame>[0], upstream);
    }
    return yield* relayStream(candidate, apiKey, signal, upstream, sseEvents(), new OpenAiStreamPassthrough(clientWantsUsage(call.body)));
  }

  async embeddings(call: AdapterCall): Promise<EmbeddingsResult> {
    const { candidate, apiKey, signal } = call;
    const upstream = await this.http.send(candidate, apiKey, {
      method: 'POST',
      url: `${candidate.endpoint}/embeddings`,
      headers: this.headers(apiKey),
      body: call.body,
      signal,
    });
    const response = (await this.http.json(candidate, upstream, signal)) as { data?: unknown; usage?: EmbeddingsUsage };
    if (!Array.isArray(response?.data)) throw malformedAnswer(candidate, 'an embeddings response without data');
    return {
      body: encodeJson(response),
      usage: response.usage ?? null,
      upstreamFirstByteMs: upstream.firstByteMs,
      upstreamTotalMs: performance.now() - upstream.started,
    };
  }

  async listModels(candidate: Candidate, apiKey: string | null, signal: AbortSignal): Promise<Array<{ id: string }>> {
    const parsed = (await this.http.getJson(candidate, apiKey, `${candidate.endpoint}/models`, this.headers(apiKey), signal)) as {
      data?: Array<{ id?: unknown }>;
    } | null;
    if (!parsed || !Array.isArray(parsed.data)) throw malformedAnswer(candidate, 'no model list');
    return parsed.data.filter((m) => typeof m.id === 'string').map((m) => ({ id: m.id as string }));
  }
}
