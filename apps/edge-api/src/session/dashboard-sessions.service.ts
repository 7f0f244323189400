import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AisbfError } from '@aisbf/contracts';
import { CONFIG_DATABASE, CONFIG_STORE, ConfigDatabase, ConfigStore } from '@aisbf/persistence';
import { EDGE_ENV, EdgeEnv } from '../config/edge-env';
import { readCookie, SESSION_COOKIE } from './session-cookie';

/** What the shared cache keeps per session (under the hash of its id: a Redis dump holds no usable session). */
export interface DashboardSession {
  username: string;
  role: 'admin' | 'user';
  /** Sent back by the page in `x-csrf-token` on every state-changing request. */
  csrf: string;
  /** The user's session epoch at login: changing a user's password, role or status moves it on. */
  epoch: string;
  createdAt: number;
  seenAt: number;
}

export interface ActiveSession {
  id: string;
  session: DashboardSession;
  expiresAt: number;
}

/** A session lives at most this long, however active. */
export const SESSION_MAX_AGE_SECONDS = 7 * 86_400;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const sessionKey = (id: string) => `dash:session:${createHash('sha256').update(id).digest('hex')}`;
const epochKey = (username: string) => `dash:epoch:${username}`;

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Dashboard sessions, kept in the shared cache (Redis, or memory in the embedded mode) so that any
 * edge replica serves any session. Idle sessions expire, every session ends after 7 days, and a
 * password, role or status change made through the API ends the user's sessions everywhere.
 */
@Injectable()
export class DashboardSessions {
  constructor(
    @Inject(CONFIG_DATABASE) private readonly database: ConfigDatabase | null,
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
    @Inject(EDGE_ENV) private readonly env: EdgeEnv,
  ) {}

  get idleSeconds(): number {
    return this.env.AISBF_SESSION_TTL_SECONDS;
  }

  async create(user: { username: string; role: 'admin' | 'user' }): Promise<ActiveSession> {
    const shared = this.shared();
    const id = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session: DashboardSession = {
      username: user.username,
      role: user.role,
      csrf: randomBytes(32).toString('base64url'),
      epoch: await this.cached(async () => {
        const epoch = (await shared.get(epochKey(user.username))) ?? randomBytes(12).toString('base64url');
        await shared.set(epochKey(user.username), epoch, SESSION_MAX_AGE_SECONDS * 2);
        return epoch;
      }),
      createdAt: now,
      seenAt: now,
    };
    await this.cached(() => shared.set(sessionKey(id), JSON.stringify(session), this.idleSeconds));
    return { id, session, expiresAt: this.expiry(session) };
  }

  /** The live session this request's cookie names, or null (none, expired, ended, user disabled). */
  async fromRequest(request: FastifyRequest): Promise<ActiveSession | null> {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!id || id.length > 100 || !this.database) return null;
    const shared = this.database.shared;
    const text = await this.cached(() => shared.get(sessionKey(id)));
    if (!text) return null;
    const session = JSON.parse(text) as DashboardSession;
    const now = Date.now();
    if (now - session.createdAt > SESSION_MAX_AGE_SECONDS * 1000) return null;
    const currentEpoch = await this.cached(() => shared.get(epochKey(session.username)));
    if (currentEpoch !== session.epoch) return null;
    // A disabled or deleted user (from the API, the CLI or the file) has no routes: no session either.
    if (!(await this.store.loadRouteConfig(session.username))) return null;
    // Sliding expiry, written at most every tenth of the idle time.
    if (now - session.seenAt > (this.idleSeconds * 1000) / 10) {
      session.seenAt = now;
      await this.cached(() => shared.set(sessionKey(id), JSON.stringify(session), this.idleSeconds));
    }
    return { id, session, expiresAt: this.expiry(session) };
  }

  /**
   * Cookies ride along on any request the browser makes, so a state-changing request must also
   * carry the session's CSRF token (which only our own page can read) and, when the browser names
   * its origin, come from this host.
   */
  assertSameOrigin(request: FastifyRequest, session: DashboardSession | null): void {
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin !== undefined) {
      let host: string | null = null;
      try {
        host = new URL(origin).host;
      } catch {
        host = null;
      }
      if (host === null || host !== request.headers.host) throw new AisbfError('permission_denied', 'cross-origin request refused');
    }
    if (request.headers['sec-fetch-site'] === 'cross-site') throw new AisbfError('permission_denied', 'cross-site request refused');
    if (!session) return;
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameSecret(sent, session.csrf)) {
      throw new AisbfError('permission_denied', 'missing or invalid CSRF token: send the x-csrf-token the session gave you');
    }
  }

  async destroy(id: string): Promise<void> {
    await this.cached(() => this.shared().del([sessionKey(id)]));
  }

  /** Ends every session of a user, on every replica. */
  async endAll(username: string): Promise<void> {
    await this.cached(() => this.shared().set(epochKey(username), randomBytes(12).toString('base64url'), SESSION_MAX_AGE_SECONDS * 2));
  }

  private expiry(session: DashboardSession): number {
    return Math.min(session.seenAt + this.idleSeconds * 1000, session.createdAt + SESSION_MAX_AGE_SECONDS * 1000);
  }

  private shared() {
    if (!this.database) {
      throw new AisbfError('conflict', 'dashboard sign-in needs a database (DATABASE_URL, or the embedded mode): this installation is configured by its file alone');
    }
    return this.database.shared;
  }

  private async cached<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AisbfError) throw error;
      throw new AisbfError('service_unavailable', 'the session store (Redis) is unavailable, try again', { retryable: true });
    }
  }
}
