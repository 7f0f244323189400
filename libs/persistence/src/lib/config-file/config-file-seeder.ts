import { In, Not } from 'typeorm';
import { checkConfigReferences, ConfigDocumentKind, formatJsonPath } from '@aisbf/routing';
import { hashToken, maskSecret, SecretBox } from '@aisbf/secrets';
import { canonicalJson } from '../canonical-json';
import type { ConfigInvalidator } from '../config-invalidator';
import { DatabaseHandle } from '../database/database-handle';
import { isDuplicateKey } from '../database/database-errors';
import { ApiTokenEntity } from '../database/entities/api-token.entity';
import { UserEntity } from '../database/entities/user.entity';
import { DOCUMENT_VERSION_COLUMNS, ITEM_ENTITIES, loadUserSnapshot, snapshotDocuments } from '../database/user-snapshot';
import { newTokenId } from '../account-admin';
import { storedLimits } from '../user-limits.schema';
import { ConfigFileError } from './file-config-store';
import type { ConfigFile, ConfigFileUser } from './config-file.schema';

export interface SeedReport {
  users: number;
  disabledUsers: string[];
  warnings: string[];
}

/**
 * Applies the declarative file to the database at every start (GitOps): what it declares is
 * written and marked file-managed (read-only through the API), file-managed tokens and items it no
 * longer lists are removed, and file-managed users it no longer lists are disabled.
 */
export async function applyConfigFile(
  db: DatabaseHandle,
  file: ConfigFile,
  box: SecretBox,
  env: Record<string, string | undefined>,
  invalidator: ConfigInvalidator,
): Promise<SeedReport> {
  const report: SeedReport = { users: 0, disabledUsers: [], warnings: [] };
  for (const [username, declared] of Object.entries(file.users)) {
    let hashes: string[];
    try {
      hashes = await applyUser(db, username, declared, box, env);
    } catch (error) {
      // Two replicas starting together may both create the user: the second one applies again.
      if (!isDuplicateKey(error) && !(error as { code?: string }).code?.includes('conflict')) throw error;
      hashes = await applyUser(db, username, declared, box, env);
    }
    report.users++;
    await invalidator.changed({ username, kind: 'all' }, hashes);
    const snapshot = await loadUserSnapshot(db.dataSource.manager, username);
    for (const problem of checkConfigReferences(snapshotDocuments(snapshot!.items))) {
      report.warnings.push(`user ${username}: ${formatJsonPath([problem.document, problem.item, ...problem.segments])}: ${problem.message}`);
    }
  }
  const gone = await db.dataSource.manager.find(UserEntity, { where: { managedBy: 'file', disabled: false, username: Not(In(Object.keys(file.users).length ? Object.keys(file.users) : [''])) } });
  for (const user of gone) {
    await db.transaction((manager) => manager.update(UserEntity, { id: user.id }, { disabled: true }));
    const tokens = await db.dataSource.manager.find(ApiTokenEntity, { where: { userId: user.id } });
    await invalidator.changed({ username: user.username, kind: 'user' }, tokens.map((t) => t.tokenHash));
    report.disabledUsers.push(user.username);
  }
  return report;
}

async function applyUser(db: DatabaseHandle, username: string, declared: ConfigFileUser, box: SecretBox, env: Record<string, string | undefined>): Promise<string[]> {
  return db.transaction(async (manager) => {
    let user = await manager.findOne(UserEntity, { where: { username } });
    const limits = storedLimits(declared.limits);
    if (!user) {
      await manager.insert(UserEntity, { username, role: declared.role, disabled: declared.disabled, managedBy: 'file', passwordHash: null, limits });
    } else {
      await manager.update(UserEntity, { id: user.id }, { role: declared.role, disabled: declared.disabled, managedBy: 'file', limits });
    }
    await manager.increment(UserEntity, { username }, 'configVersion', 1);
    const snapshot = (await loadUserSnapshot(manager, username))!;
    user = snapshot.user;
    const stamp = user.configVersion;

    // Tokens: the file's, by hash; file tokens it no longer lists are deleted.
    const wanted = new Map<string, { name: string; expiresAt: Date | null }>();
    declared.tokens.forEach((token, index) => {
      const hash = typeof token === 'string' ? hashToken(token) : (token.sha256 ?? hashToken(token.token!));
      const name = (typeof token === 'string' ? undefined : token.name) ?? `file-${index + 1}`;
      const expiresAt = typeof token === 'string' || !token.expires_at ? null : new Date(token.expires_at);
      wanted.set(hash, { name, expiresAt });
    });
    const existing = await manager.find(ApiTokenEntity, { where: [{ userId: user.id }, ...(wanted.size ? [{ tokenHash: In([...wanted.keys()]) }] : [])] });
    const touched = existing.map((t) => t.tokenHash);
    for (const token of existing) {
      if (token.userId !== user.id) throw new ConfigFileError(`$.users.${username}.tokens: a token is already in use by another user`);
      const want = wanted.get(token.tokenHash);
      if (want) {
        await manager.update(ApiTokenEntity, { id: token.id }, { name: want.name, expiresAt: want.expiresAt, managedBy: 'file', revokedAt: null });
        wanted.delete(token.tokenHash);
      } else if (token.managedBy === 'file') {
        await manager.delete(ApiTokenEntity, { id: token.id });
      }
    }
    for (const [tokenHash, want] of wanted) {
      await manager.insert(ApiTokenEntity, {
        id: newTokenId(),
        userId: user.id,
        tokenHash,
        prefix: '(file)',
        name: want.name,
        managedBy: 'file',
        createdAt: new Date(),
        expiresAt: want.expiresAt,
        lastUsedAt: null,
        revokedAt: null,
      });
      touched.push(tokenHash);
    }

    // Routes: one document per kind; the file's items win over API items of the same name.
    const declaredItems: Record<ConfigDocumentKind, Record<string, Record<string, unknown>>> = {
      providers: declared.providers,
      rotations: declared.rotations,
      autoselect: declared.autoselect,
    };
    for (const kind of Object.keys(ITEM_ENTITIES) as ConfigDocumentKind[]) {
      let changed = false;
      for (const [name, item] of snapshot.items[kind]) {
        if (item.managedBy === 'file' && !(name in declaredItems[kind])) {
          await manager.delete(ITEM_ENTITIES[kind], { userId: user.id, name });
          changed = true;
        }
      }
      for (const [name, body] of Object.entries(declaredItems[kind])) {
        const current = snapshot.items[kind].get(name);
        const columns: Record<string, unknown> = { managedBy: 'file' };
        let raw = body;
        if (kind === 'providers') {
          const { api_key: apiKey, ...rest } = body as { api_key?: string; api_key_env?: string };
          raw = rest;
          const key = apiKey ?? (rest.api_key_env ? env[rest.api_key_env] : undefined);
          if (rest.api_key_env && key === undefined) throw new ConfigFileError(`$.users.${username}.providers.${name}.api_key_env: ${rest.api_key_env} is not set`);
          columns.keyHint = key ? maskSecret(key) : null;
          if (!current || current.keyHint !== columns.keyHint) columns.sealedKey = key ? box.seal(key) : null;
        }
        const same = current && current.managedBy === 'file' && canonicalJson(current.raw) === canonicalJson(raw) && !('sealedKey' in columns);
        if (same) continue;
        changed = true;
        Object.assign(columns, { config: JSON.stringify(raw), version: stamp });
        if (current) await manager.update(ITEM_ENTITIES[kind], { userId: user.id, name }, columns);
        else await manager.insert(ITEM_ENTITIES[kind], { userId: user.id, name, ...columns });
      }
      if (changed) await manager.update(UserEntity, { id: user.id }, { [DOCUMENT_VERSION_COLUMNS[kind]]: stamp });
    }
    return touched;
  });
}
