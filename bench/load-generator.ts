import { Pool } from 'undici';

/**
 * One load run in its own process, so its CPU is its own: fixed-rate (open loop: requests are sent on
 * schedule whether or not earlier ones finished, so queueing shows up as latency) or saturation
 * (closed loop: N workers send back to back). Prints one JSON result line.
 */
export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
  stream: boolean;
  /** Requests per second; 0 means saturation with `concurrency` workers. */
  rate: number;
  concurrency: number;
  durationSec: number;
  warmupSec: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  durationSec: number;
  throughput: number;
  latencyMs: Percentiles;
  ttftMs: Percentiles | null;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] : 0 };
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const pool = new Pool(target.origin, { connections: Math.max(spec.concurrency, 64), pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  const ttfts: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  let errors = 0;
  let measuring = false;

  async function one(): Promise<void> {
    const started = performance.now();
    const record = measuring;
    if (record) sent++;
    try {
      const response = await pool.request({
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...spec.headers },
        body: spec.body,
      });
      let first: number | null = null;
      for await (const chunk of response.body) {
        if (first === null && chunk.length > 0) first = performance.now() - started;
      }
      const total = performance.now() - started;
      if (!record) return;
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
      if (response.statusCode === 200) {
        ok++;
        latencies.push(total);
        if (spec.stream && first !== null) ttfts.push(first);
      } else errors++;
    } catch {
      if (record) {
        errors++;
        statuses.network = (statuses.network ?? 0) + 1;
      }
    }
  }

  const inflight = new Set<Promise<void>>();
  const launch = () => {
    const p = one().finally(() => inflight.delete(p));
    inflight.add(p);
  };

  const phase = async (seconds: number) => {
    const end = performance.now() + seconds * 1000;
    if (spec.rate > 0) {
      const start = performance.now();
      let issued = 0;
      while (performance.now() < end) {
        const due = Math.floor(((performance.now() - start) / 1000) * spec.rate);
        while (issued < due) {
          launch();
          issued++;
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    } else {
      const worker = async () => {
        while (performance.now() < end) await one();
      };
      await Promise.all(Array.from({ length: spec.concurrency }, worker));
    }
  };

  await phase(spec.warmupSec);
  await Promise.all(inflight);
  measuring = true;
  const started = performance.now();
  await phase(spec.durationSec);
  await Promise.all(inflight);
  const durationSec = (performance.now() - started) / 1000;
  await pool.close();
  return {
    sent,
    ok,
    errors,
    statuses,
    durationSec,
    throughput: ok / durationSec,
    latencyMs: percentiles(latencies),
    ttftMs: spec.stream ? percentiles(ttfts) : null,
  };
}

if (require.main === module) {
  const spec = JSON.parse(process.argv[2]) as LoadSpec;
  run(spec).then(
    (result) => {
      process.stdout.write(JSON.stringify(result) + '\n');
      process.exit(0);
    },
    (error) => {
      process.stderr.write(String(error) + '\n');
      process.exit(1);
    },
  );
}
