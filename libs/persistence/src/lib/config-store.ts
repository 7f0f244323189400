import type { UserRouteConfig } from '@aisbf/routing';

export interface AuthenticatedUser {
  username: string;
  role: 'admin' | 'user';
}

/** Where users, tokens and routes come from: the declarative file, or the database. */
export interface ConfigStore {
  /** The enabled user owning this token, or null (unknown, revoked, expired, disabled). */
  authenticate(token: string): Promise<AuthenticatedUser | null>;
  /** The user's compiled routes, or null for an unknown or disabled user. */
  loadRouteConfig(username: string): Promise<UserRouteConfig | null>;
}
