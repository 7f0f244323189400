import type { DataSource, EntityManager } from 'typeorm';
import { databaseError } from './database-errors';

/**
 * The DataSource plus one rule: on the embedded SQLite (one in-memory connection, saved to a file)
 * writes take turns in this process; on MySQL they run concurrently and row locks order them.
 */
export class DatabaseHandle {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  get isMysql(): boolean {
    return this.dataSource.options.type === 'mysql';
  }

  /** One write transaction; failures come out as AISBF errors (503 when the database is away). */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        throw databaseError(error);
      }
    });
  }

  /** Runs `work` alone on SQLite (a transaction in progress must not swallow unrelated writes). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.isMysql) return work();
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    });
  }
}
