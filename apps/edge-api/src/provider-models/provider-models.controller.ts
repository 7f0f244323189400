import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import { ConnectorModelsReply, ConnectorModelsRequest, RouteProviderReply, RouteProviderRequest, SUBJECTS } from '@aisbf/contracts';
import { BusClient } from '@aisbf/bus';
import { AuthenticatedRequest, TokenAuthGuard } from '../auth/token-auth.guard';

const RESOLVE_TIMEOUT_MS = 5_000;
/** The connector gives the upstream 15 s; the edge waits a little longer so the connector's error arrives. */
const LISTING_TIMEOUT_MS = 20_000;

/**
 * "Test model listing": asks one of the user's providers, through its connector pool, for the
 * models its backend serves, in OpenAI's list format. `configured` says whether chat accepts the
 * model as `route_id` today (it is listed in the provider's `models`).
 */
@Controller()
@UseGuards(TokenAuthGuard)
export class ProviderModelsController {
  constructor(private readonly bus: BusClient) {}

  @Get(['api/u/:username/providers/:providerId/models', 'v1/providers/:providerId/models'])
  async list(@Req() request: AuthenticatedRequest, @Param('providerId') providerId: string) {
    const query: RouteProviderRequest = { username: request.aisbfUser!.username, providerId };
    const provider = (await this.bus.request(SUBJECTS.routeProvider, query, { timeoutMs: RESOLVE_TIMEOUT_MS })) as RouteProviderReply;
    const listing: ConnectorModelsRequest = { candidate: provider.candidate };
    const reply = (await this.bus.request(SUBJECTS.connectorModels(provider.candidate.pool), listing, {
      timeoutMs: LISTING_TIMEOUT_MS,
    })) as ConnectorModelsReply;
    const configured = new Set(provider.models);
    return {
      object: 'list',
      data: reply.models.map((model) => ({
        id: model.id,
        object: 'model',
        created: 0,
        owned_by: providerId,
        route_id: `user-provider/${providerId}/${model.id}`,
        configured: configured.has(model.id),
      })),
    };
  }
}
