import { Body, Controller, Get, Inject, Param, Patch, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CONFIG_DATABASE, ConfigDatabase } from '@aisbf/persistence';
import { ConfigApiGuard } from './config-api.guard';
import { requireDatabase } from './config-database';
import { DashboardSessions } from '../session/dashboard-sessions.service';
import { createUserBodySchema, parseBody, tokenRequest, updateUserBodySchema } from './config-api-bodies';

/** The operator's API: users (create, list, disable) and tokens issued for them. */
@Controller('api/admin/users')
@UseGuards(ConfigApiGuard)
export class AdminUsersController {
  constructor(
    @Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null,
    private readonly sessions: DashboardSessions,
  ) {}

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
    const user = await requireDatabase(this.database).accounts.updateUser(username, parseBody(updateUserBodySchema, body));
    // A new password, role or status is not left to sessions opened under the old one.
    await this.sessions.endAll(username);
    return user;
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
