import { createHash } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AisbfError } from '@aisbf/contracts';
import { AuthenticatedUser, CONFIG_STORE, ConfigStore } from '@aisbf/persistence';
import { DashboardSessions } from '../session/dashboard-sessions.service';
import { FailedAuthLimit } from './request-rate-limits';
import { UsageLimits } from '../limits/usage-limits.service';

export type AuthenticatedRequest = FastifyRequest & { aisbfUser?: AuthenticatedUser };

/** Extracts the bearer token; OpenAI SDKs send `Authorization: Bearer <key>`. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match ? match[1] : null;
}

const ACCEPTS_SESSION = 'aisbf:accepts-session';
/** Read-only or dry-run routes the dashboard calls with its session cookie (never chat). */
export const AcceptsSession = () => SetMetadata(ACCEPTS_SESSION, true);

/**
 * The token names the user. On /api/u/{username}/... the token must belong to that user:
 * another user's token gets 403, whatever it is.
 */
@Injectable()
export class TokenAuthGuard implements CanActivate {
  constructor(
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
    private readonly reflector: Reflector,
    private readonly sessions: DashboardSessions,
    private readonly failedAuth: FailedAuthLimit,
    private readonly limits: UsageLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      const active = this.reflector.get<boolean>(ACCEPTS_SESSION, context.getHandler()) ? await this.sessions.fromRequest(request) : null;
      if (!active) throw new AisbfError('invalid_api_key', 'missing API token: send "Authorization: Bearer <token>"');
      this.sessions.assertSameOrigin(request, active.session);
      return this.admit(request, { username: active.session.username, role: active.session.role });
    }
    await this.failedAuth.assertAllowed(request.ip);
    const user = await this.store.authenticate(token);
    if (!user) {
      await this.failedAuth.recordFailure(request.ip);
      throw new AisbfError('invalid_api_key', 'invalid API token');
    }
    // A digest keys the per-token limits, so no token ever lands in Redis.
    const tokenKey = createHash('sha256').update(token).digest('hex').slice(0, 32);
    this.admit(request, { ...user, tokenKey });
    await this.limits.admit(request.aisbfUser!);
    return true;
  }

  private admit(request: AuthenticatedRequest, user: AuthenticatedUser): boolean {
    const username = (request.params as Record<string, string> | undefined)?.username;
    if (username !== undefined && username !== user.username) {
      throw new AisbfError('permission_denied', `this token does not belong to user '${username}'`);
    }
    request.aisbfUser = user;
    return true;
  }
}
