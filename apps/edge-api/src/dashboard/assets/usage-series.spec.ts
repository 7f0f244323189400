import { bucketStarts, niceScale, usageSeries, UsageRow } from './usage-series';

const row = (minute: number, route: string, provider: string, extra: Partial<UsageRow> = {}): UsageRow => ({
  bucket_start: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  route,
  provider_id: provider,
  model: 'm',
  requests: 1,
  attempts: 1,
  errors: 0,
  failovers: 0,
  prompt_tokens: 10,
  completion_tokens: 5,
  latency_ms_sum: 100,
  latency_ms_max: 100,
  ...extra,
});

describe('usage chart series', () => {
  const from = Date.UTC(2026, 0, 1, 0, 0);
  const buckets = bucketStarts(from, from + 3 * 60_000, 60);

  it('fills every bucket, zero where nothing happened', () => {
    const series = usageSeries([row(0, 'a', 'p'), row(2, 'a', 'p')], 'route', 'requests', buckets);
    expect(series).toHaveLength(1);
    expect(series[0].points.map((p) => p.v)).toEqual([1, 0, 1]);
    expect(series[0].total).toBe(2);
  });

  it('groups by route, provider or provider/model, heaviest first', () => {
    const rows = [row(0, 'r1', 'p1'), row(0, 'r2', 'p1', { requests: 3 }), row(1, 'r2', 'p2', { requests: 0, attempts: 1 })];
    expect(usageSeries(rows, 'route', 'requests', buckets).map((s) => s.name)).toEqual(['r2', 'r1']);
    expect(usageSeries(rows, 'provider', 'requests', buckets).map((s) => [s.name, s.total])).toEqual([['p1', 4], ['p2', 0]]);
    expect(usageSeries(rows, 'model', 'tokens', buckets)[0].name).toBe('p1/m');
  });

  it('averages latency per attempt, not per row', () => {
    const rows = [row(0, 'a', 'p', { attempts: 3, latency_ms_sum: 300 }), row(0, 'b', 'p', { attempts: 1, latency_ms_sum: 500 })];
    expect(usageSeries(rows, 'provider', 'latency', buckets)[0].points[0].v).toBe(200);
  });

  it('sums the groups past the limit into one "other" series', () => {
    const rows = ['a', 'b', 'c', 'd'].map((name, i) => row(0, name, 'p', { requests: 10 - i }));
    const series = usageSeries(rows, 'route', 'requests', buckets, 2);
    expect(series.map((s) => s.name)).toEqual(['a', 'b', 'other (2)']);
    expect(series[2].total).toBe(8 + 7);
  });

  it('picks round axis bounds', () => {
    expect(niceScale(0)).toEqual({ max: 1, ticks: [0, 1] });
    expect(niceScale(7).max).toBe(8);
    expect(niceScale(93)).toEqual({ max: 100, ticks: [0, 25, 50, 75, 100] });
    expect(niceScale(1, 4, true)).toEqual({ max: 1, ticks: [0, 1] });
    expect(niceScale(3, 4, true).ticks).toEqual([0, 1, 2, 3]);
  });
});
