import { LRUCache } from 'lru-cache';
import type { SharedCache } from './shared-cache';

/** Most entries held by default: about 2 MB, whatever keys clients make us look up. */
const DEFAULT_MAX_ENTRIES = 10_000;

export interface MemorySharedCacheOptions {
  maxEntries?: number;
  /** The time source (tests move it). */
  now?: () => number;
}

/**
 * The embedded mode's shared cache: one process, so an LRU with expiry times is enough. Bounded
 * like Redis with `maxmemory`: past `maxEntries` the least recently used entry goes first.
 */
export class MemorySharedCache implements SharedCache {
  readonly name = 'memory';
  private readonly entries: LRUCache<string, { value: string; expiresAt: number }>;
  private readonly now: () => number;

  constructor(options: MemorySharedCacheOptions = {}) {
    this.entries = new LRUCache({ max: options.maxEntries ?? DEFAULT_MAX_ENTRIES });
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async del(keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  /** Entries held, expired ones not yet pushed out included. */
  size(): number {
    return this.entries.size;
  }

  isReady(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
