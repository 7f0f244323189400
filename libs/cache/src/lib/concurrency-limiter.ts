import { randomUUID } from 'node:crypto';

/** A held slot; releasing it twice is harmless. */
export interface ConcurrencyLease {
  release(): Promise<void>;
}

/**
 * At most `limit` holders of a key at once (open streams of one user). A lease not renewed
 * within its time to live expires, so a replica that dies cannot hold slots forever.
 */
export interface ConcurrencyLimiter {
  readonly name: string;
  /** A lease, or null when `limit` leases are already held. */
  acquire(key: string, limit: number): Promise<ConcurrencyLease | null>;
}

/** Per-process leases: the embedded mode, and the fallback while Redis is away. */
export class MemoryConcurrencyLimiter implements ConcurrencyLimiter {
  readonly name = 'memory';
  private readonly held = new Map<string, Set<string>>();

  async acquire(key: string, limit: number): Promise<ConcurrencyLease | null> {
    const holders = this.held.get(key) ?? new Set<string>();
    if (holders.size >= limit) return null;
    const id = randomUUID();
    holders.add(id);
    this.held.set(key, holders);
    return {
      release: async () => {
        holders.delete(id);
        if (holders.size === 0 && this.held.get(key) === holders) this.held.delete(key);
      },
    };
  }

  /** Leases held now under `key` (tests and diagnostics). */
  count(key: string): number {
    return this.held.get(key)?.size ?? 0;
  }
}
