import { AisbfError } from '@aisbf/contracts';
import type { Dispatcher } from 'undici';
import { EndpointRefusedError } from './endpoint-guard/guarded-connector';

const MAX_ERROR_BODY = 8 * 1024;

/** Retry-After in seconds (delta or HTTP date), if the upstream sent one. */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/**
 * Google APIs send no Retry-After header on 429; the delay is a `google.rpc.RetryInfo` detail of
 * the error body (`"retryDelay": "17s"`).
 */
export function retryDelayFromBody(text: string): number | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { details?: Array<{ retryDelay?: unknown }> } };
    for (const detail of parsed.error?.details ?? []) {
      const match = typeof detail.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay) : null;
      if (match) return Number(match[1]);
    }
  } catch {
    // not JSON
  }
  return undefined;
}

function upstreamMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message =
      typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message ?? undefined);
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: an HTML error page or plain text
  }
  return text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Removes the provider key from anything the upstream echoed back. */
export function scrub(text: string, apiKey: string | null): string {
  return apiKey ? text.split(apiKey).join('[redacted]') : text;
}

/**
 * Maps an upstream HTTP error to AISBF's typed error. 429, 5xx and the statuses that mean
 * "this candidate cannot serve" (401/403/404/413) are retryable on another candidate; other
 * 4xx are the client's own mistake and are returned as they are.
 */
export async function upstreamHttpError(
  providerId: string,
  response: Dispatcher.ResponseData,
  apiKey: string | null,
): Promise<AisbfError> {
  let text = '';
  try {
    for await (const chunk of response.body) {
      text += chunk.toString();
      if (text.length >= MAX_ERROR_BODY) break;
    }
  } catch {
    // a broken error body still yields the status
  }
  response.body.destroy();
  const status = response.statusCode;
  const detail = scrub(upstreamMessage(text.slice(0, MAX_ERROR_BODY)), apiKey).slice(0, 500);
  const message = `upstream ${providerId} returned HTTP ${status}${detail ? `: ${detail}` : ''}`;
  const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']) ?? retryDelayFromBody(text.slice(0, MAX_ERROR_BODY));
  if (status === 429) {
    return new AisbfError('rate_limit_exceeded', message, { status: 429, retryable: true, retryAfterSeconds, upstreamStatus: status });
  }
  if (status >= 500 || [401, 403, 404, 408, 413].includes(status)) {
    return new AisbfError('upstream_error', message, { status: 502, retryable: true, retryAfterSeconds, upstreamStatus: status });
  }
  return new AisbfError('invalid_request', message, { status: status >= 400 && status < 500 ? status : 502, upstreamStatus: status });
}

/** Maps a failed connection or read to a typed error. */
export function upstreamNetworkError(providerId: string, error: unknown, cancelled: boolean): AisbfError {
  const code = (error as { code?: string }).code ?? (error as { name?: string }).name ?? 'unknown';
  if (cancelled) return new AisbfError('internal_error', 'request cancelled by the client');
  if (error instanceof EndpointRefusedError) {
    // The resolved address is not named: it would tell a user about the operator's network.
    return new AisbfError(
      'endpoint_not_allowed',
      `provider ${providerId}: its endpoint is a ${error.category} address, which providers of ordinary users may not reach ` +
        `(an operator can trust the user, or serve the provider from a pool with CONNECTOR_ALLOW_PRIVATE_ENDPOINTS)`,
      { retryable: true },
    );
  }
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new AisbfError('upstream_timeout', `upstream ${providerId}: connect timed out`, { retryable: true });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new AisbfError('upstream_timeout', `upstream ${providerId}: no response headers in time`, { retryable: true });
    case 'UND_ERR_BODY_TIMEOUT':
      return new AisbfError('upstream_timeout', `upstream ${providerId}: stream stalled`, { retryable: true });
    case 'TimeoutError':
    case 'AbortError':
      return new AisbfError('upstream_timeout', `upstream ${providerId}: request took too long`, { retryable: true });
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'UND_ERR_CLOSED':
      return new AisbfError('upstream_stream_broken', `upstream ${providerId}: connection closed unexpectedly`, { retryable: true });
    default:
      return new AisbfError('upstream_unreachable', `upstream ${providerId} unreachable (${code})`, { retryable: true });
  }
}
