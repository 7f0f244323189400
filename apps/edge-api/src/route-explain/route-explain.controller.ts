import { Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { AcceptsSession, AuthenticatedRequest, TokenAuthGuard } from '../auth/token-auth.guard';
import { parseChatBody } from '../chat/chat-body';
import { ChatRelayService } from '../chat/chat-relay.service';
import { EDGE_ENV, EdgeEnv } from '../config/edge-env';

/**
 * Debugging route choices: takes the body a chat call would send and answers with the plan it
 * would get now (first choice, failover order, why each candidate is where it is, cooldowns and
 * statistics), without calling any backend or changing any state.
 */
@Controller()
@UseGuards(TokenAuthGuard)
export class RouteExplainController {
  constructor(
    private readonly relay: ChatRelayService,
    @Inject(EDGE_ENV) private readonly env: EdgeEnv,
  ) {}

  // The dashboard's route debugger and live cooldown view call it with their session (and CSRF token).
  @AcceptsSession()
  @Post(['v1/route/explain', 'api/u/:username/route/explain', 'api/u/:username/v1/route/explain'])
  @HttpCode(200)
  async explain(@Req() request: AuthenticatedRequest) {
    const explanation = await this.relay.explain(request.aisbfUser!, parseChatBody(request.body));
    return { object: 'route.explanation', max_attempts: this.env.AISBF_MAX_ATTEMPTS, ...explanation };
  }
}
