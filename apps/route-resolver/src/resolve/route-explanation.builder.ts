import type { CandidateExplanation, CandidateStats, RouteExplanation, RouteResolveRequest } from '@aisbf/contracts';
import { candidateKey, CandidateStatsSummary, CircuitState, CooldownPolicy, leafCapabilities, leafIsPrivate } from '@aisbf/routing';
import type { Planning } from './plan-builder.service';

export interface ExplanationInput {
  request: RouteResolveRequest;
  requirePrivate: boolean;
  planning: Planning;
  stats: Map<string, CandidateStatsSummary>;
  stateStore: string;
  policy: CooldownPolicy;
  now: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function statsDocument(summary: CandidateStatsSummary | undefined): CandidateStats | null {
  if (!summary) return null;
  return {
    window_seconds: summary.windowSeconds,
    requests: summary.requests,
    successes: summary.successes,
    failures: summary.failures,
    other_errors: summary.otherErrors,
    success_rate: summary.successRate,
    avg_latency_ms: summary.avgLatencyMs,
    avg_ttft_ms: summary.avgTtftMs,
    last_success_at: iso(summary.lastSuccessAt),
    last_failure: summary.lastFailure
      ? { at: iso(summary.lastFailure.at)!, status: summary.lastFailure.status, code: summary.lastFailure.code }
      : null,
  };
}

function cooldownDocument(circuit: CircuitState | null, now: number): CandidateExplanation['cooldown'] {
  if (!circuit) return null;
  return {
    until: iso(circuit.openUntil)!,
    remaining_seconds: Math.max(0, Math.round((circuit.openUntil - now) / 100) / 10),
    level: circuit.level,
    status: circuit.status,
    code: circuit.code,
  };
}

/** The document /route/explain returns: the plan a request would get now, and why. */
export function buildRouteExplanation(input: ExplanationInput): RouteExplanation {
  const { planning, request, now, policy } = input;
  const limit = request.maxCandidates;
  const beyondLimit = (position: number | null) => position !== null && limit !== undefined && position > limit;
  const explanation = [...planning.explanation];
  let candidates: CandidateExplanation[];
  let plan: RouteExplanation['plan'];
  let picks: RouteExplanation['picks'] = [];
  let strategy: RouteExplanation['strategy'] = null;

  if (planning.rotation) {
    const { tree, result } = planning.rotation;
    strategy = tree.strategy;
    candidates = result.verdicts.map((verdict) => {
      const leaf = verdict.leaf;
      return {
        provider_id: leaf.providerId,
        model: leaf.model,
        rotation_path: leaf.path,
        weight: leaf.weight,
        share: Math.round(verdict.share * 10_000) / 10_000,
        error_cooldown_seconds: leaf.errorCooldownSeconds ?? policy.defaultCooldownSeconds,
        status: verdict.status,
        position: verdict.position,
        reason: beyondLimit(verdict.position) ? `${verdict.reason}; beyond the ${limit} attempts a request makes` : verdict.reason,
        probe: verdict.probe,
        private: leafIsPrivate(leaf),
        capabilities: leafCapabilities(leaf),
        cooldown: cooldownDocument(verdict.circuit, now),
        stats: statsDocument(input.stats.get(candidateKey(leaf.providerId, leaf.model))),
      };
    });
    plan = result.candidates.slice(0, limit).map((leaf, index) => ({
      position: index + 1,
      provider_id: leaf.providerId,
      model: leaf.model,
      probe: result.verdicts.some((v) => v.position === index + 1 && v.probe),
    }));
    picks = result.picks.map((pick) => ({
      rotation: pick.rotation,
      strategy: pick.strategy,
      request_number: pick.sequence,
      point: pick.point === null ? null : Math.round(pick.point * 1e6) / 1e6,
      options: pick.options,
      chosen: pick.chosen,
    }));
    if (limit !== undefined && result.candidates.length > limit) {
      explanation.push(`a request makes at most ${limit} attempts: candidates after position ${limit} are not tried`);
    }
  } else {
    const direct = planning.direct!;
    const compiled = direct.provider.models.get(direct.model);
    const allowed = planning.failure === null;
    candidates = [
      {
        provider_id: direct.provider.id,
        model: direct.model,
        rotation_path: [],
        weight: 1,
        share: 1,
        error_cooldown_seconds: policy.defaultCooldownSeconds,
        status: allowed ? 'selected' : 'filtered_privacy',
        position: allowed ? 1 : null,
        reason: allowed ? 'direct provider route: always tried, whatever its cooldown (cooldowns steer rotations)' : planning.failure!.message,
        probe: false,
        private: direct.provider.private,
        capabilities: compiled && compiled.capabilities.length > 0 ? compiled.capabilities : null,
        cooldown: cooldownDocument(direct.circuit, now),
        stats: statsDocument(input.stats.get(candidateKey(direct.provider.id, direct.model))),
      },
    ];
    plan = allowed ? [{ position: 1, provider_id: direct.provider.id, model: direct.model, probe: false }] : [];
  }

  return {
    route: request.model,
    kind: planning.routeKind,
    strategy,
    hints: request.hints,
    require_private: input.requirePrivate,
    state_store: input.stateStore,
    plan,
    candidates,
    picks,
    explanation,
    error: planning.failure ? planning.failure.toPayload() : null,
  };
}
