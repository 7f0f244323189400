/**
 * Error codes that cross the bus and reach clients. Each maps to one HTTP status and
 * one OpenAI error `type`, decided here so every service agrees.
 */
export const ERROR_CODES = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  invalid_api_key: { status: 401, type: 'authentication_error' },
  permission_denied: { status: 403, type: 'permission_error' },
  /** A private request whose policy has no private route: refused rather than sent elsewhere. */
  no_private_route: { status: 403, type: 'permission_error' },
  /** A provider endpoint resolving to a loopback/private/link-local/metadata address, refused by the SSRF guard. */
  endpoint_not_allowed: { status: 403, type: 'permission_error' },
  model_not_found: { status: 404, type: 'invalid_request_error' },
  /** No candidate of the route has what the request needs (a capability, privacy). */
  no_eligible_candidate: { status: 400, type: 'invalid_request_error' },
  not_found: { status: 404, type: 'invalid_request_error' },
  payload_too_large: { status: 413, type: 'invalid_request_error' },
  unprocessable_config: { status: 422, type: 'invalid_request_error' },
  conflict: { status: 409, type: 'invalid_request_error' },
  rate_limit_exceeded: { status: 429, type: 'rate_limit_error' },
  upstream_error: { status: 502, type: 'upstream_error' },
  upstream_unreachable: { status: 502, type: 'upstream_error' },
  upstream_stream_broken: { status: 502, type: 'upstream_error' },
  upstream_timeout: { status: 504, type: 'upstream_error' },
  service_unavailable: { status: 503, type: 'service_unavailable' },
  all_candidates_cooling: { status: 503, type: 'service_unavailable' },
  /** This edge replica holds as many request bodies as its memory allows: retry shortly. */
  server_busy: { status: 503, type: 'service_unavailable' },
  gateway_timeout: { status: 504, type: 'timeout_error' },
  internal_error: { status: 500, type: 'server_error' },
} as const satisfies Record<string, { status: number; type: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
