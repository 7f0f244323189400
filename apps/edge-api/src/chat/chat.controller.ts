import { Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { AISBF_LOGGER, AisbfMetrics } from '@aisbf/telemetry';
import { AuthenticatedRequest, TokenAuthGuard } from '../auth/token-auth.guard';
import { headerSafe } from '../http/route-headers';
import { parseChatBody } from './chat-body';
import { ChatRelayService } from './chat-relay.service';
import { ChatRequestRecorder } from './chat-request-recorder';
import { UsageLimits } from '../limits/usage-limits.service';

@Controller()
@UseGuards(TokenAuthGuard)
export class ChatController {
  constructor(
    private readonly relay: ChatRelayService,
    private readonly metrics: AisbfMetrics,
    private readonly limits: UsageLimits,
    @Inject(AISBF_LOGGER) private readonly logger: Logger,
  ) {}

  @Post(['v1/chat/completions', 'api/u/:username/chat/completions', 'api/u/:username/v1/chat/completions'])
  @HttpCode(200)
  async chat(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    const user = request.aisbfUser!;
    const recorder = new ChatRequestRecorder(this.metrics, this.logger, user.username);
    await recorder.run(async () => {
      let stream: Awaited<ReturnType<UsageLimits['openStream']>> = null;
      try {
        const body = parseChatBody(request.body);
        recorder.requested(body);
        if (body.stream) stream = await this.limits.openStream(user);
        // Errors of route resolution (every candidate cooling down, ...) name the route too.
        reply.header('x-aisbf-route', headerSafe(body.model));
        const { plan, source } = await this.relay.resolve(user, body);
        recorder.planned(plan, source);
        // From here the response is written directly, so chunks are flushed as they arrive.
        reply.hijack();
        await this.relay.relay(user, body, plan, reply.raw, recorder);
        recorder.finish(reply.raw);
      } catch (error) {
        recorder.fail(error);
        throw error;
      } finally {
        await stream?.release();
      }
    });
  }
}
