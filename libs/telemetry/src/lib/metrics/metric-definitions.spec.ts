import { Registry } from 'prom-client';
import { defineAisbfMetrics } from './metric-definitions';

/** Labels that keep cardinality low: no user id, token, request id, model typed by a client or text. */
const ALLOWED_LABELS = new Set([
  'route_kind',
  'provider',
  'outcome',
  'code',
  'reason',
  'token_type',
  'method',
  'route',
  'status_code',
  'kind',
  'decision',
  'subject',
  'dependency',
  'version',
  'nodejs_version',
]);

describe('AISBF metric definitions', () => {
  const registry = new Registry();
  defineAisbfMetrics(registry);
  const metrics = registry.getMetricsAsArray() as unknown as Array<{ name: string; type: string; labelNames: string[]; help: string }>;

  it('use the aisbf_ prefix, snake_case and a help text', () => {
    expect(metrics.length).toBeGreaterThan(15);
    for (const metric of metrics) {
      expect(metric.name).toMatch(/^aisbf_[a-z0-9_]+$/);
      expect(metric.help.length).toBeGreaterThan(20);
    }
  });

  it('end counters in _total and durations in base units (seconds)', () => {
    for (const metric of metrics) {
      if (metric.type === 'counter') expect(metric.name).toMatch(/_total$/);
      if (/duration|latency|time|overhead/.test(metric.name)) expect(metric.name).toMatch(/_seconds$/);
      expect(metric.name).not.toMatch(/_(ms|milliseconds|minutes)$/);
    }
  });

  it('carry only low-cardinality labels', () => {
    for (const metric of metrics) {
      for (const label of metric.labelNames) expect([metric.name, label, ALLOWED_LABELS.has(label)]).toEqual([metric.name, label, true]);
    }
  });

  it('name the GenAI semantic-convention measures after them', () => {
    const names = metrics.map((metric) => metric.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'aisbf_gen_ai_client_token_usage',
        'aisbf_gen_ai_server_time_to_first_token_seconds',
        'aisbf_gen_ai_server_request_duration_seconds',
        'aisbf_gen_ai_client_operation_duration_seconds',
      ]),
    );
  });
});
