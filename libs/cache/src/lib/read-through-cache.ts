import { LRUCache } from 'lru-cache';
import type { SharedCache } from './shared-cache';

export interface ReadThroughCacheOptions<T> {
  /** Key prefix in the shared cache (`tok:`, `cfg:`). */
  namespace: string;
  shared: SharedCache;
  /** Most entries kept in process. */
  max: number;
  /** How long an in-process entry is served without asking again. */
  freshMs: (value: T) => number;
  /** How long the shared cache keeps an entry. */
  sharedTtlSeconds: (value: T) => number;
  /** How long an entry may still be served when both the shared cache and the source fail. */
  staleMs: number;
  encode: (value: T) => string;
  decode: (text: string) => T;
  /** Told about a failing shared cache (logged by the caller; never fatal). */
  onSharedError?: (error: unknown) => void;
}

interface Entry<T> {
  value: T;
  freshUntil: number;
}

/**
 * In-process LRU -> shared cache -> source. Invalidation (a broadcast) drops entries at once;
 * otherwise an entry is reused while fresh, and kept a while longer only to serve existing users
 * when the shared cache and the source are both unavailable (stale-if-error).
 */
export class ReadThroughCache<T> {
  private readonly local: LRUCache<string, Entry<T>>;
  private readonly inflight = new Map<string, Promise<T>>();
  /** Bumped by every invalidation, so a load started before it cannot store a stale answer. */
  private generation = 0;

  constructor(private readonly options: ReadThroughCacheOptions<T>) {
    this.local = new LRUCache<string, Entry<T>>({ max: options.max, ttl: options.staleMs, ttlAutopurge: false });
  }

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.local.get(key);
    if (entry && entry.freshUntil > Date.now()) return entry.value;
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = this.fill(key, load, entry).finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  private async fill(key: string, load: () => Promise<T>, stale: Entry<T> | undefined): Promise<T> {
    const generation = this.generation;
    const sharedKey = this.options.namespace + key;
    try {
      const text = await this.options.shared.get(sharedKey);
      if (text !== null) {
        const value = this.options.decode(text);
        this.remember(key, value, generation);
        return value;
      }
    } catch (error) {
      this.options.onSharedError?.(error);
    }
    let value: T;
    try {
      value = await load();
    } catch (error) {
      if (stale) return stale.value;
      throw error;
    }
    this.remember(key, value, generation);
    if (generation === this.generation) {
      this.options.shared.set(sharedKey, this.options.encode(value), this.options.sharedTtlSeconds(value)).catch((error) => this.options.onSharedError?.(error));
    }
    return value;
  }

  private remember(key: string, value: T, generation: number): void {
    if (generation !== this.generation) return;
    this.local.set(key, { value, freshUntil: Date.now() + this.options.freshMs(value) });
  }

  /** Drops in-process entries (this replica only). */
  dropLocal(keys: string[] | 'all' | ((value: T, key: string) => boolean)): void {
    this.generation++;
    if (keys === 'all') {
      this.local.clear();
    } else if (typeof keys === 'function') {
      for (const [key, entry] of this.local.entries()) if (keys(entry.value, key)) this.local.delete(key);
    } else {
      for (const key of keys) this.local.delete(key);
    }
  }

  /** Drops entries here and in the shared cache (the writer's side of an invalidation). */
  async dropShared(keys: string[]): Promise<void> {
    this.dropLocal(keys);
    await this.options.shared.del(keys.map((key) => this.options.namespace + key));
  }
}
