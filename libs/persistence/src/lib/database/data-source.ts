import { DataSource } from 'typeorm';
import { UserEntity } from './entities/user.entity';
import { ApiTokenEntity } from './entities/api-token.entity';
import { AutoselectEntity, ProviderEntity, RotationEntity } from './entities/route-item.entity';
import { UsageEventEntity } from './entities/usage-event.entity';
import { InitialSchema1735689600000 } from './migrations/1735689600000-initial-schema';
import { UserLimits1764979200000 } from './migrations/1764979200000-user-limits';
import { sqliteFileSaver } from './sqlite-file-saver';

export const ENTITIES = [UserEntity, ApiTokenEntity, ProviderEntity, RotationEntity, AutoselectEntity, UsageEventEntity];
/** Every migration, oldest first. New ones are appended; shipped ones are never edited. */
export const MIGRATIONS = [InitialSchema1735689600000, UserLimits1764979200000];

/** MySQL/MariaDB for the distributed mode, or a SQLite file (sql.js: no native build) for the embedded mode. */
export type DatabaseTarget = { kind: 'mysql'; url: string } | { kind: 'sqlite'; file: string };

export function createDataSource(target: DatabaseTarget): DataSource {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (target.kind === 'mysql') {
    return new DataSource({
      ...common,
      type: 'mysql',
      connectorPackage: 'mysql2',
      url: target.url,
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      connectTimeout: 5_000,
      poolSize: 10,
      // A pool whose server went away answers quickly with an error instead of queueing forever.
      extra: { waitForConnections: true, queueLimit: 200, enableKeepAlive: true },
    });
  }
  // `location` is read at start; every save goes through the atomic saver.
  return new DataSource({ ...common, type: 'sqljs', location: target.file, autoSave: true, autoSaveCallback: sqliteFileSaver(target.file), useLocalForage: false });
}

/** Names the database without its password, for logs. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return `sqlite ${target.file}`;
  const url = new URL(target.url);
  return `mysql ${url.hostname}:${url.port || 3306}${url.pathname}`;
}
