/**
 * Cooldowns as a circuit breaker per candidate (provider + model):
 *
 *   closed --retryable failure--> open (error_cooldown s, or Retry-After if longer)
 *   open   --time passes-------> half-open: one request may probe the candidate
 *   half-open --probe succeeds--> closed
 *   half-open --probe fails-----> open again, for twice as long (up to the cap)
 *
 * Failures reported while the circuit is already open come from requests that started before it
 * opened: they may lengthen it to a longer Retry-After, but they do not count as repeated failure.
 * Likewise a success reported while open does not close it (the request predates the opening).
 */
export interface CircuitState {
  /** Epoch ms until which the candidate is skipped. */
  openUntil: number;
  /** Epoch ms of the last opening. */
  openedAt: number;
  /** 1 for the first opening, +1 for each failed half-open probe. */
  level: number;
  /** What opened it last: the error's HTTP status and code. */
  status: number;
  code: string | null;
}

export type CircuitPhase = 'closed' | 'open' | 'half_open';

export interface CooldownPolicy {
  /** error_cooldown of a candidate that does not set one (and of direct provider routes). */
  defaultCooldownSeconds: number;
  /** Longest cooldown, however often a candidate fails and whatever Retry-After says. */
  maxCooldownSeconds: number;
}

export const DEFAULT_COOLDOWN_POLICY: CooldownPolicy = { defaultCooldownSeconds: 60, maxCooldownSeconds: 3_600 };

/** How long a half-open probe keeps other requests off the candidate when its outcome never arrives. */
export const PROBE_CLAIM_MS = 15_000;

/** What an attempt's outcome tells the breaker. */
export interface CircuitSignal {
  ok: boolean;
  /** The failure means "this candidate cannot serve now" (connect error, timeout, 429, 5xx, 401/403/404/413). */
  retryable: boolean;
  status: number;
  code: string | null;
  retryAfterSeconds?: number;
  errorCooldownSeconds?: number;
}

export function circuitPhase(state: CircuitState | null | undefined, now: number): CircuitPhase {
  if (!state) return 'closed';
  return now < state.openUntil ? 'open' : 'half_open';
}

/**
 * Seconds to stay open at a level: error_cooldown doubled per failed probe, never below
 * error_cooldown, at least as long as Retry-After, at most the cap (or error_cooldown when the
 * candidate's own setting is longer than the cap).
 */
export function cooldownSeconds(level: number, baseSeconds: number, retryAfterSeconds: number | undefined, policy: CooldownPolicy): number {
  const base = Math.max(0, baseSeconds);
  const cap = Math.max(policy.maxCooldownSeconds, base);
  const escalated = base * 2 ** Math.max(0, Math.min(level, 32) - 1);
  const wanted = Math.max(escalated, retryAfterSeconds ?? 0);
  return Math.min(cap, Math.max(base, wanted));
}

export interface CircuitTransition {
  state: CircuitState | null;
  changed: boolean;
}

/** The breaker's next state after one outcome. */
export function nextCircuitState(
  previous: CircuitState | null | undefined,
  signal: CircuitSignal,
  now: number,
  policy: CooldownPolicy = DEFAULT_COOLDOWN_POLICY,
): CircuitTransition {
  const prev = previous ?? null;
  const phase = circuitPhase(prev, now);
  const base = signal.errorCooldownSeconds ?? policy.defaultCooldownSeconds;
  if (signal.ok) {
    // Only a probe's success closes the circuit.
    return phase === 'half_open' ? { state: null, changed: true } : { state: prev, changed: false };
  }
  // A client error the upstream rejected (bad parameter): the candidate is fine.
  if (!signal.retryable) return { state: prev, changed: false };

  if (phase === 'open' && prev) {
    const retryUntil = now + cooldownSeconds(0, 0, signal.retryAfterSeconds, policy) * 1000;
    if (retryUntil <= prev.openUntil) return { state: prev, changed: false };
    return { state: { ...prev, openUntil: retryUntil, status: signal.status, code: signal.code }, changed: true };
  }
  const level = phase === 'half_open' && prev ? prev.level + 1 : 1;
  const seconds = cooldownSeconds(level, base, signal.retryAfterSeconds, policy);
  if (seconds <= 0) return { state: prev, changed: false };
  return {
    state: { openUntil: now + seconds * 1000, openedAt: now, level, status: signal.status, code: signal.code },
    changed: true,
  };
}

/**
 * Two views of one candidate's breaker (the local fallback and Redis after an outage): the one
 * that keeps the candidate away longer wins, with the higher level.
 */
export function mergeCircuitStates(a: CircuitState | null | undefined, b: CircuitState | null | undefined): CircuitState | null {
  if (!a) return b ?? null;
  if (!b) return a;
  const later = a.openUntil >= b.openUntil ? a : b;
  return { ...later, level: Math.max(a.level, b.level) };
}

/** How long a stored state is worth keeping: while open, then long enough to remember its level. */
export function circuitRetentionMs(state: CircuitState, now: number, policy: CooldownPolicy = DEFAULT_COOLDOWN_POLICY): number {
  return Math.max(1_000, state.openUntil - now + policy.maxCooldownSeconds * 1000);
}
