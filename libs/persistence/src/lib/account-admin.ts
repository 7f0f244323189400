import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { IsNull } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { AisbfError } from '@aisbf/contracts';
import { generateApiToken, hashToken } from '@aisbf/secrets';
import { DatabaseHandle } from './database/database-handle';
import { isDuplicateKey } from './database/database-errors';
import { ApiTokenEntity } from './database/entities/api-token.entity';
import { UserEntity } from './database/entities/user.entity';
import type { ConfigInvalidator } from './config-invalidator';
import { parseStoredLimits, storedLimits, type UserLimits } from './user-limits.schema';

export interface UserView {
  username: string;
  role: 'admin' | 'user';
  disabled: boolean;
  managed_by: 'file' | 'api';
  limits: UserLimits;
  created_at: string;
}

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  managed_by: 'file' | 'api';
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface IssuedToken extends TokenView {
  /** Shown once: only its hash is stored. */
  token: string;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function userView(user: UserEntity): UserView {
  return {
    username: user.username,
    role: user.role,
    disabled: user.disabled,
    managed_by: user.managedBy,
    limits: parseStoredLimits(user.limits),
    created_at: user.createdAt.toISOString(),
  };
}

export function tokenView(token: ApiTokenEntity): TokenView {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    managed_by: token.managedBy,
    created_at: token.createdAt.toISOString(),
    last_used_at: iso(token.lastUsedAt),
    expires_at: iso(token.expiresAt),
    revoked_at: iso(token.revokedAt),
  };
}

export function newTokenId(): string {
  return `tok_${randomBytes(8).toString('hex')}`;
}

/** Users and their API tokens: created, listed, disabled, revoked. Passwords are argon2id hashes. */
export class AccountAdmin {
  constructor(
    private readonly db: DatabaseHandle,
    private readonly invalidator: ConfigInvalidator,
  ) {}

  async createUser(input: { username: string; role: 'admin' | 'user'; password?: string; limits?: UserLimits }): Promise<UserView> {
    this.invalidator.assertWritable();
    const passwordHash = input.password ? await argon2Hash(input.password) : null;
    try {
      const user = await this.db.transaction(async (manager) => {
        await manager.insert(UserEntity, {
          username: input.username,
          role: input.role,
          passwordHash,
          disabled: false,
          managedBy: 'api',
          limits: storedLimits(input.limits ?? {}),
        });
        return manager.findOneOrFail(UserEntity, { where: { username: input.username } });
      });
      await this.invalidator.changed({ username: input.username, kind: 'user' }, []);
      return userView(user);
    } catch (error) {
      if (isDuplicateKey(error) || (error instanceof AisbfError && error.code === 'conflict')) {
        throw new AisbfError('conflict', `user '${input.username}' already exists`);
      }
      throw error;
    }
  }

  async listUsers(): Promise<UserView[]> {
    return (await this.read(() => this.db.dataSource.manager.find(UserEntity, { order: { username: 'ASC' } }))).map(userView);
  }

  async getUser(username: string): Promise<UserView> {
    return userView(await this.userRow(username));
  }

  async updateUser(
    username: string,
    change: { disabled?: boolean; role?: 'admin' | 'user'; password?: string | null; limits?: UserLimits },
  ): Promise<UserView> {
    this.invalidator.assertWritable();
    const passwordHash = change.password ? await argon2Hash(change.password) : change.password === null ? null : undefined;
    const { user, hashes } = await this.db.transaction(async (manager) => {
      const current = await manager.findOne(UserEntity, { where: { username } });
      if (!current) throw new AisbfError('not_found', `user '${username}' does not exist`);
      if (current.managedBy === 'file' && (change.disabled !== undefined || change.role !== undefined || change.limits !== undefined)) {
        throw new AisbfError('conflict', `user '${username}' is managed by the configuration file (AISBF_CONFIG): change role, disabled and limits there`);
      }
      await manager.update(UserEntity, { id: current.id }, {
        ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
        ...(change.role !== undefined ? { role: change.role } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
        ...(change.limits !== undefined ? { limits: storedLimits(change.limits) } : {}),
      });
      const tokens = await manager.find(ApiTokenEntity, { where: { userId: current.id } });
      return { user: await manager.findOneOrFail(UserEntity, { where: { id: current.id } }), hashes: tokens.map((t) => t.tokenHash) };
    });
    await this.invalidator.changed({ username, kind: 'user' }, hashes);
    return userView(user);
  }

  /** Checks a password in constant time (argon2); null when the user, the password or the account does not fit. */
  async verifyPassword(username: string, password: string): Promise<UserView | null> {
    const user = await this.read(() => this.db.dataSource.manager.findOne(UserEntity, { where: { username } }));
    if (!user?.passwordHash || user.disabled) return null;
    return (await argon2Verify(user.passwordHash, password)) ? userView(user) : null;
  }

  async issueToken(username: string, input: { name: string; expiresAt?: Date | null; token?: string }): Promise<IssuedToken> {
    this.invalidator.assertWritable();
    const token = input.token ?? generateApiToken();
    const row = await this.db.transaction(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { username } });
      if (!user) throw new AisbfError('not_found', `user '${username}' does not exist`);
      const entity: ApiTokenEntity = {
        id: newTokenId(),
        userId: user.id,
        tokenHash: hashToken(token),
        prefix: token.slice(0, 12),
        name: input.name,
        managedBy: 'api',
        createdAt: new Date(),
        lastUsedAt: null,
        expiresAt: input.expiresAt ?? null,
        revokedAt: null,
      };
      await manager.insert(ApiTokenEntity, entity);
      return entity;
    });
    // A client may have tried this token before it existed: drop that cached "unknown".
    await this.invalidator.changed({ username, kind: 'tokens' }, [row.tokenHash]);
    return { ...tokenView(row), token };
  }

  async listTokens(username: string): Promise<TokenView[]> {
    const user = await this.userRow(username);
    const rows = await this.read(() => this.db.dataSource.manager.find(ApiTokenEntity, { where: { userId: user.id }, order: { createdAt: 'ASC' } }));
    return rows.map(tokenView);
  }

  async revokeToken(username: string, tokenId: string): Promise<TokenView> {
    this.invalidator.assertWritable();
    const row = await this.db.transaction(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { username } });
      const token = user ? await manager.findOne(ApiTokenEntity, { where: { id: tokenId, userId: user.id } }) : null;
      if (!token) throw new AisbfError('not_found', `token '${tokenId}' does not exist`);
      if (token.managedBy === 'file') {
        throw new AisbfError('conflict', `token '${tokenId}' is declared in the configuration file (AISBF_CONFIG): remove it there`);
      }
      if (!token.revokedAt) await manager.update(ApiTokenEntity, { id: token.id, revokedAt: IsNull() }, { revokedAt: new Date() });
      return manager.findOneOrFail(ApiTokenEntity, { where: { id: token.id } });
    });
    await this.invalidator.changed({ username, kind: 'tokens' }, [row.tokenHash]);
    return tokenView(row);
  }

  private async userRow(username: string): Promise<UserEntity> {
    const user = await this.read(() => this.db.dataSource.manager.findOne(UserEntity, { where: { username } }));
    if (!user) throw new AisbfError('not_found', `user '${username}' does not exist`);
    return user;
  }

  private async read<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch {
      throw new AisbfError('service_unavailable', 'the configuration database is unavailable, try again', { retryable: true });
    }
  }
}
