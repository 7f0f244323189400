import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { RouteModelsReply, RouteModelsRequest, SUBJECTS } from '@aisbf/contracts';
import { BusClient } from '@aisbf/bus';
import { AcceptsSession, AuthenticatedRequest, TokenAuthGuard } from '../auth/token-auth.guard';

const MODELS_TIMEOUT_MS = 5_000;

@Controller()
@UseGuards(TokenAuthGuard)
export class ModelsController {
  constructor(private readonly bus: BusClient) {}

  /** OpenAI's list format, plus what AISBF knows of each route. */
  @AcceptsSession()
  @Get(['v1/models', 'api/u/:username/models', 'api/u/:username/v1/models'])
  async list(@Req() request: AuthenticatedRequest) {
    const query: RouteModelsRequest = { username: request.aisbfUser!.username };
    const reply = (await this.bus.request(SUBJECTS.routeModels, query, { timeoutMs: MODELS_TIMEOUT_MS })) as RouteModelsReply;
    return {
      object: 'list',
      data: reply.models.map((model) => ({
        id: model.id,
        object: 'model',
        created: 0,
        owned_by: request.aisbfUser!.username,
        kind: model.kind,
        description: model.description,
        privacy: model.privacy,
        capabilities: model.capabilities,
      })),
    };
  }
}
