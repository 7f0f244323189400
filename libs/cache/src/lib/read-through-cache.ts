import { LRUCache } from 'lru-cache';
import type { SharedCache } from './shared-cache';

export interface ReadThroughCacheOptions<T> {
  /** Key prefix in the shared cache (`tok:`, `cfg:`). */
  namespace: string;
  shared: SharedCache;
  /** Most found entries kept in process. */
  max: number;
  /** How long an in-process found entry is served without asking again. */
  freshMs: number;
  /** How long the shared cache keeps an entry. */
  sharedTtlSeconds: (value: T) => number;
  /** How long a found entry may still be served when both the shared cache and the source fail. */
  staleMs: number;
  /**
   * Answers that found nothing (an unknown token, a missing user). Their keys are whatever clients
   * send, so they are kept apart: at most `max` of them, each for `freshMs`, never served stale,
   * and never pushing found entries out.
   */
  absent: { is: (value: T) => boolean; max: number; freshMs: number };
  encode: (value: T) => string;
  decode: (text: string) => T;
  /** Told about a failing shared cache (logged by the caller; never fatal). */
  onSharedError?: (error: unknown) => void;
  /** The time source (tests move it). */
  now?: () => number;
}

interface Entry<T> {
  value: T;
  freshUntil: number;
}

/**
 * In-process LRU -> shared cache -> source. Invalidation (a broadcast) drops entries at once;
 * otherwise an entry is reused while fresh, and a found one is kept a while longer only to serve
 * existing users when the shared cache and the source are both unavailable (stale-if-error).
 */
export class ReadThroughCache<T> {
  private readonly found: LRUCache<string, Entry<T>>;
  private readonly absent: LRUCache<string, Entry<T>>;
  private readonly inflight = new Map<string, Promise<T>>();
  private readonly now: () => number;
  /** Bumped by every invalidation, so a load started before it cannot store a stale answer. */
  private generation = 0;

  constructor(private readonly options: ReadThroughCacheOptions<T>) {
    this.now = options.now ?? Date.now;
    this.found = new LRUCache<string, Entry<T>>({ max: options.max, ttl: options.staleMs, ttlAutopurge: false });
    this.absent = new LRUCache<string, Entry<T>>({ max: options.absent.max });
  }

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.found.get(key) ?? this.absent.get(key);
    if (entry && entry.freshUntil > this.now()) return entry.value;
    // Concurrent callers share one load; the map holds only loads in progress.
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = this.fill(key, load, this.found.get(key)).finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  /** Entries held in process: found and absent (for tests and diagnostics). */
  size(): { found: number; absent: number; loading: number } {
    return { found: this.found.size, absent: this.absent.size, loading: this.inflight.size };
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
    if (this.options.absent.is(value)) {
      // What is gone now must not come back as a stale copy when the source fails later.
      this.found.delete(key);
      this.absent.set(key, { value, freshUntil: this.now() + this.options.absent.freshMs });
    } else {
      this.absent.delete(key);
      this.found.set(key, { value, freshUntil: this.now() + this.options.freshMs });
    }
  }

  /** Drops in-process entries (this replica only). */
  dropLocal(keys: string[] | 'all' | ((value: T, key: string) => boolean)): void {
    this.generation++;
    for (const entries of [this.found, this.absent]) {
      if (keys === 'all') {
        entries.clear();
      } else if (typeof keys === 'function') {
        for (const [key, entry] of entries.entries()) if (keys(entry.value, key)) entries.delete(key);
      } else {
        for (const key of keys) entries.delete(key);
      }
    }
  }

  /** Drops entries here and in the shared cache (the writer's side of an invalidation). */
  async dropShared(keys: string[]): Promise<void> {
    this.dropLocal(keys);
    await this.options.shared.del(keys.map((key) => this.options.namespace + key));
  }
}
