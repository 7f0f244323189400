/**
 * Per-candidate statistics from attempt outcomes: counters in one-minute buckets, summed over a
 * sliding window, so a candidate that recovered does not carry yesterday's failures.
 */
export const STATS_BUCKET_MS = 60_000;
export const STATS_WINDOW_BUCKETS = 15;

/** Additive counters of one bucket (what Redis increments). */
export interface StatsCounters {
  ok: number;
  /** Failures that count against the candidate (retryable ones). */
  failed: number;
  /** Requests the upstream refused as the client's own mistake, and cancelled requests. */
  other: number;
  /** Sum and count of latencies of successful attempts. */
  latencyMs: number;
  ttftMs: number;
  ttftCount: number;
}

export interface StatsSample {
  ok: boolean;
  retryable: boolean;
  status: number;
  code: string | null;
  latencyMs: number;
  ttftMs: number | null;
}

/** The last success and the last failure, kept beside the buckets. */
export interface StatsMarks {
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastFailureStatus: number | null;
  lastFailureCode: string | null;
}

export interface CandidateStatsSummary {
  windowSeconds: number;
  requests: number;
  successes: number;
  failures: number;
  otherErrors: number;
  /** successes / (successes + failures); null before any. */
  successRate: number | null;
  avgLatencyMs: number | null;
  avgTtftMs: number | null;
  lastSuccessAt: number | null;
  lastFailure: { at: number; status: number | null; code: string | null } | null;
}

export const EMPTY_COUNTERS: StatsCounters = { ok: 0, failed: 0, other: 0, latencyMs: 0, ttftMs: 0, ttftCount: 0 };

export function statsBucketStart(now: number): number {
  return Math.floor(now / STATS_BUCKET_MS) * STATS_BUCKET_MS;
}

/** Start times of the buckets of the window ending now, newest first. */
export function statsWindowBuckets(now: number): number[] {
  const newest = statsBucketStart(now);
  return Array.from({ length: STATS_WINDOW_BUCKETS }, (_, index) => newest - index * STATS_BUCKET_MS);
}

/** What one outcome adds to its bucket. */
export function statsIncrement(sample: StatsSample): StatsCounters {
  if (sample.ok) {
    return {
      ...EMPTY_COUNTERS,
      ok: 1,
      latencyMs: sample.latencyMs,
      ttftMs: sample.ttftMs ?? 0,
      ttftCount: sample.ttftMs === null ? 0 : 1,
    };
  }
  return sample.retryable ? { ...EMPTY_COUNTERS, failed: 1 } : { ...EMPTY_COUNTERS, other: 1 };
}

export function addCounters(a: StatsCounters, b: StatsCounters): StatsCounters {
  return {
    ok: a.ok + b.ok,
    failed: a.failed + b.failed,
    other: a.other + b.other,
    latencyMs: a.latencyMs + b.latencyMs,
    ttftMs: a.ttftMs + b.ttftMs,
    ttftCount: a.ttftCount + b.ttftCount,
  };
}

/** How the marks change with one outcome. */
export function statsMarksUpdate(sample: StatsSample, now: number): Partial<StatsMarks> {
  if (sample.ok) return { lastSuccessAt: now };
  if (!sample.retryable) return {};
  return { lastFailureAt: now, lastFailureStatus: sample.status, lastFailureCode: sample.code };
}

const round = (value: number) => Math.round(value * 10) / 10;

export function summarizeStats(buckets: StatsCounters[], marks: StatsMarks): CandidateStatsSummary {
  const total = buckets.reduce(addCounters, EMPTY_COUNTERS);
  const judged = total.ok + total.failed;
  return {
    windowSeconds: (STATS_BUCKET_MS * STATS_WINDOW_BUCKETS) / 1000,
    requests: judged + total.other,
    successes: total.ok,
    failures: total.failed,
    otherErrors: total.other,
    successRate: judged > 0 ? Math.round((total.ok / judged) * 10_000) / 10_000 : null,
    avgLatencyMs: total.ok > 0 ? round(total.latencyMs / total.ok) : null,
    avgTtftMs: total.ttftCount > 0 ? round(total.ttftMs / total.ttftCount) : null,
    lastSuccessAt: marks.lastSuccessAt,
    lastFailure:
      marks.lastFailureAt !== null ? { at: marks.lastFailureAt, status: marks.lastFailureStatus, code: marks.lastFailureCode } : null,
  };
}
