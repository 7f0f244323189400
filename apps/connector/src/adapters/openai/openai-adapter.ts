import { Injectable } from '@nestjs/common';
import { request } from 'undici';
import { AisbfError, Candidate, ChatEnd, Usage } from '@aisbf/contracts';
import { SseDecoder } from '@aisbf/llm-wire';
import { AdapterCall, ChatAdapter } from '../chat-adapter';
import { UpstreamDispatcher } from '../../upstream/upstream-dispatcher';
import { scrub, upstreamHttpError, upstreamNetworkError } from '../../upstream/upstream-error';

interface StreamChunk {
  model?: string;
  choices?: Array<{ finish_reason?: string | null }>;
  usage?: Usage | null;
  error?: { message?: string };
}

const encoder = new TextEncoder();

/** OpenAI-compatible backends (OpenAI, vLLM/RunPod, Ollama's /v1, LM Studio, OpenRouter, Groq, ...). */
@Injectable()
export class OpenAiAdapter implements ChatAdapter {
  constructor(private readonly dispatcher: UpstreamDispatcher) {}

  private headers(apiKey: string | null): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    return headers;
  }

  async *chat(call: AdapterCall): AsyncGenerator<Uint8Array, ChatEnd, undefined> {
    const { candidate, apiKey, signal } = call;
    const stream = call.body.stream === true;
    const clientWantsUsage = (call.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    // Usage is captured for every call; in streams it has to be asked for.
    const body = stream ? { ...call.body, stream_options: { ...(call.body.stream_options as object), include_usage: true } } : call.body;
    const started = performance.now();
    let response;
    try {
      response = await request(`${candidate.endpoint}/chat/completions`, {
        method: 'POST',
        dispatcher: this.dispatcher.forConnectTimeout(candidate.timeouts.connectMs),
        headers: this.headers(apiKey),
        body: JSON.stringify(body),
        signal,
        headersTimeout: candidate.timeouts.firstByteMs,
        bodyTimeout: candidate.timeouts.idleMs,
      });
    } catch (error) {
      throw upstreamNetworkError(candidate.providerId, error, signal.aborted && !isTimeout(signal));
    }
    const firstByteMs = performance.now() - started;
    if (response.statusCode >= 400) throw await upstreamHttpError(candidate.providerId, response, apiKey);

    try {
      if (!stream) {
        const text = await response.body.text();
        let parsed: { model?: string; usage?: Usage; choices?: Array<{ finish_reason?: string | null }> };
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new AisbfError('upstream_error', `upstream ${candidate.providerId} answered with a body that is not JSON`, {
            retryable: true,
          });
        }
        yield encoder.encode(text);
        return {
          finishReason: parsed.choices?.[0]?.finish_reason ?? null,
          usage: parsed.usage ?? null,
          upstreamFirstByteMs: firstByteMs,
          upstreamTotalMs: performance.now() - started,
          chunks: 1,
          responseModel: typeof parsed.model === 'string' ? parsed.model : null,
          upstreamStatus: response.statusCode,
        };
      }

      const decoder = new SseDecoder();
      let finishReason: string | null = null;
      let usage: Usage | null = null;
      let responseModel: string | null = null;
      let chunks = 0;
      let done = false;
      for await (const bytes of response.body) {
        for (const event of decoder.push(bytes)) {
          if (event.data === '[DONE]') {
            done = true;
            break;
          }
          let chunk: StreamChunk;
          try {
            chunk = JSON.parse(event.data) as StreamChunk;
          } catch {
            throw new AisbfError('upstream_stream_broken', `upstream ${candidate.providerId} sent a malformed stream event`, {
              retryable: true,
            });
          }
          if (chunk.error) {
            throw new AisbfError('upstream_error', `upstream ${candidate.providerId} failed mid-stream: ${scrub(String(chunk.error.message ?? 'error'), apiKey)}`, {
              retryable: true,
            });
          }
          if (chunk.usage) usage = chunk.usage;
          if (typeof chunk.model === 'string') responseModel = chunk.model;
          const reason = chunk.choices?.[0]?.finish_reason;
          if (reason) finishReason = reason;
          // The usage-only chunk we asked for on the client's behalf is kept from a client that did not ask.
          if (!clientWantsUsage && chunk.usage && (chunk.choices?.length ?? 0) === 0) continue;
          chunks++;
          yield encoder.encode(event.data);
        }
        if (done) break;
      }
      if (!done && finishReason === null) {
        throw new AisbfError('upstream_stream_broken', `upstream ${candidate.providerId} ended the stream before it was complete`, {
          retryable: true,
        });
      }
      return {
        finishReason,
        usage,
        upstreamFirstByteMs: firstByteMs,
        upstreamTotalMs: performance.now() - started,
        chunks,
        responseModel,
        upstreamStatus: response.statusCode,
      };
    } catch (error) {
      if (error instanceof AisbfError) throw error;
      throw upstreamNetworkError(candidate.providerId, error, signal.aborted && !isTimeout(signal));
    } finally {
      response.body.destroy();
    }
  }

  async listModels(candidate: Candidate, apiKey: string | null, signal: AbortSignal): Promise<Array<{ id: string }>> {
    let response;
    try {
      response = await request(`${candidate.endpoint}/models`, {
        method: 'GET',
        dispatcher: this.dispatcher.forConnectTimeout(candidate.timeouts.connectMs),
        headers: this.headers(apiKey),
        signal,
        headersTimeout: candidate.timeouts.firstByteMs,
        bodyTimeout: candidate.timeouts.idleMs,
      });
    } catch (error) {
      throw upstreamNetworkError(candidate.providerId, error, false);
    }
    if (response.statusCode >= 400) throw await upstreamHttpError(candidate.providerId, response, apiKey);
    const parsed = (await response.body.json().catch(() => null)) as { data?: Array<{ id?: unknown }> } | null;
    if (!parsed || !Array.isArray(parsed.data)) {
      throw new AisbfError('upstream_error', `upstream ${candidate.providerId} returned no model list`, { retryable: true });
    }
    return parsed.data.filter((m) => typeof m.id === 'string').map((m) => ({ id: m.id as string }));
  }
}

function isTimeout(signal: AbortSignal): boolean {
  return (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
}
