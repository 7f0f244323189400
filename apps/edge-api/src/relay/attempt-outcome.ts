import type { AisbfError, Candidate, RouteOutcome } from '@aisbf/contracts';

export interface AttemptResult {
  requestId: string;
  username: string;
  routeId: string;
  candidate: Candidate;
  attempt: number;
  error: AisbfError | null;
  latencyMs: number;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
}

/** The aisbf.route.outcome event of one attempt: the upstream's own status when it failed upstream. */
export function attemptOutcome(result: AttemptResult): RouteOutcome {
  const { error, candidate } = result;
  return {
    requestId: result.requestId,
    username: result.username,
    routeId: result.routeId,
    providerId: candidate.providerId,
    model: candidate.model,
    attempt: result.attempt,
    ok: error === null,
    status: error ? (error.upstreamStatus ?? error.status) : 200,
    code: error ? error.code : null,
    retryable: error?.retryable ?? false,
    retryAfterSeconds: error?.retryAfterSeconds,
    errorCooldownSeconds: candidate.errorCooldownSeconds,
    latencyMs: result.latencyMs,
    ttftMs: result.ttftMs,
    promptTokens: result.promptTokens,
    completionTokens: result.completionTokens,
  };
}
