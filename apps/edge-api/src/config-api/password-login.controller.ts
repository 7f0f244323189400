import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AisbfError } from '@aisbf/contracts';
import { CONFIG_DATABASE, ConfigDatabase, usernameSchema } from '@aisbf/persistence';
import { requireDatabase } from './config-database';
import { parseBody, tokenRequest } from './config-api-bodies';

const loginBodySchema = z
  .object({ username: usernameSchema, password: z.string().min(1).max(1024), name: z.string().min(1).max(100).optional(), expires_in_days: z.number().int().positive().max(3650).optional() })
  .strict();

/** A user with a password gets a new API token (shown once) without asking an admin. */
@Controller('api/auth')
export class PasswordLoginController {
  constructor(@Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null) {}

  @Post('token')
  async token(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const input = parseBody(loginBodySchema, body);
    const database = requireDatabase(this.database);
    const user = await database.accounts.verifyPassword(input.username, input.password);
    if (!user) throw new AisbfError('invalid_api_key', 'wrong username or password');
    void reply.status(201).header('cache-control', 'no-store');
    return database.accounts.issueToken(user.username, tokenRequest({ name: input.name ?? 'login', expires_in_days: input.expires_in_days }));
  }
}
