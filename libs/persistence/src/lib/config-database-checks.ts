import type { ConfigDatabase } from './config-backend';

/** Reachability of the database behind a configuration store (a `SELECT 1`); null without one. */
export function databaseCheck(database: ConfigDatabase | null): (() => Promise<boolean>) | null {
  if (!database) return null;
  return async () => {
    await database.db.dataSource.query('SELECT 1');
    return true;
  };
}

/** Connection of the shared cache behind it when that cache is Redis; null otherwise. */
export function sharedCacheCheck(database: ConfigDatabase | null): (() => boolean) | null {
  if (!database || database.shared.name !== 'redis') return null;
  return () => database.shared.isReady();
}
