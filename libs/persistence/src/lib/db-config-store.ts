import type { DataSource } from 'typeorm';
import { In, IsNull, LessThan, Or } from 'typeorm';
import type { ConfigChanged } from '@aisbf/contracts';
import { ReadThroughCache, SharedCache } from '@aisbf/cache';
import type { UserRouteConfig } from '@aisbf/routing';
import { hashToken } from '@aisbf/secrets';
import type { AuthenticatedUser, ConfigStore } from './config-store';
import { ApiTokenEntity } from './database/entities/api-token.entity';
import { UserEntity } from './database/entities/user.entity';
import { parseStoredLimits, type UserLimits } from './user-limits.schema';
import { compileSnapshot, loadUserSnapshot } from './database/user-snapshot';
import { decodeRouteConfig, encodeRouteConfig } from './route-config-codec';

/** What the token cache holds: enough to authenticate without the database. */
interface TokenGrant {
  tokenId: string;
  username: string;
  role: 'admin' | 'user';
  expiresAt: number | null;
  limits?: UserLimits;
}

export interface DbConfigStoreOptions {
  trustUserEndpoints: boolean;
  /** How often `last used` times are written (batched, off the request path). */
  flushIntervalMs: number;
  onCacheError?: (error: unknown) => void;
}

export const TOKEN_CACHE_NAMESPACE = 'tok:';
export const ROUTES_CACHE_NAMESPACE = 'cfg:';
/** In-process entries are reused this long; every change also drops them at once by broadcast. */
export const CONFIG_FRESH_MS = 30_000;
/**
 * "No such token" answers spare the database a client retrying with a wrong token. Any string is a
 * candidate key, so few are kept, briefly: a flood of random tokens costs at most this many entries.
 */
const ABSENT = { is: (value: unknown) => value === null, freshMs: 5_000 };
const MAX_ABSENT_TOKENS = 5_000;
const MAX_ABSENT_USERS = 1_000;
/** Kept this long to serve existing users while Redis and the database are both away. */
const STALE_MS = 6 * 3_600_000;

/**
 * The database-backed ConfigStore of the hot path: token -> user and user -> compiled routes come
 * from the in-process LRU, then Redis, then the database on a miss. `aisbf.config.changed` drops
 * entries on every replica; `last used` is recorded in memory and written in batches.
 */
export class DbConfigStore implements ConfigStore {
  private readonly tokens: ReadThroughCache<TokenGrant | null>;
  private readonly routes: ReadThroughCache<UserRouteConfig | null>;
  private readonly touched = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    shared: SharedCache,
    private readonly options: DbConfigStoreOptions,
  ) {
    this.tokens = new ReadThroughCache<TokenGrant | null>({
      namespace: TOKEN_CACHE_NAMESPACE,
      shared,
      max: 100_000,
      freshMs: CONFIG_FRESH_MS,
      absent: { ...ABSENT, max: MAX_ABSENT_TOKENS },
      sharedTtlSeconds: (grant) => (grant ? 600 : 10),
      staleMs: STALE_MS,
      encode: (grant) => JSON.stringify(grant),
      decode: (text) => JSON.parse(text) as TokenGrant | null,
      onSharedError: options.onCacheError,
    });
    this.routes = new ReadThroughCache<UserRouteConfig | null>({
      namespace: ROUTES_CACHE_NAMESPACE,
      shared,
      max: 10_000,
      freshMs: CONFIG_FRESH_MS,
      absent: { ...ABSENT, max: MAX_ABSENT_USERS },
      sharedTtlSeconds: (config) => (config ? 600 : 10),
      staleMs: STALE_MS,
      encode: encodeRouteConfig,
      decode: decodeRouteConfig,
      onSharedError: options.onCacheError,
    });
    this.timer = setInterval(() => void this.flushTouched(), options.flushIntervalMs);
    this.timer.unref();
  }

  async authenticate(token: string): Promise<AuthenticatedUser | null> {
    const hash = hashToken(token);
    const grant = await this.tokens.get(hash, () => this.loadGrant(hash));
    if (!grant || (grant.expiresAt !== null && grant.expiresAt <= Date.now())) return null;
    this.touched.set(grant.tokenId, Date.now());
    return { username: grant.username, role: grant.role, limits: grant.limits ?? {} };
  }

  async loadRouteConfig(username: string): Promise<UserRouteConfig | null> {
    return this.routes.get(username, async () => {
      const snapshot = await loadUserSnapshot(this.dataSource.manager, username);
      if (!snapshot || snapshot.user.disabled) return null;
      return compileSnapshot(snapshot, this.options.trustUserEndpoints);
    });
  }

  /** A broadcast `aisbf.config.changed` (from any replica, this one included): drop what it names. */
  invalidate(change: ConfigChanged): void {
    if (change.username === null || change.kind === 'all') {
      this.tokens.dropLocal('all');
      this.routes.dropLocal('all');
      return;
    }
    const username = change.username;
    if (change.kind === 'user' || change.kind === 'tokens') this.tokens.dropLocal((grant) => grant?.username === username);
    if (change.kind !== 'tokens') this.routes.dropLocal([username]);
  }

  /** The writer's side: drop shared entries first, so no replica refills from a stale Redis copy. */
  async dropShared(username: string | null, tokenHashes: string[]): Promise<void> {
    await Promise.all([this.routes.dropShared(username ? [username] : []), this.tokens.dropShared(tokenHashes)]);
  }

  private async loadGrant(hash: string): Promise<TokenGrant | null> {
    const token = await this.dataSource.manager.findOne(ApiTokenEntity, { where: { tokenHash: hash, revokedAt: IsNull() } });
    if (!token) return null;
    const user = await this.dataSource.manager.findOne(UserEntity, { where: { id: token.userId } });
    if (!user || user.disabled) return null;
    return {
      tokenId: token.id,
      username: user.username,
      role: user.role,
      expiresAt: token.expiresAt ? token.expiresAt.getTime() : null,
      limits: parseStoredLimits(user.limits),
    };
  }

  /** Writes `last used` for the tokens seen since the last flush, in one statement. */
  async flushTouched(): Promise<void> {
    if (this.touched.size === 0) return;
    const ids = [...this.touched.keys()];
    const at = new Date(Math.max(...this.touched.values()));
    this.touched.clear();
    try {
      await this.dataSource
        .getRepository(ApiTokenEntity)
        .update({ id: In(ids), lastUsedAt: Or(IsNull(), LessThan(at)) }, { lastUsedAt: at });
    } catch {
      // Best effort: a database that is away only delays `last used`.
      for (const id of ids) if (!this.touched.has(id)) this.touched.set(id, at.getTime());
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flushTouched();
  }
}
