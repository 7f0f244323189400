import type { DecisionStore, StoredDecision } from './decision-store';

/** How many earlier turns back a conversation looks for its last decision. */
const PREFIX_LOOKBACK = 16;
const POLL_MS = 25;

export type CacheLookup = { kind: 'hit'; decision: StoredDecision } | { kind: 'prefix'; decision: StoredDecision } | { kind: 'miss' };

export interface Computed {
  decision: StoredDecision;
  /** False for decisions that must not be reused (taken without a classifier verdict). */
  cacheable: boolean;
}

/**
 * Decisions per user, policy and conversation prefix. The whole conversation seen before is a
 * hit; an earlier turn of it is a prefix (its decision is the starting point). Identical
 * selections running at once are computed once: in this process by sharing the promise, across
 * replicas by a short claim in the store that the others wait on.
 */
export class DecisionCache {
  private readonly inflight = new Map<string, Promise<Computed>>();

  constructor(
    private readonly store: DecisionStore,
    private readonly ttlSeconds: number,
  ) {}

  async lookup(keys: readonly string[]): Promise<CacheLookup> {
    if (keys.length === 0) return { kind: 'miss' };
    const wanted = [keys[keys.length - 1]];
    for (let i = keys.length - 2; i >= Math.max(0, keys.length - 1 - PREFIX_LOOKBACK); i--) wanted.push(keys[i]);
    const found = await this.store.getMany(wanted);
    if (found[0]) return { kind: 'hit', decision: found[0] };
    for (let i = 1; i < found.length; i++) {
      const decision = found[i];
      // The decision of messages 0..k is only a prefix of this conversation if it covered k+1 messages.
      if (decision && decision.messageCount === keys.length - i) return { kind: 'prefix', decision };
    }
    return { kind: 'miss' };
  }

  /** Runs `compute` once for concurrent callers of the same key; `coalesced` tells a caller it waited on another. */
  async once(key: string, waitMs: number, compute: () => Promise<Computed>): Promise<Computed & { coalesced: boolean }> {
    const running = this.inflight.get(key);
    if (running) return { ...(await running), coalesced: true };
    const work = this.claimOrWait(key, waitMs, compute);
    const shared = work.then((r) => r.computed);
    // Callers that joined see the failure through `shared`; nobody joining must not make it unhandled.
    shared.catch(() => undefined);
    this.inflight.set(key, shared);
    try {
      const result = await work;
      return { ...result.computed, coalesced: result.coalesced };
    } finally {
      this.inflight.delete(key);
    }
  }

  private async claimOrWait(key: string, waitMs: number, compute: () => Promise<Computed>): Promise<{ computed: Computed; coalesced: boolean }> {
    if (!(await this.store.claim(key, waitMs))) {
      // Another replica is computing this decision: wait for it rather than ask the selector twice.
      const until = Date.now() + waitMs;
      while (Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        const [decision] = await this.store.getMany([key]);
        if (decision) return { computed: { decision, cacheable: false }, coalesced: true };
      }
    }
    try {
      const computed = await compute();
      if (computed.cacheable) await this.store.set(key, computed.decision, this.ttlSeconds);
      return { computed, coalesced: false };
    } finally {
      await this.store.release(key);
    }
  }
}
