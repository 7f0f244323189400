import { Injectable, OnModuleInit } from '@nestjs/common';
import { RouteModelsReply, routeExplainRequestSchema, routeModelsRequestSchema, routeResolveRequestSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { routeCatalog } from '@aisbf/routing';
import { PlanBuilderService } from './plan-builder.service';

@Injectable()
export class RouteResolveHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    private readonly plans: PlanBuilderService,
  ) {}

  onModuleInit(): void {
    this.bus.onRequest(SUBJECTS.routeResolve, routeResolveRequestSchema, (request) => this.plans.build(request));
    this.bus.onRequest(SUBJECTS.routeExplain, routeExplainRequestSchema, (request) => this.plans.explain(request));
    this.bus.onRequest(SUBJECTS.routeModels, routeModelsRequestSchema, async (request): Promise<RouteModelsReply> => {
      return { models: routeCatalog(await this.plans.userConfig(request.username)) };
    });
  }
}
