import { DataSource } from 'typeorm';
import type { RouteOutcome } from '@aisbf/contracts';
import { ENTITIES, MIGRATIONS } from '../database/data-source';
import { DatabaseHandle } from '../database/database-handle';
import { UsageEventEntity } from '../database/entities/usage-event.entity';
import { usageQuery, UsageReports } from './usage-reports';

const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);

function event(minute: number, over: Partial<RouteOutcome> & { requestId: string }): Omit<UsageEventEntity, 'id'> {
  return {
    createdAt: new Date(T0 + minute * 60_000 + 5_000),
    username: over.username ?? 'alice',
    requestId: over.requestId,
    route: over.routeId ?? 'user-rotation/coding-production',
    providerId: over.providerId ?? 'runpod-gpu-a',
    model: over.model ?? 'deepseek-coder-v2',
    attempt: over.attempt ?? 1,
    ok: over.ok ?? true,
    status: over.status ?? 200,
    code: over.code ?? null,
    promptTokens: 'promptTokens' in over ? over.promptTokens! : 10,
    completionTokens: 'completionTokens' in over ? over.completionTokens! : 5,
    latencyMs: over.latencyMs ?? 100,
    ttftMs: null,
  };
}

describe('usage reports (SQLite in memory)', () => {
  let dataSource: DataSource;
  let reports: UsageReports;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'sqljs', entities: ENTITIES, migrations: MIGRATIONS });
    await dataSource.initialize();
    await dataSource.runMigrations();
    reports = new UsageReports(new DatabaseHandle(dataSource));
    await dataSource.createQueryBuilder().insert().into(UsageEventEntity).values([
      // r1 failed over from the local backend to the GPU one.
      event(0, { requestId: 'r1', providerId: 'coderai-local', model: 'qwen2.5-coder:32b', ok: false, status: 502, code: 'upstream_error', promptTokens: null, completionTokens: null, latencyMs: 40 }),
      event(0, { requestId: 'r1', attempt: 2, latencyMs: 200 }),
      event(1, { requestId: 'r2' }),
      event(7, { requestId: 'r3', routeId: 'user-provider/openai-prod/gpt-4.1-mini', providerId: 'openai-prod', model: 'gpt-4.1-mini', latencyMs: 50 }),
      event(2, { requestId: 'b1', username: 'bob' }),
      event(-120, { requestId: 'old' }),
    ]).execute();
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('aggregates per bucket and route/provider/model, with measures that add up', async () => {
    const report = await reports.report('alice', usageQuery({ from: new Date(T0), to: new Date(T0 + 10 * 60_000), bucketSeconds: 300 }));
    expect(report.truncated).toBe(false);
    expect(report.rows.map((r) => [r.bucket_start, r.route, r.provider_id, r.requests, r.attempts, r.errors, r.failovers, r.prompt_tokens, r.latency_ms_sum, r.latency_ms_max])).toEqual([
      [new Date(T0).toISOString(), 'user-rotation/coding-production', 'coderai-local', 1, 1, 1, 0, 0, 40, 40],
      [new Date(T0).toISOString(), 'user-rotation/coding-production', 'runpod-gpu-a', 1, 2, 0, 1, 20, 300, 200],
      [new Date(T0 + 300_000).toISOString(), 'user-provider/openai-prod/gpt-4.1-mini', 'openai-prod', 1, 1, 0, 0, 10, 50, 50],
    ]);
  });

  it("lists recent requests newest first, each with its attempts, and only the user's own", async () => {
    const recent = await reports.recentRequests('alice', 3);
    expect(recent.map((r) => r.request_id)).toEqual(['r3', 'r2', 'r1']);
    const r1 = recent[2];
    expect(r1).toMatchObject({ ok: true, status: 200, provider_id: 'runpod-gpu-a', failover: true, latency_ms: 240 });
    expect(r1.attempts.map((a) => [a.attempt, a.provider_id, a.ok, a.code])).toEqual([
      [1, 'coderai-local', false, 'upstream_error'],
      [2, 'runpod-gpu-a', true, null],
    ]);
    expect((await reports.recentRequests('bob', 50)).map((r) => r.request_id)).toEqual(['b1']);
  });

  it('refuses ranges and buckets that would read or return too much', () => {
    const now = new Date(T0);
    expect(() => usageQuery({ from: new Date(T0 - 91 * 86_400_000), to: now })).toThrow(/90 days/);
    expect(() => usageQuery({ from: new Date(T0 - 30 * 86_400_000), to: now, bucketSeconds: 60 })).toThrow(/1000 buckets/);
    expect(() => usageQuery({ from: now, to: now })).toThrow(/before/);
    expect(() => usageQuery({ bucketSeconds: 42 }, now)).toThrow(/bucket/);
    expect(usageQuery({ from: new Date(T0 - 3_600_000), to: now }).bucketSeconds).toBe(60);
    expect(usageQuery({}, now).bucketSeconds).toBe(900);
  });
});
