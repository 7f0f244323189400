import { AisbfError } from '@aisbf/contracts';
import { DatabaseHandle } from '../database/database-handle';

/** Bucket widths a usage report may use, in seconds. */
export const USAGE_BUCKETS = [60, 300, 900, 3_600, 21_600, 86_400] as const;

/** What one report may cover: bounded so a dashboard can never ask the database for a table scan. */
export const USAGE_LIMITS = { maxSpanDays: 90, maxBuckets: 1_000, maxRows: 10_000, maxRecentRequests: 200, recentEventsScanned: 2_000 } as const;

export interface UsageQuery {
  from: Date;
  to: Date;
  bucketSeconds: number;
}

/** One time bucket of one route/provider/model. Every measure adds up across rows. */
export interface UsageRow {
  bucket_start: string;
  route: string;
  provider_id: string;
  model: string;
  /** Requests whose first attempt went here (each request counts once per route). */
  requests: number;
  attempts: number;
  errors: number;
  /** Attempts that answered after earlier candidates had failed. */
  failovers: number;
  prompt_tokens: number;
  completion_tokens: number;
  latency_ms_sum: number;
  latency_ms_max: number;
}

export interface UsageReport {
  from: string;
  to: string;
  bucket_seconds: number;
  rows: UsageRow[];
  /** More rows matched than a report returns: narrow the range or widen the bucket. */
  truncated: boolean;
}

export interface RecentAttempt {
  attempt: number;
  provider_id: string;
  model: string;
  ok: boolean;
  status: number;
  code: string | null;
  latency_ms: number;
  ttft_ms: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  at: string;
}

export interface RecentRequest {
  request_id: string;
  route: string;
  at: string;
  ok: boolean;
  status: number;
  /** The candidate that answered (or the last one tried). */
  provider_id: string;
  model: string;
  failover: boolean;
  latency_ms: number;
  attempts: RecentAttempt[];
}

type Raw = Record<string, unknown>;
const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
const numOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** `2026-01-02 03:04:05.678`: the UTC form both dialects store and compare. */
export function sqlUtc(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function isoFromSql(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  return new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`).toISOString();
}

/** Validates a report's range and bucket; picks the smallest allowed bucket that fits when none is given. */
export function usageQuery(input: { from?: Date; to?: Date; bucketSeconds?: number }, now = new Date()): UsageQuery {
  const to = input.to ?? now;
  const from = input.from ?? new Date(to.getTime() - 24 * 3_600_000);
  const span = (to.getTime() - from.getTime()) / 1000;
  if (!(span > 0)) throw new AisbfError('invalid_request', '`from` must be before `to`', { param: 'from' });
  if (span > USAGE_LIMITS.maxSpanDays * 86_400) throw new AisbfError('invalid_request', `a report covers at most ${USAGE_LIMITS.maxSpanDays} days`, { param: 'from' });
  let bucketSeconds = input.bucketSeconds;
  if (bucketSeconds === undefined) {
    bucketSeconds = USAGE_BUCKETS.find((width) => span / width <= 120) ?? USAGE_BUCKETS[USAGE_BUCKETS.length - 1];
  } else if (!(USAGE_BUCKETS as readonly number[]).includes(bucketSeconds)) {
    throw new AisbfError('invalid_request', `bucket must be one of ${USAGE_BUCKETS.join(', ')} seconds`, { param: 'bucket' });
  }
  if (span / bucketSeconds > USAGE_LIMITS.maxBuckets) {
    throw new AisbfError('invalid_request', `at most ${USAGE_LIMITS.maxBuckets} buckets: widen the bucket or narrow the range`, { param: 'bucket' });
  }
  return { from, to, bucketSeconds };
}

/**
 * Reads of `usage_events` for the dashboard: aggregated per time bucket and route/provider/model,
 * and the latest requests with their attempts. Both are bounded and ride the (username, created_at)
 * index; neither is on the chat path.
 */
export class UsageReports {
  constructor(private readonly db: DatabaseHandle) {}

  async report(username: string, query: UsageQuery): Promise<UsageReport> {
    const bucket = Math.trunc(query.bucketSeconds);
    // Whole seconds since the epoch, computed on the stored UTC value (no session time zone involved).
    const epoch = this.db.isMysql ? "TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', created_at)" : "CAST(strftime('%s', created_at) AS INTEGER)";
    const sql = `
      SELECT (${epoch} - (${epoch} % ${bucket})) AS bucket, route, provider_id, model,
        SUM(CASE WHEN attempt = 1 THEN 1 ELSE 0 END) AS requests,
        COUNT(*) AS attempts,
        SUM(CASE WHEN ok = 1 THEN 0 ELSE 1 END) AS errors,
        SUM(CASE WHEN ok = 1 AND attempt > 1 THEN 1 ELSE 0 END) AS failovers,
        SUM(COALESCE(prompt_tokens, 0)) AS prompt_tokens,
        SUM(COALESCE(completion_tokens, 0)) AS completion_tokens,
        SUM(latency_ms) AS latency_ms_sum,
        MAX(latency_ms) AS latency_ms_max
      FROM usage_events
      WHERE username = ? AND created_at >= ? AND created_at < ?
      GROUP BY bucket, route, provider_id, model
      ORDER BY bucket, route, provider_id, model
      LIMIT ${USAGE_LIMITS.maxRows + 1}`;
    const raw = await this.read<Raw[]>(sql, [username, sqlUtc(query.from), sqlUtc(query.to)]);
    const rows = raw.slice(0, USAGE_LIMITS.maxRows).map(
      (row): UsageRow => ({
        bucket_start: new Date(num(row.bucket) * 1000).toISOString(),
        route: String(row.route),
        provider_id: String(row.provider_id),
        model: String(row.model),
        requests: num(row.requests),
        attempts: num(row.attempts),
        errors: num(row.errors),
        failovers: num(row.failovers),
        prompt_tokens: num(row.prompt_tokens),
        completion_tokens: num(row.completion_tokens),
        latency_ms_sum: num(row.latency_ms_sum),
        latency_ms_max: num(row.latency_ms_max),
      }),
    );
    return { from: query.from.toISOString(), to: query.to.toISOString(), bucket_seconds: bucket, rows, truncated: raw.length > USAGE_LIMITS.maxRows };
  }

  /** The latest requests, newest first, each with its attempts in order. */
  async recentRequests(username: string, limit: number): Promise<RecentRequest[]> {
    const wanted = Math.max(1, Math.min(limit, USAGE_LIMITS.maxRecentRequests));
    const raw = await this.read<Raw[]>(
      `SELECT request_id, route, provider_id, model, attempt, ok, status, code, latency_ms, ttft_ms, prompt_tokens, completion_tokens, created_at
       FROM usage_events WHERE username = ? ORDER BY created_at DESC, id DESC LIMIT ${USAGE_LIMITS.recentEventsScanned}`,
      [username],
    );
    const byRequest = new Map<string, { route: string; attempts: RecentAttempt[] }>();
    for (const row of raw) {
      const id = String(row.request_id);
      let entry = byRequest.get(id);
      if (!entry) {
        if (byRequest.size >= wanted) continue;
        entry = { route: String(row.route), attempts: [] };
        byRequest.set(id, entry);
      }
      entry.attempts.push({
        attempt: num(row.attempt),
        provider_id: String(row.provider_id),
        model: String(row.model),
        ok: num(row.ok) === 1 || row.ok === true,
        status: num(row.status),
        code: row.code === null || row.code === undefined ? null : String(row.code),
        latency_ms: num(row.latency_ms),
        ttft_ms: numOrNull(row.ttft_ms),
        prompt_tokens: numOrNull(row.prompt_tokens),
        completion_tokens: numOrNull(row.completion_tokens),
        at: isoFromSql(row.created_at),
      });
    }
    return [...byRequest.entries()].map(([requestId, entry]) => {
      const attempts = entry.attempts.sort((a, b) => a.attempt - b.attempt);
      const last = attempts[attempts.length - 1];
      const answered = attempts.find((a) => a.ok) ?? last;
      return {
        request_id: requestId,
        route: entry.route,
        at: attempts[0].at,
        ok: answered.ok,
        status: answered.status,
        provider_id: answered.provider_id,
        model: answered.model,
        failover: answered.ok && answered.attempt > 1,
        latency_ms: attempts.reduce((sum, a) => sum + a.latency_ms, 0),
        attempts,
      };
    });
  }

  private async read<T>(sql: string, params: unknown[]): Promise<T> {
    try {
      return (await this.db.exclusive(() => this.db.dataSource.query(sql, params))) as T;
    } catch {
      throw new AisbfError('service_unavailable', 'the usage database is unavailable, try again', { retryable: true });
    }
  }
}
