import { candidateKey, type CandidateStatsSummary, type CircuitState, type CircuitTransition, type StatsSample } from '@aisbf/routing';
import type { SharedState } from '../readiness/shared-state-readiness';

/** One user's candidate: cooldowns and statistics are kept per user, provider and model. */
export interface CandidateRef {
  username: string;
  providerId: string;
  model: string;
}

/** One key per user and candidate, for the in-process maps of the stores. */
export const refKey = (username: string, providerId: string, model: string): string => `${username}\u0000${candidateKey(providerId, model)}`;

/**
 * The shared routing state of the resolver replicas: circuit-breaker cooldowns, the half-open
 * probe claims, the per-rotation request counters and per-candidate statistics. Redis in the
 * distributed mode (every replica sees a cooldown at once), memory in the embedded mode.
 */
export interface RouteStateStore extends SharedState {
  /** Where the state lives right now, as shown in route explanations. */
  describe(): string;
  /** Breaker states of these candidates, by candidateKey(provider, model); closed ones are absent. */
  readCircuits(username: string, candidates: ReadonlyArray<{ providerId: string; model: string }>): Promise<Map<string, CircuitState>>;
  /** Applies a breaker transition atomically (other replicas may update the same candidate). */
  updateCircuit(ref: CandidateRef, transition: (previous: CircuitState | null) => CircuitTransition): Promise<CircuitState | null>;
  /** Takes the half-open probe of a candidate for `ttlMs`; false when another request holds it. */
  claimProbe(ref: CandidateRef, ttlMs: number): Promise<boolean>;
  probeHeld(ref: CandidateRef): Promise<boolean>;
  /** The next request number of a rotation (shared by every replica). */
  nextSequence(username: string, rotation: string): Promise<number>;
  /** The number nextSequence would return now, without taking it. */
  peekSequence(username: string, rotation: string): Promise<number>;
  recordOutcome(ref: CandidateRef, sample: StatsSample, now: number): Promise<void>;
  readStats(
    username: string,
    candidates: ReadonlyArray<{ providerId: string; model: string }>,
    now: number,
  ): Promise<Map<string, CandidateStatsSummary>>;
  close(): Promise<void>;
}

/** A store shared by the replicas (Redis), which can be unreachable. */
export interface SharedRouteStateStore extends RouteStateStore {
  isReady(): boolean;
}

export const ROUTE_STATE_STORE = Symbol('ROUTE_STATE_STORE');
/** The cooldown limits in force (from the resolver's environment). */
export const COOLDOWN_POLICY = Symbol('COOLDOWN_POLICY');
