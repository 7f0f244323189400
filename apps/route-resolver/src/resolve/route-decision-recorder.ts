import { Injectable } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { AisbfError, parseModelId, RoutePlan, RouteResolveRequest } from '@aisbf/contracts';
import { AISBF_ATTR, AisbfMetrics, GEN_AI } from '@aisbf/telemetry';

const REFUSAL_OUTCOMES: Record<string, string> = {
  model_not_found: 'not_found',
  all_candidates_cooling: 'all_cooling',
};

/** Puts each routing decision on the resolver's span and into aisbf_route_decisions_total. */
@Injectable()
export class RouteDecisionRecorder {
  constructor(private readonly metrics: AisbfMetrics) {}

  planned(plan: RoutePlan): void {
    const first = plan.candidates[0];
    this.metrics.m.routeDecisions.inc({ route_kind: plan.routeKind, provider: first.providerId, outcome: 'planned' });
    trace.getActiveSpan()?.setAttributes({
      [AISBF_ATTR.routeKind]: plan.routeKind,
      [AISBF_ATTR.routeId]: plan.routeId,
      [AISBF_ATTR.candidates]: plan.candidates.length,
      [AISBF_ATTR.candidate]: `${first.providerId}/${first.model}`,
      [GEN_AI.requestModel]: plan.routeId,
    });
  }

  refused(request: RouteResolveRequest, error: AisbfError): void {
    const routeKind = parseModelId(request.model)?.kind ?? 'unknown';
    const outcome = REFUSAL_OUTCOMES[error.code] ?? 'error';
    this.metrics.m.routeDecisions.inc({ route_kind: routeKind, provider: 'none', outcome });
    trace.getActiveSpan()?.setAttributes({ [AISBF_ATTR.routeKind]: routeKind, [AISBF_ATTR.outcome]: outcome });
  }
}
