import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus metric AISBF exposes, in one place. Conventions: `aisbf_` prefix, base units
 * (`_seconds`), `_total` on counters, labels of low cardinality only (route kind, provider id,
 * outcome, error code, subject). Never a user id, a token, a model id typed by a client, or text.
 *
 * Where OpenTelemetry's GenAI semantic conventions name a measure, the metric keeps its meaning,
 * its unit and its bucket boundaries, with the dots turned into underscores:
 *   gen_ai.server.request.duration          -> aisbf_gen_ai_server_request_duration_seconds
 *   gen_ai.server.time_to_first_token       -> aisbf_gen_ai_server_time_to_first_token_seconds
 *   gen_ai.server.time_per_output_token     -> aisbf_gen_ai_server_time_per_output_token_seconds
 *   gen_ai.client.token.usage               -> aisbf_gen_ai_client_token_usage (token_type=input|output)
 *   gen_ai.client.operation.duration        -> aisbf_gen_ai_client_operation_duration_seconds (upstream calls)
 *   gen_ai.client.operation.time_to_first_chunk -> aisbf_gen_ai_client_operation_time_to_first_chunk_seconds
 */

/** gen_ai.server.request.duration and gen_ai.client.operation.duration boundaries. */
export const GEN_AI_DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
/** gen_ai.server.time_to_first_token boundaries. */
export const GEN_AI_TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** gen_ai.server.time_per_output_token boundaries. */
export const GEN_AI_TPOT_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5];
/** gen_ai.client.token.usage boundaries. */
export const GEN_AI_TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
/** Work AISBF does itself: bus round trips, classification, its own overhead. */
export const INTERNAL_LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type RouteKindLabel = 'provider' | 'rotation' | 'autoselect' | 'unknown';

function definitions(registers: Registry[]) {
  return {
    // ── edge-api: what clients see ───────────────────────────────────────────────────────────
    httpServerRequestDuration: new Histogram({
      name: 'aisbf_http_server_request_duration_seconds',
      help: 'HTTP requests served by the edge, by method, route template and status code (all endpoints, failed authentication included).',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: GEN_AI_DURATION_BUCKETS,
      registers,
    }),
    bodyBytesInFlight: new Gauge({
      name: 'aisbf_http_request_body_bytes_in_flight',
      help: 'Request body bytes the edge holds right now (declared lengths; a chunked body counts as AISBF_MAX_BODY_BYTES), against AISBF_MAX_INFLIGHT_BODY_BYTES.',
      registers,
    }),
    bodyBudgetRejections: new Counter({
      name: 'aisbf_http_body_budget_rejections_total',
      help: 'Requests answered 503 server_busy because their body did not fit in AISBF_MAX_INFLIGHT_BODY_BYTES.',
      registers,
    }),
    requests: new Counter({
      name: 'aisbf_requests_total',
      help: 'Chat completion requests finished, by route kind, the provider that answered or last failed ("none" before any attempt) and outcome (ok; error: AISBF or a backend failed; client_error: the request was wrong; cancelled: the client went away).',
      labelNames: ['route_kind', 'provider', 'outcome'] as const,
      registers,
    }),
    requestErrors: new Counter({
      name: 'aisbf_request_errors_total',
      help: 'Chat completion requests that ended in an error, by route kind and AISBF error code.',
      labelNames: ['route_kind', 'code'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'aisbf_gen_ai_server_request_duration_seconds',
      help: 'Chat completion duration seen by the client, all attempts included (gen_ai.server.request.duration).',
      labelNames: ['route_kind', 'provider', 'outcome'] as const,
      buckets: GEN_AI_DURATION_BUCKETS,
      registers,
    }),
    timeToFirstToken: new Histogram({
      name: 'aisbf_gen_ai_server_time_to_first_token_seconds',
      help: 'Time from receiving a streamed chat request to sending its first chunk, for successful streams (gen_ai.server.time_to_first_token).',
      labelNames: ['route_kind', 'provider'] as const,
      buckets: GEN_AI_TTFT_BUCKETS,
      registers,
    }),
    timePerOutputToken: new Histogram({
      name: 'aisbf_gen_ai_server_time_per_output_token_seconds',
      help: 'Time per output token after the first, for successful streams that report usage (gen_ai.server.time_per_output_token).',
      labelNames: ['route_kind', 'provider'] as const,
      buckets: GEN_AI_TPOT_BUCKETS,
      registers,
    }),
    gatewayOverhead: new Histogram({
      name: 'aisbf_gateway_overhead_seconds',
      help: 'Time AISBF added to a successful request: its total duration minus the upstream call time the connector measured, failed attempts excluded.',
      labelNames: ['route_kind'] as const,
      buckets: INTERNAL_LATENCY_BUCKETS,
      registers,
    }),
    tokenUsage: new Histogram({
      name: 'aisbf_gen_ai_client_token_usage',
      help: 'Tokens per successful request as reported by the backend, token_type input or output (gen_ai.client.token.usage).',
      labelNames: ['route_kind', 'provider', 'token_type'] as const,
      buckets: GEN_AI_TOKEN_BUCKETS,
      registers,
    }),
    activeStreams: new Gauge({
      name: 'aisbf_active_streams',
      help: 'Streamed chat requests being relayed right now.',
      labelNames: ['route_kind'] as const,
      registers,
    }),
    failovers: new Counter({
      name: 'aisbf_failovers_total',
      help: 'Times a request moved on to its next candidate, by route kind, the provider that failed and the reason (AISBF error code).',
      labelNames: ['route_kind', 'provider', 'reason'] as const,
      registers,
    }),

    // ── route-resolver ───────────────────────────────────────────────────────────────────────
    routeDecisions: new Counter({
      name: 'aisbf_route_decisions_total',
      help: 'Route plans, by route kind, the first candidate provider (or "none") and outcome: planned, not_found, all_cooling or error by the resolver; reused by an edge that kept a plan of the same route.',
      labelNames: ['route_kind', 'provider', 'outcome'] as const,
      registers,
    }),
    cooldownsOpen: new Gauge({
      name: 'aisbf_cooldowns_open',
      help: 'Candidates cooling down now, by provider, as opened or extended by this resolver replica (sum over replicas; a cooldown two replicas extended may count twice until the earlier end).',
      labelNames: ['provider'] as const,
      registers,
    }),
    cooldownsStarted: new Counter({
      name: 'aisbf_cooldowns_started_total',
      help: 'Cooldowns opened (or re-opened after a failed probe) after candidate errors, by provider.',
      labelNames: ['provider'] as const,
      registers,
    }),

    // ── classifier ───────────────────────────────────────────────────────────────────────────
    classifierDecisions: new Counter({
      name: 'aisbf_classifier_decisions_total',
      help: 'Classifications made, by kind (privacy, selection), decision (private/public, or selected/fallback) and method.',
      labelNames: ['kind', 'decision', 'method'] as const,
      registers,
    }),
    classifierDuration: new Histogram({
      name: 'aisbf_classifier_duration_seconds',
      help: 'Time to classify one request, by kind and method.',
      labelNames: ['kind', 'method'] as const,
      buckets: INTERNAL_LATENCY_BUCKETS,
      registers,
    }),

    // ── connector: upstream calls ────────────────────────────────────────────────────────────
    upstreamRequests: new Counter({
      name: 'aisbf_upstream_requests_total',
      help: 'Calls to backends, by provider, upstream HTTP status ("none" when no response arrived) and outcome (ok or AISBF error code).',
      labelNames: ['provider', 'status_code', 'outcome'] as const,
      registers,
    }),
    upstreamDuration: new Histogram({
      name: 'aisbf_gen_ai_client_operation_duration_seconds',
      help: 'Duration of a call to a backend, from sending it to its last byte or its failure (gen_ai.client.operation.duration).',
      labelNames: ['provider', 'status_code'] as const,
      buckets: GEN_AI_DURATION_BUCKETS,
      registers,
    }),
    upstreamTimeToFirstChunk: new Histogram({
      name: 'aisbf_gen_ai_client_operation_time_to_first_chunk_seconds',
      help: 'Time from sending a call to a backend to its first response byte (gen_ai.client.operation.time_to_first_chunk).',
      labelNames: ['provider'] as const,
      buckets: GEN_AI_TTFT_BUCKETS,
      registers,
    }),
    upstreamActive: new Gauge({
      name: 'aisbf_upstream_active_requests',
      help: 'Calls to backends in progress right now, by provider.',
      labelNames: ['provider'] as const,
      registers,
    }),

    // ── every service ────────────────────────────────────────────────────────────────────────
    busRequestDuration: new Histogram({
      name: 'aisbf_bus_request_duration_seconds',
      help: 'Request/reply round trips on the bus, by subject (namespace removed) and outcome (ok, error, timeout, no_responders).',
      labelNames: ['subject', 'outcome'] as const,
      buckets: INTERNAL_LATENCY_BUCKETS,
      registers,
    }),
    dependencyUp: new Gauge({
      name: 'aisbf_dependency_up',
      help: 'Readiness checks at scrape time: 1 when the dependency (bus, database, redis, ...) is reachable, 0 when not.',
      labelNames: ['dependency'] as const,
      registers,
    }),
    buildInfo: new Gauge({
      name: 'aisbf_build_info',
      help: 'Always 1; labels name the running version and Node.js version.',
      labelNames: ['version', 'nodejs_version'] as const,
      registers,
    }),
  };
}

export type AisbfMetricSet = ReturnType<typeof definitions>;

/** Creates every metric in `registry` (used once per process, and by tests on their own registry). */
export function defineAisbfMetrics(registry: Registry): AisbfMetricSet {
  return definitions([registry]);
}
