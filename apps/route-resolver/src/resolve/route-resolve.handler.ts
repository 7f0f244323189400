import { Injectable, OnModuleInit } from '@nestjs/common';
import { parseModelId, RouteModelsReply, routeExplainRequestSchema, routeModelsRequestSchema, routeResolveRequestSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { routeCatalog } from '@aisbf/routing';
import { PlanBuilderService } from './plan-builder.service';
import { AutoselectService } from '../autoselect/autoselect.service';

@Injectable()
export class RouteResolveHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    private readonly plans: PlanBuilderService,
    private readonly autoselect: AutoselectService,
  ) {}

  onModuleInit(): void {
    this.bus.onRequest(SUBJECTS.routeResolve, routeResolveRequestSchema, (request) => {
      const id = parseModelId(request.model);
      // A policy classifies and chooses, then plans its choice through the plan builder.
      return id?.kind === 'autoselect' ? this.autoselect.plan(request, id.name) : this.plans.build(request);
    });
    this.bus.onRequest(SUBJECTS.routeExplain, routeExplainRequestSchema, (request) => {
      const id = parseModelId(request.model);
      return id?.kind === 'autoselect' ? this.autoselect.explain(request, id.name) : this.plans.explain(request);
    });
    this.bus.onRequest(SUBJECTS.routeModels, routeModelsRequestSchema, async (request): Promise<RouteModelsReply> => {
      return { models: routeCatalog(await this.plans.userConfig(request.username)) };
    });
  }
}
