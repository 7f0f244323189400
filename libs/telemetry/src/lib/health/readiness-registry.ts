import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** Answers whether one dependency is usable right now; may be async (a ping); throwing means "down". */
export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface ReadinessCheckOptions {
  /**
   * false for a dependency the service degrades without (the database behind cached
   * configuration, Redis behind local fallbacks): it is reported in /readyz and in
   * aisbf_dependency_up, but does not make the process unready, so an outage of it does not take
   * every replica out of its Service at once. Default true.
   */
  critical?: boolean;
}

export type CheckState = 'ok' | 'failing' | 'timeout';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckState>;
}

/** A check slower than this counts as failing: a probe must answer even when a dependency hangs. */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

/**
 * The dependencies a process reports in /readyz and in aisbf_dependency_up. Each part of a service
 * registers what it actually uses (the bus, the database, Redis), so a classifier that holds no
 * database connection is not reported unready when the database is down.
 */
export class ReadinessRegistry {
  private readonly checks = new Map<string, { check: ReadinessCheck; critical: boolean }>();

  /** Adds (or replaces) a named check; returns the function that removes it again. */
  register(name: string, check: ReadinessCheck, options: ReadinessCheckOptions = {}): () => void {
    const entry = { check, critical: options.critical ?? true };
    this.checks.set(name, entry);
    return () => {
      if (this.checks.get(name) === entry) this.checks.delete(name);
    };
  }

  names(): string[] {
    return [...this.checks.keys()].sort();
  }

  async evaluate(timeoutMs = READINESS_CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
    // Probes every few seconds would otherwise fill traces with pings.
    const entries = await context.with(suppressTracing(context.active()), () =>
      Promise.all(
        [...this.checks].map(async ([name, { check, critical }]): Promise<[string, CheckState, boolean]> => [
          name,
          await runCheck(check, timeoutMs),
          critical,
        ]),
      ),
    );
    entries.sort(([a], [b]) => a.localeCompare(b));
    return {
      ready: entries.every(([, state, critical]) => state === 'ok' || !critical),
      checks: Object.fromEntries(entries.map(([name, state]) => [name, state])),
    };
  }
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckState>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const verdict = Promise.resolve()
      .then(check)
      .then(
        (ok): CheckState => (ok ? 'ok' : 'failing'),
        (): CheckState => 'failing',
      );
    return await Promise.race([verdict, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

let processReadiness: ReadinessRegistry | undefined;

/** The registry of this process; in the embedded mode every service module shares it. */
export function processReadinessRegistry(): ReadinessRegistry {
  processReadiness ??= new ReadinessRegistry();
  return processReadiness;
}
