/**
 * Span attribute names. The gen_ai.* names follow OpenTelemetry's GenAI semantic conventions
 * (semconv 1.37+: gen_ai.provider.name replaced gen_ai.system; we set both so that backends
 * reading either keep working). They are copied here rather than imported from the
 * `incubating` entry point, as the semconv package recommends for unstable names.
 *
 * By default no span carries prompt text, completion text, tool arguments or secrets: only
 * names, ids, counts and decisions.
 */
export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  requestStream: 'gen_ai.request.stream',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
} as const;

/** AISBF's routing attributes. */
export const AISBF_ATTR = {
  routeKind: 'aisbf.route.kind',
  routeId: 'aisbf.route.id',
  requestId: 'aisbf.request.id',
  /** `{providerId}/{model}` of the candidate an attempt went to. */
  candidate: 'aisbf.candidate',
  providerId: 'aisbf.provider.id',
  pool: 'aisbf.connector.pool',
  attempt: 'aisbf.attempt',
  attempts: 'aisbf.attempts',
  failover: 'aisbf.failover',
  candidates: 'aisbf.route.candidates',
  /** The edge answered with a plan it kept from an earlier request instead of asking the resolver. */
  planReused: 'aisbf.route.plan_reused',
  outcome: 'aisbf.outcome',
  errorCode: 'aisbf.error.code',
  ttftMs: 'aisbf.ttft_ms',
  upstreamStatus: 'aisbf.upstream.status_code',
  /** An autoselect route's privacy verdict: `private`, `non-private` or `unclassified`. */
  privacyDecision: 'aisbf.privacy.decision',
  /** The route an autoselect policy chose, and how (local, llm, sticky, fallback...). */
  autoselectSelected: 'aisbf.autoselect.selected',
  autoselectMethod: 'aisbf.autoselect.method',
} as const;

/** gen_ai.provider.name for each AISBF provider type (well-known values where semconv has one). */
const PROVIDER_NAMES: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  ollama: 'ollama',
  demo: 'aisbf.demo',
};

export function genAiProviderName(providerType: string): string {
  return PROVIDER_NAMES[providerType] ?? providerType;
}
