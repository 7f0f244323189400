import { Injectable } from '@nestjs/common';
import { Dispatcher, request } from 'undici';
import { AisbfError, Candidate } from '@aisbf/contracts';
import { withTraceHeaders } from '@aisbf/telemetry';
import { UpstreamDispatcher } from './upstream-dispatcher';
import { upstreamHttpError, upstreamNetworkError } from './upstream-error';

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  signal: AbortSignal;
}

export interface UpstreamResponse {
  response: Dispatcher.ResponseData;
  /** performance.now() when the request was sent, and milliseconds until its response headers. */
  started: number;
  firstByteMs: number;
}

/** A timeout fired, as opposed to the client going away. */
export function isTimeout(signal: AbortSignal): boolean {
  return (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
}

export function wasCancelled(signal: AbortSignal): boolean {
  return signal.aborted && !isTimeout(signal);
}

/**
 * One upstream HTTP call with the provider's timeouts (connect per agent, first byte as the
 * headers timeout, idle as the body timeout, total through the signal), over the pool of
 * connections its candidate may use. HTTP and network failures come back as typed AisbfErrors.
 */
@Injectable()
export class UpstreamHttp {
  constructor(private readonly dispatchers: UpstreamDispatcher) {}

  async send(candidate: Candidate, apiKey: string | null, call: UpstreamRequest): Promise<UpstreamResponse> {
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    try {
      response = await request(call.url, {
        method: call.method,
        dispatcher: this.dispatchers.forCandidate(candidate),
        headers: withTraceHeaders(call.headers),
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: call.signal,
        headersTimeout: candidate.timeouts.firstByteMs,
        bodyTimeout: candidate.timeouts.idleMs,
      });
    } catch (error) {
      throw upstreamNetworkError(candidate.providerId, error, wasCancelled(call.signal));
    }
    if (response.statusCode >= 400) throw await upstreamHttpError(candidate.providerId, response, apiKey);
    return { response, started, firstByteMs: performance.now() - started };
  }

  /** The whole response body as JSON; a body that is not JSON is the upstream's failure. */
  async json(candidate: Candidate, upstream: UpstreamResponse, signal: AbortSignal): Promise<unknown> {
    let text: string;
    try {
      text = await upstream.response.body.text();
    } catch (error) {
      throw upstreamNetworkError(candidate.providerId, error, wasCancelled(signal));
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new AisbfError('upstream_error', `upstream ${candidate.providerId} answered with a body that is not JSON`, { retryable: true });
    }
  }

  /** A GET answered with JSON (model listings). */
  async getJson(candidate: Candidate, apiKey: string | null, url: string, headers: Record<string, string>, signal: AbortSignal): Promise<unknown> {
    const upstream = await this.send(candidate, apiKey, { method: 'GET', url, headers, signal });
    return this.json(candidate, upstream, signal);
  }
}
