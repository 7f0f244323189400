import { LRUCache } from 'lru-cache';
import type { DecisionStore, StoredDecision } from './decision-store';

/** The embedded mode's store: one process, so claims always succeed (coalescing happens in process). */
export class MemoryDecisionStore implements DecisionStore {
  private readonly entries = new LRUCache<string, StoredDecision>({ max: 10_000, ttlAutopurge: false });

  async getMany(keys: readonly string[]): Promise<Array<StoredDecision | null>> {
    return keys.map((key) => this.entries.get(key) ?? null);
  }

  async set(key: string, decision: StoredDecision, ttlSeconds: number): Promise<void> {
    this.entries.set(key, decision, { ttl: ttlSeconds * 1000 });
  }

  sharedStateReady(): null {
    return null;
  }

  async claim(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {
    return undefined;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
