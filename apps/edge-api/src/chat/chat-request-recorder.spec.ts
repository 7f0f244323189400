import { Writable } from 'node:stream';
import type { ServerResponse } from 'node:http';
import pino from 'pino';
import { AisbfError, Candidate, ChatEnd, RoutePlan } from '@aisbf/contracts';
import { AisbfMetrics, ReadinessRegistry } from '@aisbf/telemetry';
import { ChatRequestRecorder } from './chat-request-recorder';

const candidate = (providerId: string, model: string): Candidate => ({
  providerId,
  providerType: 'openai',
  model,
  endpoint: 'http://backend.lan/v1',
  pool: 'default',
  sealedKey: null,
  timeouts: { connectMs: 1000, firstByteMs: 1000, idleMs: 1000, totalMs: 1000 },
  allowPrivateEndpoint: false,
});
const local = candidate('coderai-local', 'qwen2.5-coder:32b');
const hosted = candidate('openai-prod', 'gpt-4.1-mini');
const plan: RoutePlan = { routeId: 'user-rotation/coding-production', routeKind: 'rotation', candidates: [local, hosted], explanation: [] };
const end: ChatEnd = {
  finishReason: 'stop',
  usage: { prompt_tokens: 120, completion_tokens: 11, total_tokens: 131 },
  upstreamFirstByteMs: 5,
  upstreamTotalMs: 20,
  chunks: 12,
  responseModel: 'gpt-4.1-mini-2025-04-14',
  upstreamStatus: 200,
};
const response = (writableEnded: boolean, statusCode: number) => ({ writableEnded, statusCode }) as ServerResponse;

/** The value of one series, `name` being a metric or a histogram's `_sum`/`_count`. */
async function value(metrics: AisbfMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const base = name.replace(/_(sum|count)$/, '');
  const data = await metrics.registry.getSingleMetric(base)!.get();
  const entry = data.values.find(
    (v) =>
      ((v as { metricName?: string }).metricName ?? base) === name && Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return entry?.value;
}

describe('chat request telemetry at the edge', () => {
  let metrics: AisbfMetrics;
  let lines: Array<Record<string, unknown>>;
  let recorder: ChatRequestRecorder;

  beforeEach(() => {
    metrics = new AisbfMetrics('edge-api', new ReadinessRegistry(), { defaultMetrics: false });
    lines = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    recorder = new ChatRequestRecorder(metrics, pino(sink), 'alice');
  });

  it('counts a failover, the answer of the second candidate, its tokens and its first-token time', async () => {
    recorder.requested({ model: plan.routeId, stream: true });
    recorder.planned(plan);
    expect(await value(metrics, 'aisbf_active_streams', { route_kind: 'rotation' })).toBe(1);
    recorder.attempt('req-1', local, 1).finish(new AisbfError('upstream_error', 'HTTP 503', { status: 502, upstreamStatus: 503 }), 30, null);
    const second = recorder.attempt('req-1', hosted, 2);
    recorder.firstByte();
    second.finish(null, 25, end);
    recorder.finish(response(true, 200));

    expect(await value(metrics, 'aisbf_failovers_total', { route_kind: 'rotation', provider: 'coderai-local', reason: 'upstream_error' })).toBe(1);
    expect(await value(metrics, 'aisbf_requests_total', { route_kind: 'rotation', provider: 'openai-prod', outcome: 'ok' })).toBe(1);
    expect(await value(metrics, 'aisbf_gen_ai_server_time_to_first_token_seconds_count', { provider: 'openai-prod' })).toBe(1);
    expect(await value(metrics, 'aisbf_gen_ai_client_token_usage_sum', { provider: 'openai-prod', token_type: 'input' })).toBe(120);
    expect(await value(metrics, 'aisbf_gen_ai_client_token_usage_sum', { provider: 'openai-prod', token_type: 'output' })).toBe(11);
    expect(await value(metrics, 'aisbf_gateway_overhead_seconds_count', { route_kind: 'rotation' })).toBe(1);
    expect(await value(metrics, 'aisbf_active_streams', { route_kind: 'rotation' })).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'chat request',
      request_id: 'req-1',
      user: 'alice',
      route: 'user-rotation/coding-production',
      route_kind: 'rotation',
      provider: 'openai-prod',
      model: 'gpt-4.1-mini',
      attempts: 2,
      failover: true,
      status: 200,
      outcome: 'ok',
      input_tokens: 120,
      output_tokens: 11,
    });
  });

  it('records a stream that failed after its first chunk as an error with its code', async () => {
    recorder.requested({ model: plan.routeId, stream: true });
    recorder.planned(plan);
    const attempt = recorder.attempt('req-2', local, 1);
    recorder.firstByte();
    attempt.finish(new AisbfError('upstream_stream_broken', 'cut', { retryable: true }), 40, null);
    recorder.finish(response(true, 200));
    expect(await value(metrics, 'aisbf_requests_total', { provider: 'coderai-local', outcome: 'error' })).toBe(1);
    expect(await value(metrics, 'aisbf_request_errors_total', { route_kind: 'rotation', code: 'upstream_stream_broken' })).toBe(1);
    expect(await value(metrics, 'aisbf_gen_ai_server_time_to_first_token_seconds_count', {})).toBeUndefined();
    expect(lines[0]).toMatchObject({ outcome: 'error', code: 'upstream_stream_broken', status: 200 });
  });

  it('records a client that went away as cancelled, not as an error', async () => {
    recorder.requested({ model: plan.routeId });
    recorder.planned(plan);
    recorder.attempt('req-3', local, 1).finish(new AisbfError('internal_error', 'stream consumer cancelled'), 10, null);
    recorder.finish(response(false, 200));
    expect(await value(metrics, 'aisbf_requests_total', { outcome: 'cancelled' })).toBe(1);
    expect(await value(metrics, 'aisbf_request_errors_total', {})).toBeUndefined();
    expect(lines[0]).toMatchObject({ outcome: 'cancelled', status: 499 });
  });

  it('records requests refused before any attempt as client errors, with the route kind taken from the model id', async () => {
    recorder.requested({ model: 'user-autoselect/nope' });
    recorder.fail(new AisbfError('model_not_found', "autoselect 'nope' does not exist"));
    recorder.finish(response(true, 404));
    expect(await value(metrics, 'aisbf_requests_total', { route_kind: 'autoselect', provider: 'none', outcome: 'client_error' })).toBe(1);
    expect(await value(metrics, 'aisbf_request_errors_total', { route_kind: 'autoselect', code: 'model_not_found' })).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 404, outcome: 'client_error', code: 'model_not_found', attempts: 0 });
  });
});
