import type { UserRouteConfig } from '@aisbf/routing';
import type { UserLimits } from './user-limits.schema';

export interface AuthenticatedUser {
  username: string;
  role: 'admin' | 'user';
  /** The operator's limits for this user (from the same cache entry as the token: no extra read). */
  limits?: UserLimits;
  /** A digest of the API token the request came with (keys per-token limits; never the token). */
  tokenKey?: string;
}

/** Where users, tokens and routes come from: the declarative file, or the database. */
export interface ConfigStore {
  /** The enabled user owning this token, or null (unknown, revoked, expired, disabled). */
  authenticate(token: string): Promise<AuthenticatedUser | null>;
  /** The user's compiled routes, or null for an unknown or disabled user. */
  loadRouteConfig(username: string): Promise<UserRouteConfig | null>;
}
