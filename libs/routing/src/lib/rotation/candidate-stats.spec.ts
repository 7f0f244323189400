import { addCounters, EMPTY_COUNTERS, statsBucketStart, statsIncrement, statsMarksUpdate, statsWindowBuckets, summarizeStats } from './candidate-stats';

describe('candidate statistics', () => {
  it('sums buckets into success rate, mean latency and time to first token', () => {
    const samples = [
      statsIncrement({ ok: true, retryable: false, status: 200, code: null, latencyMs: 100, ttftMs: 20 }),
      statsIncrement({ ok: true, retryable: false, status: 200, code: null, latencyMs: 300, ttftMs: null }),
      statsIncrement({ ok: false, retryable: true, status: 502, code: 'upstream_error', latencyMs: 5, ttftMs: null }),
      statsIncrement({ ok: false, retryable: false, status: 400, code: 'invalid_request', latencyMs: 5, ttftMs: null }),
    ];
    const summary = summarizeStats([samples.slice(0, 2).reduce(addCounters, EMPTY_COUNTERS), samples.slice(2).reduce(addCounters, EMPTY_COUNTERS)], {
      lastSuccessAt: 10,
      lastFailureAt: 20,
      lastFailureStatus: 502,
      lastFailureCode: 'upstream_error',
    });
    expect(summary).toEqual({
      windowSeconds: 900,
      requests: 4,
      successes: 2,
      failures: 1,
      otherErrors: 1,
      successRate: 0.6667,
      avgLatencyMs: 200,
      avgTtftMs: 20,
      lastSuccessAt: 10,
      lastFailure: { at: 20, status: 502, code: 'upstream_error' },
    });
  });

  it('reports nothing before any outcome', () => {
    const empty = summarizeStats([], { lastSuccessAt: null, lastFailureAt: null, lastFailureStatus: null, lastFailureCode: null });
    expect(empty).toMatchObject({ requests: 0, successRate: null, avgLatencyMs: null, avgTtftMs: null, lastFailure: null });
  });

  it('marks only failures that count against the candidate', () => {
    expect(statsMarksUpdate({ ok: false, retryable: false, status: 400, code: 'x', latencyMs: 1, ttftMs: null }, 5)).toEqual({});
    expect(statsMarksUpdate({ ok: false, retryable: true, status: 429, code: 'y', latencyMs: 1, ttftMs: null }, 5)).toEqual({
      lastFailureAt: 5,
      lastFailureStatus: 429,
      lastFailureCode: 'y',
    });
  });

  it('slides a 15-minute window of one-minute buckets', () => {
    const now = 1_700_000_123_456;
    const buckets = statsWindowBuckets(now);
    expect(buckets).toHaveLength(15);
    expect(buckets[0]).toBe(statsBucketStart(now));
    expect(buckets[0] - buckets[14]).toBe(14 * 60_000);
  });
});
