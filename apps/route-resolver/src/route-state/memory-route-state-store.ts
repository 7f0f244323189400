import {
  addCounters,
  candidateKey,
  CandidateStatsSummary,
  circuitRetentionMs,
  CircuitState,
  CircuitTransition,
  CooldownPolicy,
  EMPTY_COUNTERS,
  STATS_BUCKET_MS,
  STATS_WINDOW_BUCKETS,
  StatsCounters,
  statsIncrement,
  StatsMarks,
  statsMarksUpdate,
  StatsSample,
  statsWindowBuckets,
  statsBucketStart,
  summarizeStats,
} from '@aisbf/routing';
import { CandidateRef, refKey, RouteStateStore } from './route-state-store';

const NO_MARKS: StatsMarks = { lastSuccessAt: null, lastFailureAt: null, lastFailureStatus: null, lastFailureCode: null };

interface CandidateStats {
  buckets: Map<number, StatsCounters>;
  marks: StatsMarks;
}

/**
 * Routing state in this process: the embedded mode's store, and each resolver's fallback while
 * Redis is unreachable. Same behaviour as the Redis store, expiry included.
 */
export class MemoryRouteStateStore implements RouteStateStore {
  private readonly circuits = new Map<string, { ref: CandidateRef; state: CircuitState; expiresAt: number }>();
  private readonly probes = new Map<string, number>();
  private readonly sequences = new Map<string, number>();
  private readonly stats = new Map<string, CandidateStats>();

  constructor(
    private readonly policy: CooldownPolicy,
    private readonly clock: () => number = Date.now,
  ) {}

  describe(): string {
    return 'memory';
  }

  sharedStateReady(): null {
    return null;
  }

  private circuit(key: string): CircuitState | null {
    const entry = this.circuits.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.clock()) {
      this.circuits.delete(key);
      return null;
    }
    return entry.state;
  }

  async readCircuits(username: string, candidates: ReadonlyArray<{ providerId: string; model: string }>): Promise<Map<string, CircuitState>> {
    const result = new Map<string, CircuitState>();
    for (const { providerId, model } of candidates) {
      const state = this.circuit(refKey(username, providerId, model));
      if (state) result.set(candidateKey(providerId, model), state);
    }
    return result;
  }

  async updateCircuit(ref: CandidateRef, transition: (previous: CircuitState | null) => CircuitTransition): Promise<CircuitState | null> {
    const key = refKey(ref.username, ref.providerId, ref.model);
    const previous = this.circuit(key);
    const { state, changed } = transition(previous);
    if (!changed) return previous;
    this.probes.delete(key);
    if (state) {
      const now = this.clock();
      this.circuits.set(key, { ref, state, expiresAt: now + circuitRetentionMs(state, now, this.policy) });
    } else this.circuits.delete(key);
    return state;
  }

  private held(key: string): boolean {
    const until = this.probes.get(key);
    if (until === undefined) return false;
    if (until > this.clock()) return true;
    this.probes.delete(key);
    return false;
  }

  async claimProbe(ref: CandidateRef, ttlMs: number): Promise<boolean> {
    // Checked and taken in one synchronous step: concurrent claims cannot both win.
    const key = refKey(ref.username, ref.providerId, ref.model);
    if (this.held(key)) return false;
    this.probes.set(key, this.clock() + ttlMs);
    return true;
  }

  async probeHeld(ref: CandidateRef): Promise<boolean> {
    return this.held(refKey(ref.username, ref.providerId, ref.model));
  }

  async nextSequence(username: string, rotation: string): Promise<number> {
    const key = `${username}\u0000${rotation}`;
    const next = (this.sequences.get(key) ?? 0) + 1;
    this.sequences.set(key, next);
    return next;
  }

  async peekSequence(username: string, rotation: string): Promise<number> {
    return (this.sequences.get(`${username}\u0000${rotation}`) ?? 0) + 1;
  }

  async recordOutcome(ref: CandidateRef, sample: StatsSample, now: number): Promise<void> {
    const key = refKey(ref.username, ref.providerId, ref.model);
    const entry = this.stats.get(key) ?? { buckets: new Map(), marks: { ...NO_MARKS } };
    const bucket = statsBucketStart(now);
    entry.buckets.set(bucket, addCounters(entry.buckets.get(bucket) ?? EMPTY_COUNTERS, statsIncrement(sample)));
    for (const start of entry.buckets.keys()) if (start <= bucket - STATS_WINDOW_BUCKETS * STATS_BUCKET_MS) entry.buckets.delete(start);
    entry.marks = { ...entry.marks, ...statsMarksUpdate(sample, now) };
    this.stats.set(key, entry);
  }

  async readStats(
    username: string,
    candidates: ReadonlyArray<{ providerId: string; model: string }>,
    now: number,
  ): Promise<Map<string, CandidateStatsSummary>> {
    const result = new Map<string, CandidateStatsSummary>();
    const window = statsWindowBuckets(now);
    for (const { providerId, model } of candidates) {
      const entry = this.stats.get(refKey(username, providerId, model));
      const buckets = entry ? window.map((start) => entry.buckets.get(start) ?? EMPTY_COUNTERS) : [];
      result.set(candidateKey(providerId, model), summarizeStats(buckets, entry?.marks ?? NO_MARKS));
    }
    return result;
  }

  /** Open circuits held here (handed to Redis when it is back). */
  openCircuits(): Array<{ ref: CandidateRef; state: CircuitState }> {
    return [...this.circuits.keys()].flatMap((key) => {
      const state = this.circuit(key);
      return state ? [{ ref: this.circuits.get(key)!.ref, state }] : [];
    });
  }

  forgetCircuit(ref: CandidateRef): void {
    this.circuits.delete(refKey(ref.username, ref.providerId, ref.model));
  }

  async close(): Promise<void> {
    this.circuits.clear();
  }
}
