import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AisbfError } from '@aisbf/contracts';
import { CONFIG_DATABASE, CONFIG_STORE, ConfigDatabase, ConfigStore, usernameSchema } from '@aisbf/persistence';
import { requireDatabase } from '../config-api/config-database';
import { parseBody } from '../config-api/config-api-bodies';
import { ActiveSession, DashboardSessions } from './dashboard-sessions.service';
import { FailedAuthLimit } from '../auth/request-rate-limits';
import { clearedSessionCookie, sessionCookie } from './session-cookie';

const passwordSignInSchema = z.object({ username: usernameSchema, password: z.string().min(1, 'enter your password').max(1024) }).strict();
/** The embedded mode's first user has a token and no password yet: the token opens a session too. */
const tokenSignInSchema = z.object({ token: z.string().min(1, 'paste an API token').max(512) }).strict();

/** The browser reached us over HTTPS (directly or through a proxy that says so). */
function overHttps(request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  return request.protocol === 'https' || (typeof forwarded === 'string' && forwarded.split(',')[0].trim() === 'https');
}

function sessionView(active: ActiveSession) {
  return {
    username: active.session.username,
    role: active.session.role,
    csrf_token: active.session.csrf,
    expires_at: new Date(active.expiresAt).toISOString(),
  };
}

/** Dashboard sign-in: a password (or an API token) opens a session cookie; the page keeps the CSRF token it is given. */
@Controller('api/auth/session')
export class SessionController {
  constructor(
    @Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null,
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
    private readonly sessions: DashboardSessions,
    // Password and token guessing share the API's budget of failed authentications per address.
    private readonly failedAuth: FailedAuthLimit,
  ) {}

  @Post()
  async signIn(@Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    this.sessions.assertSameOrigin(request, null);
    const database = requireDatabase(this.database);
    await this.failedAuth.assertAllowed(request.ip);
    let user: { username: string; role: 'admin' | 'user' } | null;
    if (body && typeof body === 'object' && 'token' in body) {
      user = await this.store.authenticate(parseBody(tokenSignInSchema, body).token);
      if (!user) {
        await this.failedAuth.recordFailure(request.ip);
        throw new AisbfError('invalid_api_key', 'invalid API token');
      }
    } else {
      const input = parseBody(passwordSignInSchema, body);
      user = await database.accounts.verifyPassword(input.username, input.password);
      if (!user) {
        await this.failedAuth.recordFailure(request.ip);
        throw new AisbfError('invalid_api_key', 'wrong username or password');
      }
    }
    const active = await this.sessions.create(user);
    void reply
      .status(201)
      .header('cache-control', 'no-store')
      .header('set-cookie', sessionCookie(active.id, this.sessions.idleSeconds, overHttps(request)));
    return sessionView(active);
  }

  @Get()
  async current(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const active = await this.sessions.fromRequest(request);
    if (!active) throw new AisbfError('invalid_api_key', 'not signed in, or the session has ended');
    void reply.header('cache-control', 'no-store');
    return sessionView(active);
  }

  @Delete()
  @HttpCode(204)
  async signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const active = await this.sessions.fromRequest(request);
    if (active) {
      this.sessions.assertSameOrigin(request, active.session);
      await this.sessions.destroy(active.id);
    }
    void reply.header('set-cookie', clearedSessionCookie(overHttps(request)));
  }
}
