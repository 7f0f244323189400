import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { configChangedSchema, RoutePlan, RouteResolveRequest, SUBJECTS } from '@aisbf/contracts';
import { BusClient, BusServer } from '@aisbf/bus';
import { AisbfMetrics } from '@aisbf/telemetry';
import { EDGE_ENV, type EdgeEnv } from '../config/edge-env';
import { PlanSource, ReusablePlans } from './reusable-plans';

export interface ResolvedPlan {
  plan: RoutePlan;
  source: PlanSource;
}

/**
 * The edge's way to a route plan: the resolver's answer, or the same answer kept from an earlier
 * request when the resolver marked it reusable. A reused plan saves a bus round trip on every
 * request of a direct provider route.
 */
@Injectable()
export class RoutePlanClient implements OnModuleInit {
  private readonly reusable = new ReusablePlans();

  constructor(
    private readonly bus: BusClient,
    private readonly server: BusServer,
    private readonly metrics: AisbfMetrics,
    @Inject(EDGE_ENV) private readonly env: Pick<EdgeEnv, 'AISBF_RESOLVE_TIMEOUT_MS'>,
  ) {}

  onModuleInit(): void {
    this.server.onEvent(SUBJECTS.configChanged, configChangedSchema, (change) => this.reusable.drop(change), { broadcast: true });
  }

  async resolve(question: RouteResolveRequest): Promise<ResolvedPlan> {
    const key = ReusablePlans.key(question);
    // A question that carries the conversation is a policy's to classify: never answered from memory.
    const kept = question.messages ? undefined : this.reusable.get(key);
    if (kept) {
      this.metrics.m.routeDecisions.inc({ route_kind: kept.routeKind, provider: kept.candidates[0].providerId, outcome: 'reused' });
      return { plan: kept, source: 'reused' };
    }
    const generation = this.reusable.mark();
    const plan = (await this.bus.request(SUBJECTS.routeResolve, question, { timeoutMs: this.env.AISBF_RESOLVE_TIMEOUT_MS })) as RoutePlan;
    if (!question.messages) this.reusable.keep(key, plan, generation);
    return { plan, source: 'resolver' };
  }
}
