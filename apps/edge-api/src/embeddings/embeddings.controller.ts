import { Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { embeddingsRequestSchema, parseRequestBody } from '@aisbf/llm-wire';
import { AuthenticatedRequest, TokenAuthGuard } from '../auth/token-auth.guard';
import { EmbeddingsRelayService } from './embeddings-relay.service';

/** OpenAI embeddings, for `user-provider/{id}/{model}` routes whose backend embeds. */
@Controller()
@UseGuards(TokenAuthGuard)
export class EmbeddingsController {
  constructor(private readonly relay: EmbeddingsRelayService) {}

  @Post(['v1/embeddings', 'api/u/:username/embeddings', 'api/u/:username/v1/embeddings'])
  @HttpCode(200)
  async embeddings(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    const user = request.aisbfUser!;
    const body = parseRequestBody(embeddingsRequestSchema, request.body);
    const plan = await this.relay.resolve(user, body);
    reply.hijack();
    await this.relay.relay(user, body, plan, reply.raw);
  }
}
