import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MemorySharedCache, RedisSharedCache, SharedCache } from '@aisbf/cache';
import type { CacheEnv } from '@aisbf/cache';
import { generateApiToken, hashToken, SecretBox } from '@aisbf/secrets';
import { AccountAdmin } from './account-admin';
import { ConfigInvalidator } from './config-invalidator';
import { ConfigSourceEnv, openConfigSource } from './config-source';
import type { ConfigStore } from './config-store';
import { applyConfigFile } from './config-file/config-file-seeder';
import { DEMO_PROVIDER_ID, demoConfig } from './config-file/demo-config';
import { readConfigFile } from './config-file/file-config-store';
import { createDataSource, DatabaseTarget, describeTarget } from './database/data-source';
import { DatabaseHandle } from './database/database-handle';
import type { DatabaseEnv } from './database/database-env';
import { ApiTokenEntity } from './database/entities/api-token.entity';
import { UserEntity } from './database/entities/user.entity';
import { pendingMigrations, runMigrations } from './database/run-migrations';
import { DbConfigStore } from './db-config-store';
import { RouteConfigWriter } from './route-config-writer';
import { UsageRecorder } from './usage/usage-recorder';
import { UsageReports } from './usage/usage-reports';

export type BackendEnv = ConfigSourceEnv & DatabaseEnv & CacheEnv;

export interface BackendLog {
  info(message: string): void;
  warn(message: string): void;
}

/** The writable side, present when a database is configured. */
export interface ConfigDatabase {
  db: DatabaseHandle;
  store: DbConfigStore;
  shared: SharedCache;
  invalidator: ConfigInvalidator;
  writer: RouteConfigWriter;
  accounts: AccountAdmin;
  usage: UsageRecorder;
  /** Dashboard reads of the usage events: per-bucket aggregates and recent requests. */
  reports: UsageReports;
}

export interface ConfigBackend {
  store: ConfigStore;
  database: ConfigDatabase | null;
  /** Set when a token was generated for the bootstrap user: shown once, never stored in clear. */
  generatedToken?: string;
  description: string;
  close(): Promise<void>;
}

export interface OpenBackendOptions {
  mode: 'embedded' | 'distributed' | 'cli';
  /** Apply AISBF_CONFIG and the bootstrap user (the edge and the embedded mode; the resolver only reads). */
  seed: boolean;
  log: BackendLog;
}

export function databaseTarget(env: Pick<DatabaseEnv, 'DATABASE_URL' | 'AISBF_DATA_DIR'>, mode: OpenBackendOptions['mode']): DatabaseTarget | null {
  if (env.DATABASE_URL) return { kind: 'mysql', url: env.DATABASE_URL };
  if (mode === 'distributed') return null;
  return { kind: 'sqlite', file: path.resolve(env.AISBF_DATA_DIR, 'aisbf.sqlite') };
}

/** Opens and checks the database (migrating when allowed); the CLI's `migrate` uses this too. */
export async function openDatabase(target: DatabaseTarget, migrate: boolean, log: BackendLog): Promise<DatabaseHandle> {
  if (target.kind === 'sqlite') mkdirSync(path.dirname(target.file), { recursive: true });
  const dataSource = createDataSource(target);
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new Error(`cannot open the database (${describeTarget(target)}): ${(error as Error).message}`);
  }
  const db = new DatabaseHandle(dataSource);
  if (migrate) {
    const applied = await runMigrations(dataSource);
    if (applied.length) log.info(`applied migrations: ${applied.join(', ')}`);
  } else if (await pendingMigrations(dataSource)) {
    await db.close();
    throw new Error(`the database schema (${describeTarget(target)}) is not up to date: run 'aisbf migrate' (npm run migrate) or set AISBF_DB_MIGRATE=true`);
  }
  return db;
}

/**
 * Where users, tokens and routes come from:
 * - DATABASE_URL (MySQL), or the embedded SQLite file: the database, behind the caches, with the
 *   configuration API; AISBF_CONFIG is applied to it at start-up (file-managed items);
 * - distributed without DATABASE_URL: AISBF_CONFIG alone, read-only (no configuration API).
 */
export async function openConfigBackend(env: BackendEnv, box: SecretBox, processEnv: Record<string, string | undefined>, options: OpenBackendOptions): Promise<ConfigBackend> {
  const target = databaseTarget(env, options.mode);
  if (!target) {
    const source = openConfigSource(env, box, processEnv, false);
    return { store: source.store, database: null, description: `${source.description} (read-only, no DATABASE_URL)`, close: async () => undefined };
  }
  const db = await openDatabase(target, options.mode !== 'distributed' || env.AISBF_DB_MIGRATE, options.log);
  if (options.mode === 'distributed' && !env.REDIS_URL) {
    await db.close();
    throw new Error('REDIS_URL is required with DATABASE_URL in distributed mode: replicas share token and configuration caches there');
  }
  let shared: SharedCache = new MemorySharedCache();
  if (env.REDIS_URL) {
    const redis = new RedisSharedCache({ url: env.REDIS_URL, keyPrefix: env.AISBF_REDIS_PREFIX });
    if (!(await redis.connect())) options.log.warn('Redis is unavailable at start-up: serving from the database until it is back');
    shared = redis;
  }
  let lastCacheWarning = 0;
  const onCacheError = () => {
    if (Date.now() - lastCacheWarning < 30_000) return;
    lastCacheWarning = Date.now();
    options.log.warn('the shared cache is failing: reading through to the database');
  };
  const store = new DbConfigStore(db.dataSource, shared, { trustUserEndpoints: env.AISBF_TRUST_USER_ENDPOINTS, flushIntervalMs: env.AISBF_USAGE_FLUSH_MS, onCacheError });
  const invalidator = new ConfigInvalidator(store, shared, onCacheError);
  const writer = new RouteConfigWriter(db, box, invalidator);
  const accounts = new AccountAdmin(db, invalidator);
  const usage = new UsageRecorder(db, {
    flushIntervalMs: env.AISBF_USAGE_FLUSH_MS,
    onError: () => options.log.warn('usage events could not be written yet: kept for the next attempt'),
  });
  const database: ConfigDatabase = { db, store, shared, invalidator, writer, accounts, usage, reports: new UsageReports(db) };
  const backend: ConfigBackend = {
    store,
    database,
    description: describeTarget(target),
    close: async () => {
      await usage.close();
      await store.close();
      await shared.close();
      await db.close();
    },
  };
  if (!options.seed) return backend;
  if (env.AISBF_CONFIG) {
    const report = await applyConfigFile(db, readConfigFile(env.AISBF_CONFIG), box, processEnv, invalidator);
    for (const warning of report.warnings) options.log.warn(warning);
    for (const username of report.disabledUsers) options.log.warn(`user ${username} is no longer in AISBF_CONFIG: disabled`);
    backend.description += ` + file ${env.AISBF_CONFIG} (${report.users} users)`;
  } else {
    backend.generatedToken = await bootstrapUser(database, env, options.mode === 'embedded');
  }
  return backend;
}

/**
 * A fresh database gets AISBF_BOOTSTRAP_USER (admin) with the built-in demo provider, so the first
 * curl works; its token is AISBF_BOOTSTRAP_TOKEN, or generated (returned to be shown once).
 */
async function bootstrapUser(database: ConfigDatabase, env: BackendEnv, allowGenerated: boolean): Promise<string | undefined> {
  const manager = database.db.dataSource.manager;
  const username = env.AISBF_BOOTSTRAP_USER;
  if ((await manager.count(UserEntity)) > 0) {
    // An existing install keeps its users; a given bootstrap token is made sure to exist.
    const token = env.AISBF_BOOTSTRAP_TOKEN;
    if (token && (await manager.exists(UserEntity, { where: { username } })) && !(await manager.exists(ApiTokenEntity, { where: { tokenHash: hashToken(token) } }))) {
      await database.accounts.issueToken(username, { name: 'bootstrap', token });
    }
    return undefined;
  }
  if (!env.AISBF_BOOTSTRAP_TOKEN && !allowGenerated) return undefined;
  const token = env.AISBF_BOOTSTRAP_TOKEN ?? generateApiToken();
  await database.accounts.createUser({ username, role: 'admin' });
  await database.accounts.issueToken(username, { name: 'bootstrap', token });
  const demo = (demoConfig(username, token).users[username].providers ?? {})[DEMO_PROVIDER_ID];
  await database.writer.putItem(username, 'providers', DEMO_PROVIDER_ID, demo, {});
  return env.AISBF_BOOTSTRAP_TOKEN ? undefined : token;
}
