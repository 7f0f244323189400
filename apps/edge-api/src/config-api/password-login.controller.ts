import { Body, Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AisbfError } from '@aisbf/contracts';
import { CONFIG_DATABASE, ConfigDatabase, usernameSchema } from '@aisbf/persistence';
import { FailedAuthLimit } from '../auth/request-rate-limits';
import { requireDatabase } from './config-database';
import { parseBody, tokenRequest } from './config-api-bodies';

const loginBodySchema = z
  .object({ username: usernameSchema, password: z.string().min(1).max(1024), name: z.string().min(1).max(100).optional(), expires_in_days: z.number().int().positive().max(3650).optional() })
  .strict();

/**
 * A user with a password gets a new API token (shown once) without asking an admin. Wrong
 * passwords spend the address's budget of failed authentications, shared with every other sign-in.
 */
@Controller('api/auth')
export class PasswordLoginController {
  constructor(
    @Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null,
    private readonly failedAuth: FailedAuthLimit,
  ) {}

  @Post('token')
  async token(@Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const input = parseBody(loginBodySchema, body);
    const database = requireDatabase(this.database);
    await this.failedAuth.assertAllowed(request.ip);
    const user = await database.accounts.verifyPassword(input.username, input.password);
    if (!user) {
      await this.failedAuth.recordFailure(request.ip);
      throw new AisbfError('invalid_api_key', 'wrong username or password');
    }
    void reply.status(201).header('cache-control', 'no-store');
    return database.accounts.issueToken(user.username, tokenRequest({ name: input.name ?? 'login', expires_in_days: input.expires_in_days }));
  }
}
