import { Injectable, OnModuleInit } from '@nestjs/common';
import { AisbfError, RouteProviderReply, routeProviderRequestSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { candidateFor, PlanBuilderService } from '../resolve/plan-builder.service';

/**
 * aisbf.route.provider: the candidate of one of a user's providers, so the edge can ask its pool
 * for the upstream's model list (the dashboard's "test model listing") without calling chat.
 */
@Injectable()
export class ProviderCandidateHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    private readonly plans: PlanBuilderService,
  ) {}

  onModuleInit(): void {
    this.bus.onRequest(SUBJECTS.routeProvider, routeProviderRequestSchema, async ({ username, providerId }): Promise<RouteProviderReply> => {
      const config = await this.plans.userConfig(username);
      const provider = config.providers.get(providerId);
      if (!provider) throw new AisbfError('not_found', `provider '${providerId}' does not exist`, { param: 'provider' });
      const models = [...provider.models.keys()];
      return { candidate: candidateFor(config, provider, models[0]), models };
    });
  }
}
