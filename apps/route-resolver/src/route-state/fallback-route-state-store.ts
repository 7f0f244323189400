import { Logger } from '@nestjs/common';
import { CandidateStatsSummary, CircuitState, CircuitTransition, mergeCircuitStates, StatsSample } from '@aisbf/routing';
import { MemoryRouteStateStore } from './memory-route-state-store';
import { CandidateRef, RouteStateStore, SharedRouteStateStore } from './route-state-store';

/**
 * Redis first; this process's memory while Redis is unreachable, so a Redis outage never fails a
 * request: cooldowns keep working per replica, and the circuits opened meanwhile are handed to
 * Redis when it is back.
 */
export class FallbackRouteStateStore implements RouteStateStore {
  private readonly logger = new Logger('route-state');
  private degraded = false;
  private syncing: Promise<void> | null = null;

  constructor(
    private readonly primary: SharedRouteStateStore,
    private readonly local: MemoryRouteStateStore,
  ) {}

  describe(): string {
    return this.primary.isReady() ? this.primary.describe() : 'memory (redis unavailable)';
  }

  sharedStateReady(): boolean {
    return this.primary.isReady();
  }

  private async run<T>(operation: string, remote: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (this.primary.isReady()) {
      try {
        const value = await remote();
        if (this.degraded) void this.recovered();
        return value;
      } catch (error) {
        this.degrade(operation, error);
      }
    } else this.degrade(operation, null);
    return fallback();
  }

  private degrade(operation: string, error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    const why = error instanceof Error ? error.message : 'not connected';
    this.logger.warn(`redis unavailable (${operation}: ${why}): cooldowns and counters are kept in this process until it is back`);
  }

  /** Called when a Redis command works again (and on the client's `ready` event); settles when the hand-over is done. */
  recovered(): Promise<void> {
    if (!this.degraded) return Promise.resolve();
    if (this.syncing) return this.syncing;
    this.syncing = this.handOver()
      .then(() => {
        this.degraded = false;
        this.logger.log('redis is back: cooldowns are shared again');
      })
      .catch((error: Error) => this.logger.warn(`redis is back but handing cooldowns over failed: ${error.message}`))
      .finally(() => (this.syncing = null));
    return this.syncing;
  }

  /** Circuits opened locally during the outage go to Redis (merged with what other replicas stored). */
  private async handOver(): Promise<void> {
    for (const { ref, state } of this.local.openCircuits()) {
      await this.primary.updateCircuit(ref, (previous) => {
        const merged = mergeCircuitStates(previous, state);
        return { state: merged, changed: JSON.stringify(merged) !== JSON.stringify(previous) };
      });
      this.local.forgetCircuit(ref);
    }
  }

  async readCircuits(username: string, candidates: ReadonlyArray<{ providerId: string; model: string }>): Promise<Map<string, CircuitState>> {
    const local = await this.local.readCircuits(username, candidates);
    const remote = await this.run('read cooldowns', () => this.primary.readCircuits(username, candidates), async () => new Map<string, CircuitState>());
    for (const [key, state] of local) remote.set(key, mergeCircuitStates(remote.get(key), state)!);
    return remote;
  }

  updateCircuit(ref: CandidateRef, transition: (previous: CircuitState | null) => CircuitTransition): Promise<CircuitState | null> {
    return this.run(
      'update cooldown',
      () => this.primary.updateCircuit(ref, transition),
      () => this.local.updateCircuit(ref, transition),
    );
  }

  claimProbe(ref: CandidateRef, ttlMs: number): Promise<boolean> {
    return this.run('claim probe', () => this.primary.claimProbe(ref, ttlMs), () => this.local.claimProbe(ref, ttlMs));
  }

  probeHeld(ref: CandidateRef): Promise<boolean> {
    return this.run('read probe', () => this.primary.probeHeld(ref), () => this.local.probeHeld(ref));
  }

  nextSequence(username: string, rotation: string): Promise<number> {
    return this.run('count request', () => this.primary.nextSequence(username, rotation), () => this.local.nextSequence(username, rotation));
  }

  peekSequence(username: string, rotation: string): Promise<number> {
    return this.run('read counter', () => this.primary.peekSequence(username, rotation), () => this.local.peekSequence(username, rotation));
  }

  recordOutcome(ref: CandidateRef, sample: StatsSample, now: number): Promise<void> {
    return this.run('record statistics', () => this.primary.recordOutcome(ref, sample, now), () => this.local.recordOutcome(ref, sample, now));
  }

  readStats(
    username: string,
    candidates: ReadonlyArray<{ providerId: string; model: string }>,
    now: number,
  ): Promise<Map<string, CandidateStatsSummary>> {
    return this.run(
      'read statistics',
      () => this.primary.readStats(username, candidates, now),
      () => this.local.readStats(username, candidates, now),
    );
  }

  async close(): Promise<void> {
    await this.syncing;
    await this.primary.close();
    await this.local.close();
  }
}
