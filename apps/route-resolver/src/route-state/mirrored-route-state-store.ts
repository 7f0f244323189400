import { candidateKey, CandidateStatsSummary, CircuitState, CircuitTransition, StatsSample } from '@aisbf/routing';
import { CandidateRef, refKey, SharedRouteStateStore } from './route-state-store';

export interface CircuitMirrorOptions {
  /** This replica among the others, so it can tell its own notices from theirs. */
  origin: string;
  /** Longest a copy is used without reading Redis again: the bound on staleness if a change notice is lost. */
  ttlMs: number;
  /** Most candidates kept; the copies read longest ago go first. */
  maxEntries: number;
  now?: () => number;
}

interface MirroredCircuit {
  /** null: closed (no cooldown). */
  state: CircuitState | null;
  readAt: number;
}

/**
 * Keeps a copy of the candidates' breaker states in this process, so planning a request reads
 * memory instead of Redis. Every change this replica makes goes to Redis first and updates the
 * copy; `notify` tells the other replicas, which drop theirs (`noticed`) and read Redis again.
 * A copy is never older than `ttlMs`, so a lost notice costs at most that much staleness. The
 * rest of the state (probes, counters, statistics) is the inner store's. It sits under the
 * fallback store, so cooldowns handed back to Redis after an outage are announced like any other
 * change, and nothing read from local state during the outage is kept as a copy.
 */
export class MirroredRouteStateStore implements SharedRouteStateStore {
  private readonly circuits = new Map<string, MirroredCircuit>();
  private readonly now: () => number;

  constructor(
    private readonly inner: SharedRouteStateStore,
    private readonly notify: (ref: CandidateRef) => void,
    private readonly options: CircuitMirrorOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** A replica changed this candidate: unless it was this one, the next read goes to the shared store. */
  noticed(notice: CandidateRef & { origin: string }): void {
    if (notice.origin !== this.options.origin) this.circuits.delete(refKey(notice.username, notice.providerId, notice.model));
  }

  /** The copy of a candidate's state, when it is recent enough to plan with. */
  private fresh(key: string, now: number): MirroredCircuit | undefined {
    const copy = this.circuits.get(key);
    return copy && now - copy.readAt < this.options.ttlMs ? copy : undefined;
  }

  describe(): string {
    return this.inner.describe();
  }

  sharedStateReady(): boolean | null {
    return this.inner.sharedStateReady();
  }

  isReady(): boolean {
    return this.inner.isReady();
  }

  async readCircuits(username: string, candidates: ReadonlyArray<{ providerId: string; model: string }>): Promise<Map<string, CircuitState>> {
    const now = this.now();
    const found = new Map<string, CircuitState>();
    const missing: Array<{ providerId: string; model: string }> = [];
    for (const candidate of candidates) {
      const copy = this.fresh(refKey(username, candidate.providerId, candidate.model), now);
      if (!copy) missing.push(candidate);
      else if (copy.state) found.set(candidateKey(candidate.providerId, candidate.model), copy.state);
    }
    if (missing.length === 0) return found;
    const read = await this.inner.readCircuits(username, missing);
    for (const candidate of missing) {
      const key = candidateKey(candidate.providerId, candidate.model);
      const state = read.get(key) ?? null;
      if (state) found.set(key, state);
      this.keep(refKey(username, candidate.providerId, candidate.model), { state, readAt: now });
    }
    return found;
  }

  async updateCircuit(ref: CandidateRef, transition: (previous: CircuitState | null) => CircuitTransition): Promise<CircuitState | null> {
    // A success of a candidate known healthy changes nothing: no Redis round trip for it.
    const key = refKey(ref.username, ref.providerId, ref.model);
    const copy = this.fresh(key, this.now());
    if (copy && copy.state === null && !transition(null).changed) return null;
    let changed = false;
    const state = await this.inner.updateCircuit(ref, (previous) => {
      const result = transition(previous);
      changed = result.changed;
      return result;
    });
    this.keep(key, { state, readAt: this.now() });
    if (changed) this.notify(ref);
    return state;
  }

  private keep(key: string, copy: MirroredCircuit): void {
    this.circuits.delete(key);
    this.circuits.set(key, copy);
    if (this.circuits.size > this.options.maxEntries) this.circuits.delete(this.circuits.keys().next().value as string);
  }

  claimProbe(ref: CandidateRef, ttlMs: number): Promise<boolean> {
    return this.inner.claimProbe(ref, ttlMs);
  }

  probeHeld(ref: CandidateRef): Promise<boolean> {
    return this.inner.probeHeld(ref);
  }

  nextSequence(username: string, rotation: string): Promise<number> {
    return this.inner.nextSequence(username, rotation);
  }

  peekSequence(username: string, rotation: string): Promise<number> {
    return this.inner.peekSequence(username, rotation);
  }

  recordOutcome(ref: CandidateRef, sample: StatsSample, now: number): Promise<void> {
    return this.inner.recordOutcome(ref, sample, now);
  }

  readStats(username: string, candidates: ReadonlyArray<{ providerId: string; model: string }>, now: number): Promise<Map<string, CandidateStatsSummary>> {
    return this.inner.readStats(username, candidates, now);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
