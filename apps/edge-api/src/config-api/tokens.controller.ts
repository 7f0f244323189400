import { Body, Controller, Delete, Get, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CONFIG_DATABASE, ConfigDatabase } from '@aisbf/persistence';
import { ConfigApiGuard } from './config-api.guard';
import { requireDatabase } from './config-database';
import { tokenRequest } from './config-api-bodies';

/** A user's own API tokens: create (shown once), list, revoke. */
@Controller('api/u/:username/tokens')
@UseGuards(ConfigApiGuard)
export class TokensController {
  constructor(@Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null) {}

  @Get()
  async list(@Param('username') username: string) {
    return { object: 'list', data: await requireDatabase(this.database).accounts.listTokens(username) };
  }

  @Post()
  async create(@Param('username') username: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const request = tokenRequest(body);
    void reply.status(201).header('cache-control', 'no-store');
    return requireDatabase(this.database).accounts.issueToken(username, request);
  }

  @Delete(':id')
  async revoke(@Param('username') username: string, @Param('id') id: string) {
    return requireDatabase(this.database).accounts.revokeToken(username, id);
  }
}
