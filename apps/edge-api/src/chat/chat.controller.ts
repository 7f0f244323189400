import { Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthenticatedRequest, TokenAuthGuard } from '../auth/token-auth.guard';
import { headerSafe } from '../http/route-headers';
import { parseChatBody } from './chat-body';
import { ChatRelayService } from './chat-relay.service';

@Controller()
@UseGuards(TokenAuthGuard)
export class ChatController {
  constructor(private readonly relay: ChatRelayService) {}

  @Post(['v1/chat/completions', 'api/u/:username/chat/completions', 'api/u/:username/v1/chat/completions'])
  @HttpCode(200)
  async chat(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    const user = request.aisbfUser!;
    const body = parseChatBody(request.body);
    // Errors of route resolution (every candidate cooling down, ...) name the route too.
    reply.header('x-aisbf-route', headerSafe(body.model));
    const plan = await this.relay.resolve(user, body);
    // From here the response is written directly, so chunks are flushed as they arrive.
    reply.hijack();
    await this.relay.relay(user, body, plan, reply.raw);
  }
}
