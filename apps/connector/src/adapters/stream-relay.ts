import { AisbfError, Candidate, ChatEnd, Usage } from '@aisbf/contracts';
import {
  ChatCompletionRequest,
  chatCompletionRequestSchema,
  EmbeddingsRequest,
  embeddingsRequestSchema,
  NdjsonDecoder,
  OpenAiChatCompletionChunk,
  parseRequestBody,
  SseDecoder,
  StreamTranslator,
  UpstreamReportedError,
} from '@aisbf/llm-wire';
import { UpstreamResponse, wasCancelled } from '../upstream/upstream-http';
import { scrub, upstreamNetworkError } from '../upstream/upstream-error';

const encoder = new TextEncoder();

/** Splits a response body into events: SSE `data` payloads, or NDJSON lines. */
export interface EventDecoder {
  push(bytes: Uint8Array): string[];
  end(): string[];
}

export function sseEvents(): EventDecoder {
  const decoder = new SseDecoder();
  return { push: (bytes) => decoder.push(bytes).map((e) => e.data), end: () => decoder.end().map((e) => e.data) };
}

export function ndjsonLines(): EventDecoder {
  return new NdjsonDecoder();
}

/** The edge validated the body; translating adapters check its shape again before reading it. */
export function chatRequestOf(body: Record<string, unknown>): ChatCompletionRequest {
  return parseRequestBody(chatCompletionRequestSchema, body);
}

export function embeddingsRequestOf(body: Record<string, unknown>): EmbeddingsRequest {
  return parseRequestBody(embeddingsRequestSchema, body);
}

export function clientWantsUsage(body: Record<string, unknown>): boolean {
  return (body.stream_options as { include_usage?: boolean } | null | undefined)?.include_usage === true;
}

function streamFailure(candidate: Candidate, error: unknown, apiKey: string | null, signal: AbortSignal): AisbfError {
  if (error instanceof AisbfError) return error;
  if (error instanceof UpstreamReportedError) {
    return new AisbfError('upstream_error', `upstream ${candidate.providerId} failed mid-stream: ${scrub(error.detail, apiKey).slice(0, 500)}`, {
      retryable: true,
    });
  }
  if (error instanceof SyntaxError) {
    return new AisbfError('upstream_stream_broken', `upstream ${candidate.providerId} sent a malformed stream event`, { retryable: true });
  }
  return upstreamNetworkError(candidate.providerId, error, wasCancelled(signal));
}

function encode(output: OpenAiChatCompletionChunk | string): Uint8Array {
  return encoder.encode(typeof output === 'string' ? output : JSON.stringify(output));
}

/**
 * Relays a backend's stream as OpenAI chunks, one as soon as each backend event arrives. A stream
 * that ends before the backend said it was complete is an error, never a silent truncation.
 */
export async function* relayStream(
  candidate: Candidate,
  apiKey: string | null,
  signal: AbortSignal,
  upstream: UpstreamResponse,
  decoder: EventDecoder,
  translator: StreamTranslator,
): AsyncGenerator<Uint8Array, ChatEnd, undefined> {
  let chunks = 0;
  let responseModel: string | null = null;
  try {
    // A proxy or login page in front of the backend answers 200 with HTML: say so, not "malformed event".
    if (/^\s*text\/html\b/i.test(String(upstream.response.headers['content-type'] ?? ''))) {
      throw malformedAnswer(candidate, 'an HTML page (content-type text/html) instead of a stream');
    }
    for await (const bytes of upstream.response.body as AsyncIterable<Uint8Array>) {
      for (const data of decoder.push(bytes)) {
        for (const output of translator.push(data)) {
          chunks++;
          if (typeof output !== 'string' && output.model) responseModel = output.model;
          yield encode(output);
        }
      }
    }
    for (const data of decoder.end()) for (const output of translator.push(data)) yield encode(output);
    const tail = translator.finish();
    if (!translator.complete) {
      throw new AisbfError('upstream_stream_broken', `upstream ${candidate.providerId} ended the stream before it was complete`, {
        retryable: true,
      });
    }
    for (const output of tail) {
      chunks++;
      yield encode(output);
    }
    return {
      finishReason: translator.finishReason,
      usage: translator.usage,
      upstreamFirstByteMs: upstream.firstByteMs,
      upstreamTotalMs: performance.now() - upstream.started,
      chunks,
      responseModel: translator.responseModel ?? responseModel,
      upstreamStatus: upstream.response.statusCode,
    };
  } catch (error) {
    throw streamFailure(candidate, error, apiKey, signal);
  } finally {
    upstream.response.body.destroy();
  }
}

/** One whole (non-streamed) completion as the only frame. */
export function* completionFrame(
  completion: { model?: unknown; choices?: Array<{ finish_reason?: string | null }>; usage?: Usage | null },
  upstream: UpstreamResponse,
): Generator<Uint8Array, ChatEnd, undefined> {
  yield encoder.encode(JSON.stringify(completion));
  return {
    finishReason: completion.choices?.[0]?.finish_reason ?? null,
    usage: completion.usage ?? null,
    upstreamFirstByteMs: upstream.firstByteMs,
    upstreamTotalMs: performance.now() - upstream.started,
    chunks: 1,
    responseModel: typeof completion.model === 'string' ? completion.model : null,
    upstreamStatus: upstream.response.statusCode,
  };
}

export function jsonBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** A backend answered 200 with something that is not what its wire promises. */
export function malformedAnswer(candidate: Candidate, what: string): AisbfError {
  return new AisbfError('upstream_error', `upstream ${candidate.providerId} returned ${what}`, { retryable: true });
}
