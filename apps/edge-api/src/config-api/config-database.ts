import { AisbfError } from '@aisbf/contracts';
import type { ConfigDatabase } from '@aisbf/persistence';

/** The configuration API needs the database; a file-only installation says so plainly. */
export function requireDatabase(database: ConfigDatabase | null): ConfigDatabase {
  if (!database) {
    throw new AisbfError('conflict', 'this installation is configured by its file alone (AISBF_CONFIG without DATABASE_URL): change the file, or give AISBF a DATABASE_URL');
  }
  return database;
}
