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
import { encodeJson, encodeText, type StreamChunks } from '@aisbf/bus';
import { UpstreamResponse, wasCancelled } from '../upstream/upstream-http';
import { scrub, upstreamNetworkError } from '../upstream/upstream-error';

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
  return typeof output === 'string' ? encodeText(output) : encodeJson(output);
}

/** The events of each read of the body, then those the decoder held back until the end. */
async function* eventsPerRead(body: AsyncIterable<Uint8Array>, decoder: EventDecoder): AsyncGenerator<string[]> {
  for await (const bytes of body) yield decoder.push(bytes);
  yield decoder.end();
}

/**
 * One read's events as encoded chunks. A bad event ends the batch: the good ones before it still
 * reach the client, as they would one by one, and the failure is thrown after them.
 */
function translateEvents(events: string[], translator: StreamTranslator): { batch: Uint8Array[]; model: string | null; failure: unknown } {
  const batch: Uint8Array[] = [];
  let model: string | null = null;
  try {
    for (const data of events) {
      for (const output of translator.push(data)) {
        if (typeof output !== 'string' && output.model) model = output.model;
        batch.push(encode(output));
      }
    }
    return { batch, model, failure: null };
  } catch (error) {
    return { batch, model, failure: error };
  }
}

/**
 * Relays a backend's stream as OpenAI chunks as soon as each backend read arrives: the chunks of
 * one read go on together. A stream that ends before the backend said it was complete is an
 * error, never a silent truncation.
 */
export async function* relayStream(
  candidate: Candidate,
  apiKey: string | null,
  signal: AbortSignal,
  upstream: UpstreamResponse,
  decoder: EventDecoder,
  translator: StreamTranslator,
): AsyncGenerator<StreamChunks, ChatEnd, undefined> {
  let chunks = 0;
  // Translators that do not report the backend's model name carry it in their chunks.
  let responseModel: string | null = null;
  try {
    // A proxy or login page in front of the backend answers 200 with HTML: say so, not "malformed event".
    if (/^\s*text\/html\b/i.test(String(upstream.response.headers['content-type'] ?? ''))) {
      throw malformedAnswer(candidate, 'an HTML page (content-type text/html) instead of a stream');
    }
    for await (const events of eventsPerRead(upstream.response.body as AsyncIterable<Uint8Array>, decoder)) {
      const { batch, model, failure } = translateEvents(events, translator);
      responseModel = model ?? responseModel;
      chunks += batch.length;
      if (batch.length > 0) yield batch;
      if (failure !== null) throw failure;
    }
    const tail = translator.finish();
    if (!translator.complete) {
      throw new AisbfError('upstream_stream_broken', `upstream ${candidate.providerId} ended the stream before it was complete`, {
        retryable: true,
      });
    }
    chunks += tail.length;
    if (tail.length > 0) yield tail.map(encode);
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
  yield encodeJson(completion);
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

/** A backend answered 200 with something that is not what its wire promises. */
export function malformedAnswer(candidate: Candidate, what: string): AisbfError {
  return new AisbfError('upstream_error', `upstream ${candidate.providerId} returned ${what}`, { retryable: true });
}
