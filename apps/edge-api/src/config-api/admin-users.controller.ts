import { Body, Controller, Get, Inject, Param, Patch, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CONFIG_DATABASE, ConfigDatabase } from '@aisbf/persistence';
import { ConfigApiGuard } from './config-api.guard';
import { requireDatabase } from './config-database';
import { createUserBodySchema, parseBody, tokenRequest, updateUserBodySchema } from './config-api-bodies';

/** The operator's API: users (create, list, disable) and tokens issued for them. */
@Controller('api/admin/users')
@UseGuards(ConfigApiGuard)
export class AdminUsersController {
  constructor(@Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null) {}

  @Get()
  async list() {
    return { object: 'list', data: await requireDatabase(this.database).accounts.listUsers() };
  }

  @Post()
  async create(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const input = parseBody(createUserBodySchema, body);
    void reply.status(201);
    return requireDatabase(this.database).accounts.createUser(input);
  }

  @Get(':username')
  async get(@Param('username') username: string) {
    return requireDatabase(this.database).accounts.getUser(username);
  }

  @Patch(':username')
  async update(@Param('username') username: string, @Body() body: unknown) {
    return requireDatabase(this.database).accounts.updateUser(username, parseBody(updateUserBodySchema, body));
  }

  @Get(':username/tokens')
  async tokens(@Param('username') username: string) {
    return { object: 'list', data: await requireDatabase(this.database).accounts.listTokens(username) };
  }

  @Post(':username/tokens')
  async issue(@Param('username') username: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const request = tokenRequest(body);
    void reply.status(201).header('cache-control', 'no-store');
    return requireDatabase(this.database).accounts.issueToken(username, request);
  }
}
