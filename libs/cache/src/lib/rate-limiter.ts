/** A rate: at most `limit` units per `periodMs`, with bursts up to `limit`. */
export interface Rate {
  limit: number;
  periodMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** How long until `cost` units would be allowed; 0 when allowed. */
  retryAfterMs: number;
}

/** GCRA limiter: one stored timestamp per key (the theoretical arrival time). */
export interface RateLimiter {
  readonly name: string;
  take(key: string, rate: Rate, cost?: number, nowMs?: number): Promise<RateDecision>;
  /** Whether `cost` units would be allowed now, without using them. */
  check(key: string, rate: Rate, cost?: number, nowMs?: number): Promise<RateDecision>;
  /**
   * Uses `cost` units even beyond the budget: usage known only afterwards (LLM tokens of an answer).
   * The debt delays later requests until it is paid off.
   */
  debit(key: string, rate: Rate, cost: number, nowMs?: number): Promise<void>;
  /**
   * The keys starting with `prefix` whose budget is not full now (those a request could find
   * spent), up to `max`; null when they cannot all be listed.
   */
  keysInUse(prefix: string, max: number): Promise<string[] | null>;
}

/** The GCRA step shared by the in-memory limiter and mirrored by the Redis Lua script. */
export function gcraStep(
  storedTat: number | undefined,
  rate: Rate,
  cost: number,
  now: number,
): { decision: RateDecision; tat: number } {
  const interval = rate.periodMs / rate.limit;
  const tat = Math.max(storedTat ?? now, now);
  const newTat = tat + interval * cost;
  const allowAt = newTat - rate.periodMs;
  if (allowAt > now) {
    return { decision: { allowed: false, retryAfterMs: Math.ceil(allowAt - now) }, tat };
  }
  return { decision: { allowed: true, retryAfterMs: 0 }, tat: newTat };
}

/** Per-process limiter: embedded mode, and the fallback while Redis is away. */
export class MemoryRateLimiter implements RateLimiter {
  readonly name = 'memory';
  private readonly tats = new Map<string, number>();

  async take(key: string, rate: Rate, cost = 1, nowMs = Date.now()): Promise<RateDecision> {
    const { decision, tat } = gcraStep(this.tats.get(key), rate, cost, nowMs);
    this.tats.set(key, tat);
    if (this.tats.size > 100_000) this.prune(nowMs);
    return decision;
  }

  async check(key: string, rate: Rate, cost = 1, nowMs = Date.now()): Promise<RateDecision> {
    return gcraStep(this.tats.get(key), rate, cost, nowMs).decision;
  }

  async debit(key: string, rate: Rate, cost: number, nowMs = Date.now()): Promise<void> {
    const tat = Math.max(this.tats.get(key) ?? nowMs, nowMs);
    this.tats.set(key, tat + (rate.periodMs / rate.limit) * cost);
  }

  async keysInUse(prefix: string, max: number, nowMs = Date.now()): Promise<string[] | null> {
    const keys: string[] = [];
    for (const [key, tat] of this.tats) {
      if (tat <= nowMs || !key.startsWith(prefix)) continue;
      if (keys.length === max) return null;
      keys.push(key);
    }
    return keys;
  }

  /** Drops keys whose budget is full again; they hold no information. */
  private prune(now: number): void {
    for (const [key, tat] of this.tats) if (tat <= now) this.tats.delete(key);
  }
}
