import { Injectable, OnModuleInit } from '@nestjs/common';
import { AisbfError, RouteModelsReply, routeModelsRequestSchema, RouteResolveRequest, routeResolveRequestSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { routeCatalog } from '@aisbf/routing';
import { PlanBuilderService } from './plan-builder.service';
import { RouteDecisionRecorder } from './route-decision-recorder';

@Injectable()
export class RouteResolveHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    private readonly plans: PlanBuilderService,
    private readonly decisions: RouteDecisionRecorder,
  ) {}

  onModuleInit(): void {
    this.bus.onRequest(SUBJECTS.routeResolve, routeResolveRequestSchema, (request) => this.resolve(request));
    this.bus.onRequest(SUBJECTS.routeModels, routeModelsRequestSchema, async (request): Promise<RouteModelsReply> => {
      return { models: routeCatalog(await this.plans.userConfig(request.username)) };
    });
  }

  private async resolve(request: RouteResolveRequest) {
    try {
      const plan = await this.plans.build(request);
      this.decisions.planned(plan);
      return plan;
    } catch (error) {
      this.decisions.refused(request, AisbfError.from(error));
      throw error;
    }
  }
}
