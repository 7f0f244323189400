import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AisbfError } from '@aisbf/contracts';
import { CONFIG_STORE, ConfigStore } from '@aisbf/persistence';
import { EDGE_ENV, EdgeEnv } from '../config/edge-env';
import { AuthenticatedRequest, bearerToken } from '../auth/token-auth.guard';
import { FailedAuthLimit } from '../auth/request-rate-limits';
import { DashboardSessions } from '../session/dashboard-sessions.service';

/** Who is calling the configuration API: the operator (AISBF_ADMIN_TOKEN) or a user. */
export type Principal = { kind: 'operator' } | { kind: 'user'; username: string; role: 'admin' | 'user' };
export type ConfigApiRequest = AuthenticatedRequest & { principal?: Principal; rawBody?: Buffer };

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `/api/u/{username}/...`: that user's token, an admin user's token, or the operator token.
 * `/api/admin/...`: an admin user's token or the operator token.
 * A dashboard session cookie stands for its user's token (with the CSRF checks of a cookie).
 * Wrong bearer tokens count against the address's budget of failed authentications, like chat's:
 * otherwise this API would be the place to guess tokens, the operator's included.
 */
@Injectable()
export class ConfigApiGuard implements CanActivate {
  private readonly adminDigest: Buffer | null;

  constructor(
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
    @Inject(EDGE_ENV) env: EdgeEnv,
    private readonly sessions: DashboardSessions,
    private readonly failedAuth: FailedAuthLimit,
  ) {
    this.adminDigest = env.AISBF_ADMIN_TOKEN ? digest(env.AISBF_ADMIN_TOKEN) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConfigApiRequest>();
    const token = bearerToken(request.headers.authorization);
    let principal: Principal;
    if (!token) {
      const active = await this.sessions.fromRequest(request);
      if (!active) throw new AisbfError('invalid_api_key', 'missing API token: send "Authorization: Bearer <token>"');
      this.sessions.assertSameOrigin(request, active.session);
      principal = { kind: 'user', username: active.session.username, role: active.session.role };
    } else {
      principal = await this.tokenPrincipal(token, request.ip);
    }
    const isAdmin = principal.kind === 'operator' || principal.role === 'admin';
    const username = (request.params as Record<string, string> | undefined)?.username;
    if (request.url.startsWith('/api/admin/') && !isAdmin) {
      throw new AisbfError('permission_denied', 'the admin API needs an admin token');
    }
    if (!request.url.startsWith('/api/admin/') && username !== undefined && !isAdmin && principal.kind === 'user' && principal.username !== username) {
      throw new AisbfError('permission_denied', `this token does not belong to user '${username}'`);
    }
    request.principal = principal;
    return true;
  }

  private async tokenPrincipal(token: string, ip: string): Promise<Principal> {
    await this.failedAuth.assertAllowed(ip);
    if (this.adminDigest && timingSafeEqual(digest(token), this.adminDigest)) return { kind: 'operator' };
    const user = await this.store.authenticate(token);
    if (!user) {
      await this.failedAuth.recordFailure(ip);
      throw new AisbfError('invalid_api_key', 'invalid API token');
    }
    return { kind: 'user', username: user.username, role: user.role };
  }
}
