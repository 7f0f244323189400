import { readFileSync } from 'node:fs';
import { checkConfigReferences, compileProvider, formatJsonPath, UserRouteConfig } from '@aisbf/routing';
import { hashToken, SecretBox } from '@aisbf/secrets';
import { AuthenticatedUser, ConfigStore } from '../config-store';
import type { UserLimits } from '../user-limits.schema';
import { ConfigFile, configFileSchema } from './config-file.schema';

interface TokenEntry {
  username: string;
  expiresAt: number | null;
}

export class ConfigFileError extends Error {}

/** Reads and validates the file; every problem is reported with its JSON path. */
export function readConfigFile(path: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigFileError(`cannot read AISBF_CONFIG ${path}: ${(error as Error).message}`);
  }
  return parseConfigFile(raw, path);
}

export function parseConfigFile(raw: unknown, source = 'configuration'): ConfigFile {
  const result = configFileSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  $.${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new ConfigFileError(`invalid ${source}:\n${problems}`);
  }
  // Each user's routes must also hold together: references, loops, depth.
  const problems = Object.entries(result.data.users).flatMap(([username, user]) =>
    checkConfigReferences(user).map((p) => `  ${formatJsonPath(['users', username, p.document, p.item, ...p.segments])}: ${p.message}`),
  );
  if (problems.length) throw new ConfigFileError(`invalid ${source}:\n${problems.join('\n')}`);
  return result.data;
}

/**
 * The GitOps source of truth: everything in memory, keys sealed at load time so plaintext keys
 * are not kept around. Admins and users marked `trusted_endpoints` may point providers at private
 * networks from any pool; other users' private endpoints are refused outside LAN pools.
 */
export class FileConfigStore implements ConfigStore {
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly users = new Map<string, { role: 'admin' | 'user'; disabled: boolean; limits: UserLimits; routes: UserRouteConfig }>();

  constructor(file: ConfigFile, box: SecretBox, env: Record<string, string | undefined>) {
    for (const [username, user] of Object.entries(file.users)) {
      for (const token of user.tokens) {
        const hash = typeof token === 'string' ? hashToken(token) : (token.sha256 ?? hashToken(token.token as string));
        const expiresAt = typeof token === 'string' || !token.expires_at ? null : Date.parse(token.expires_at);
        if (this.tokens.has(hash)) throw new ConfigFileError(`a token is listed twice (user ${username})`);
        this.tokens.set(hash, { username, expiresAt });
      }
      const providers = new Map();
      for (const [id, provider] of Object.entries(user.providers)) {
        const key = provider.api_key ?? (provider.api_key_env ? env[provider.api_key_env] : undefined);
        if (provider.api_key_env && key === undefined) {
          throw new ConfigFileError(`$.users.${username}.providers.${id}.api_key_env: ${provider.api_key_env} is not set`);
        }
        providers.set(id, compileProvider(id, provider, key ? box.seal(key) : null));
      }
      this.users.set(username, {
        role: user.role,
        disabled: user.disabled,
        limits: user.limits,
        routes: {
          username,
          trustedEndpoints: user.role === 'admin' || user.trusted_endpoints,
          providers,
          rotations: new Map(Object.entries(user.rotations)),
          autoselects: new Map(Object.entries(user.autoselect)),
        },
      });
    }
  }

  async authenticate(token: string): Promise<AuthenticatedUser | null> {
    const entry = this.tokens.get(hashToken(token));
    if (!entry || (entry.expiresAt !== null && entry.expiresAt <= Date.now())) return null;
    const user = this.users.get(entry.username);
    if (!user || user.disabled) return null;
    return { username: entry.username, role: user.role, limits: user.limits };
  }

  async loadRouteConfig(username: string): Promise<UserRouteConfig | null> {
    const user = this.users.get(username);
    return user && !user.disabled ? user.routes : null;
  }
}
