import { AisbfError, ConfigChanged } from '@aisbf/contracts';
import type { SharedCache } from '@aisbf/cache';
import type { DbConfigStore } from './db-config-store';

export type ConfigChangePublisher = (change: ConfigChanged) => void;

/** A second drop a moment after the first: a replica that read the database just before the commit may have refilled Redis. */
const SECOND_DROP_MS = 1_000;

/**
 * The writer's side of cache coherence: refuse writes while the shared cache is away (replicas
 * could not be told), drop Redis entries after a commit, then broadcast `aisbf.config.changed` so
 * every replica drops its in-process copy.
 */
export class ConfigInvalidator {
  private publisher: ConfigChangePublisher = (change) => this.store.invalidate(change);

  constructor(
    private readonly store: DbConfigStore,
    private readonly shared: SharedCache,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Set once the bus is up; without it (the CLI without NATS) only this process is told. */
  setPublisher(publisher: ConfigChangePublisher): void {
    this.publisher = publisher;
  }

  assertWritable(): void {
    if (!this.shared.isReady()) {
      throw new AisbfError('service_unavailable', `the shared cache (${this.shared.name}) is unavailable; configuration changes are refused until it is back, nothing was changed`, {
        retryable: true,
      });
    }
  }

  async changed(change: ConfigChanged, tokenHashes: string[]): Promise<void> {
    const drop = () => this.store.dropShared(change.username, tokenHashes);
    await drop().catch(this.onError);
    this.publisher(change);
    setTimeout(() => void drop().catch(this.onError), SECOND_DROP_MS).unref();
  }
}
