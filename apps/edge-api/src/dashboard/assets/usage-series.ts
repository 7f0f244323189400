/** Turns the usage API's rows into chart series: one per route, provider or model, every bucket filled. */
export interface UsageRow {
  bucket_start: string;
  route: string;
  provider_id: string;
  model: string;
  requests: number;
  attempts: number;
  errors: number;
  failovers: number;
  prompt_tokens: number;
  completion_tokens: number;
  latency_ms_sum: number;
  latency_ms_max: number;
}

export type Dimension = 'route' | 'provider' | 'model';
export type Metric = 'requests' | 'tokens' | 'errors' | 'latency';

export interface Point {
  t: number;
  v: number;
}

export interface Series {
  name: string;
  points: Point[];
  total: number;
}

export const METRIC_LABELS: Record<Metric, string> = {
  requests: 'Requests',
  tokens: 'Tokens (prompt + completion)',
  errors: 'Errors (failed attempts)',
  latency: 'Average latency per attempt (ms)',
};

export function groupKey(row: UsageRow, dimension: Dimension): string {
  if (dimension === 'route') return row.route;
  if (dimension === 'provider') return row.provider_id;
  return `${row.provider_id}/${row.model}`;
}

interface Accumulator {
  value: number;
  latency: number;
  attempts: number;
}

function add(target: Accumulator, row: UsageRow, metric: Metric): void {
  if (metric === 'requests') target.value += row.requests;
  else if (metric === 'tokens') target.value += row.prompt_tokens + row.completion_tokens;
  else if (metric === 'errors') target.value += row.errors;
  target.latency += row.latency_ms_sum;
  target.attempts += row.attempts;
}

const read = (acc: Accumulator, metric: Metric) => (metric === 'latency' ? (acc.attempts ? acc.latency / acc.attempts : 0) : acc.value);

/** Bucket starts from `from` to `to`, aligned like the server's (multiples of the bucket since the epoch). */
export function bucketStarts(from: number, to: number, bucketSeconds: number): number[] {
  const width = bucketSeconds * 1000;
  const starts: number[] = [];
  for (let t = from - (from % width); t < to; t += width) starts.push(t);
  return starts;
}

/** The busiest `limit` groups as series (the rest summed as "other"), heaviest first. */
export function usageSeries(rows: UsageRow[], dimension: Dimension, metric: Metric, buckets: number[], limit = 6): Series[] {
  const groups = new Map<string, Map<number, Accumulator>>();
  const totals = new Map<string, Accumulator>();
  for (const row of rows) {
    const key = groupKey(row, dimension);
    const t = Date.parse(row.bucket_start);
    const perBucket = groups.get(key) ?? new Map<number, Accumulator>();
    groups.set(key, perBucket);
    const cell = perBucket.get(t) ?? { value: 0, latency: 0, attempts: 0 };
    perBucket.set(t, cell);
    add(cell, row, metric);
    const total = totals.get(key) ?? { value: 0, latency: 0, attempts: 0 };
    totals.set(key, total);
    add(total, row, metric);
  }
  const ranked = [...groups.keys()].sort((a, b) => read(totals.get(b)!, metric) - read(totals.get(a)!, metric) || a.localeCompare(b));
  const kept = ranked.slice(0, limit);
  const rest = ranked.slice(limit);
  const series = kept.map((name) => ({
    name,
    points: buckets.map((t) => ({ t, v: read(groups.get(name)!.get(t) ?? { value: 0, latency: 0, attempts: 0 }, metric) })),
    total: read(totals.get(name)!, metric),
  }));
  if (rest.length) {
    const merged = new Map<number, Accumulator>();
    const total: Accumulator = { value: 0, latency: 0, attempts: 0 };
    for (const name of rest) {
      for (const [t, cell] of groups.get(name)!) {
        const into = merged.get(t) ?? { value: 0, latency: 0, attempts: 0 };
        merged.set(t, into);
        into.value += cell.value;
        into.latency += cell.latency;
        into.attempts += cell.attempts;
      }
      const own = totals.get(name)!;
      total.value += own.value;
      total.latency += own.latency;
      total.attempts += own.attempts;
    }
    series.push({
      name: `other (${rest.length})`,
      points: buckets.map((t) => ({ t, v: read(merged.get(t) ?? { value: 0, latency: 0, attempts: 0 }, metric) })),
      total: read(total, metric),
    });
  }
  return series;
}

/** A round upper bound for an axis and its tick values (whole steps for counts). */
export function niceScale(max: number, ticks = 4, whole = false): { max: number; ticks: number[] } {
  if (!(max > 0)) return { max: 1, ticks: [0, 1] };
  const rough = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const nice = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const step = whole ? Math.max(1, Math.ceil(nice)) : nice;
  const top = Math.ceil(max / step) * step;
  const values: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) values.push(Number(v.toPrecision(12)));
  return { max: top, ticks: values };
}
