import fc from 'fast-check';
import {
  CircuitSignal,
  CircuitState,
  circuitPhase,
  cooldownSeconds,
  CooldownPolicy,
  mergeCircuitStates,
  nextCircuitState,
} from './cooldown-policy';

const policy: CooldownPolicy = { defaultCooldownSeconds: 60, maxCooldownSeconds: 600 };
const T0 = 1_700_000_000_000;
const fail = (extra: Partial<CircuitSignal> = {}): CircuitSignal => ({ ok: false, retryable: true, status: 502, code: 'upstream_error', ...extra });
const ok: CircuitSignal = { ok: true, retryable: false, status: 200, code: null };

describe('cooldown policy (circuit breaker per candidate)', () => {
  it('opens on a retryable failure for the candidate error_cooldown', () => {
    const { state, changed } = nextCircuitState(null, fail({ errorCooldownSeconds: 120 }), T0, policy);
    expect(changed).toBe(true);
    expect(state).toMatchObject({ openUntil: T0 + 120_000, openedAt: T0, level: 1, status: 502, code: 'upstream_error' });
    expect(circuitPhase(state, T0 + 119_999)).toBe('open');
    expect(circuitPhase(state, T0 + 120_000)).toBe('half_open');
  });

  it('uses the default cooldown when the candidate sets none', () => {
    expect(nextCircuitState(null, fail(), T0, policy).state?.openUntil).toBe(T0 + 60_000);
  });

  it('honours a Retry-After longer than error_cooldown, and only then', () => {
    const longer = nextCircuitState(null, fail({ status: 429, errorCooldownSeconds: 1, retryAfterSeconds: 7 }), T0, policy);
    expect(longer.state?.openUntil).toBe(T0 + 7_000);
    const shorter = nextCircuitState(null, fail({ status: 429, errorCooldownSeconds: 60, retryAfterSeconds: 7 }), T0, policy);
    expect(shorter.state?.openUntil).toBe(T0 + 60_000);
  });

  it('never opens for a client error the upstream rejected, nor for successes', () => {
    expect(nextCircuitState(null, { ok: false, retryable: false, status: 400, code: 'invalid_request' }, T0, policy)).toEqual({
      state: null,
      changed: false,
    });
    expect(nextCircuitState(null, ok, T0, policy)).toEqual({ state: null, changed: false });
  });

  it('does not count failures of requests that were already running when it opened', () => {
    const opened = nextCircuitState(null, fail({ errorCooldownSeconds: 10 }), T0, policy).state;
    const again = nextCircuitState(opened, fail({ errorCooldownSeconds: 10 }), T0 + 500, policy);
    expect(again).toEqual({ state: opened, changed: false });
    // ...but a longer Retry-After still lengthens it.
    const later = nextCircuitState(opened, fail({ status: 429, retryAfterSeconds: 30 }), T0 + 500, policy);
    expect(later.state).toMatchObject({ openUntil: T0 + 30_500, level: 1, status: 429 });
  });

  it('closes after one successful half-open probe, not on a success while open', () => {
    const opened = nextCircuitState(null, fail({ errorCooldownSeconds: 10 }), T0, policy).state;
    expect(nextCircuitState(opened, ok, T0 + 5_000, policy)).toEqual({ state: opened, changed: false });
    expect(nextCircuitState(opened, ok, T0 + 10_000, policy)).toEqual({ state: null, changed: true });
  });

  it('doubles the cooldown on each failed probe, up to the cap', () => {
    let state: CircuitState | null = null;
    let now = T0;
    const lengths: number[] = [];
    for (let i = 0; i < 8; i++) {
      state = nextCircuitState(state, fail({ errorCooldownSeconds: 60 }), now, policy).state!;
      lengths.push((state.openUntil - now) / 1000);
      now = state.openUntil; // the probe fails as soon as it is allowed
    }
    expect(lengths).toEqual([60, 120, 240, 480, 600, 600, 600, 600]);
    expect(state!.level).toBe(8);
  });

  it('keeps a candidate error_cooldown longer than the cap', () => {
    expect(cooldownSeconds(1, 7_200, undefined, policy)).toBe(7_200);
    expect(cooldownSeconds(3, 7_200, undefined, policy)).toBe(7_200);
  });

  it('error_cooldown 0 means failover only, unless the upstream asks to wait', () => {
    expect(nextCircuitState(null, fail({ errorCooldownSeconds: 0 }), T0, policy).state).toBeNull();
    expect(nextCircuitState(null, fail({ errorCooldownSeconds: 0, retryAfterSeconds: 3 }), T0, policy).state?.openUntil).toBe(T0 + 3_000);
  });

  it('bounds every opening between error_cooldown and the cap, at least Retry-After (capped)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 3_000 }),
        fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
        (level, base, retryAfter) => {
          const seconds = cooldownSeconds(level, base, retryAfter, policy);
          const cap = Math.max(policy.maxCooldownSeconds, base);
          expect(seconds).toBeGreaterThanOrEqual(base);
          expect(seconds).toBeLessThanOrEqual(cap);
          expect(seconds).toBeGreaterThanOrEqual(Math.min(cap, retryAfter ?? 0));
          expect(cooldownSeconds(level + 1, base, retryAfter, policy)).toBeGreaterThanOrEqual(seconds);
        },
      ),
    );
  });

  it('over any history, is closed or open with a sane state, and closes only through a probe', () => {
    const event = fc.record({
      ok: fc.boolean(),
      retryable: fc.boolean(),
      retryAfter: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
      advanceMs: fc.integer({ min: 0, max: 2_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.integer({ min: 0, max: 300 }), (events, base) => {
        let state: CircuitState | null = null;
        let now = T0;
        for (const e of events) {
          now += e.advanceMs;
          const before = circuitPhase(state, now);
          const signal: CircuitSignal = e.ok
            ? ok
            : { ok: false, retryable: e.retryable, status: 503, code: 'x', retryAfterSeconds: e.retryAfter, errorCooldownSeconds: base };
          const next: CircuitState | null = nextCircuitState(state, signal, now, policy).state;
          if (before !== 'closed' && next === null) expect(before === 'half_open' && e.ok).toBe(true);
          if (next) {
            expect(next.level).toBeGreaterThanOrEqual(1);
            expect(next.openUntil).toBeGreaterThanOrEqual(next.openedAt);
            expect(next.openUntil - now).toBeLessThanOrEqual(Math.max(policy.maxCooldownSeconds, base) * 1000);
          }
          state = next;
        }
      }),
    );
  });

  it('merges two views of a breaker: the longer opening and the higher level win', () => {
    const a: CircuitState = { openUntil: T0 + 10_000, openedAt: T0, level: 1, status: 500, code: 'upstream_error' };
    const b: CircuitState = { openUntil: T0 + 5_000, openedAt: T0, level: 3, status: 429, code: 'rate_limit_exceeded' };
    expect(mergeCircuitStates(a, b)).toEqual({ ...a, level: 3 });
    expect(mergeCircuitStates(b, a)).toEqual({ ...a, level: 3 });
    expect(mergeCircuitStates(null, b)).toEqual(b);
    expect(mergeCircuitStates(a, undefined)).toEqual(a);
  });
});
