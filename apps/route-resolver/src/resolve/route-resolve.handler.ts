import { Injectable, OnModuleInit } from '@nestjs/common';
import { AisbfError, parseModelId, RouteModelsReply, routeExplainRequestSchema, routeModelsRequestSchema, RouteResolveRequest, routeResolveRequestSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { routeCatalog } from '@aisbf/routing';
import { PlanBuilderService } from './plan-builder.service';
import { AutoselectService } from '../autoselect/autoselect.service';
import { RouteDecisionRecorder } from './route-decision-recorder';

@Injectable()
export class RouteResolveHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    private readonly plans: PlanBuilderService,
    private readonly autoselect: AutoselectService,
    private readonly decisions: RouteDecisionRecorder,
  ) {}

  onModuleInit(): void {
    this.bus.onRequest(SUBJECTS.routeResolve, routeResolveRequestSchema, (request) => this.resolve(request));
    this.bus.onRequest(SUBJECTS.routeExplain, routeExplainRequestSchema, (request) => {
      const id = parseModelId(request.model);
      return id?.kind === 'autoselect' ? this.autoselect.explain(request, id.name) : this.plans.explain(request);
    });
    this.bus.onRequest(SUBJECTS.routeModels, routeModelsRequestSchema, async (request): Promise<RouteModelsReply> => {
      return { models: routeCatalog(await this.plans.userConfig(request.username)) };
    });
  }

  private async resolve(request: RouteResolveRequest) {
    try {
      const id = parseModelId(request.model);
      // A policy classifies and chooses, then plans its choice through the plan builder.
      const plan = id?.kind === 'autoselect' ? await this.autoselect.plan(request, id.name) : await this.plans.build(request);
      this.decisions.planned(plan);
      return plan;
    } catch (error) {
      this.decisions.refused(request, AisbfError.from(error));
      throw error;
    }
  }
}
