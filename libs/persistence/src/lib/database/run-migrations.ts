import type { DataSource } from 'typeorm';

const LOCK = 'aisbf_migrations';

/**
 * Applies pending migrations. On MySQL a named lock makes concurrent runners (a Kubernetes Job and
 * a replica started with AISBF_DB_MIGRATE, say) take turns; the second finds nothing left to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  if (dataSource.options.type !== 'mysql') {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [row] = (await runner.query('SELECT GET_LOCK(?, 120) AS got', [LOCK])) as Array<{ got: number | null }>;
    if (Number(row?.got) !== 1) throw new Error('another process holds the migration lock for more than 120 s');
    try {
      return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [LOCK]);
    }
  } finally {
    await runner.release();
  }
}

/** Migrations not applied yet (services refuse to start on an old schema rather than fail later). */
export async function pendingMigrations(dataSource: DataSource): Promise<boolean> {
  return dataSource.showMigrations();
}
