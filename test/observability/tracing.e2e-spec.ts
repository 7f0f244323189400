import { randomBytes } from 'node:crypto';
import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { OtlpTraceReceiver, ReceivedSpan, SPAN_KIND } from '../support/otlp/otlp-trace-receiver';

const TOKEN = 'sk-test-trace-0123456789abcdefghij';
const UPSTREAM_KEY = 'sk-upstream-trace-secret-0042';
const MODEL_ID = 'user-provider/openai-prod/gpt-4.1-mini';

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function chain(spans: ReceivedSpan[], from: ReceivedSpan): ReceivedSpan[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const path = [from];
  for (let parent = from.parentSpanId; parent; parent = byId.get(parent)?.parentSpanId ?? null) {
    const span = byId.get(parent);
    if (!span) break;
    path.push(span);
  }
  return path;
}

function allValues(span: ReceivedSpan): string {
  return JSON.stringify([span.name, span.attributes, span.eventAttributes]);
}

describe('one trace per request across the services (distributed mode, OTLP export)', () => {
  const mock = new MockOpenAiServer('openai-prod');
  const receiver = new OtlpTraceReceiver();
  let stack: AisbfStack;

  beforeAll(async () => {
    await Promise.all([mock.start(), receiver.start()]);
    stack = await AisbfStack.start({
      mode: 'distributed',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' },
      config: {
        users: {
          alice: {
            tokens: [TOKEN],
            providers: {
              'openai-prod': { type: 'openai', endpoint: mock.url, api_key: UPSTREAM_KEY, models: [{ name: 'gpt-4.1-mini' }] },
            },
          },
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([mock.stop(), receiver.stop()]);
  });

  it('links edge-api, route-resolver, connector and the upstream call with GenAI attributes and no prompt text', async () => {
    const marker = `private-prompt-${randomBytes(6).toString('hex')}`;
    mock.setDefault({ model: 'gpt-4.1-mini-2025-04-14', chunks: 1 });
    const response = await fetch(`${stack.baseUrl}/api/u/alice/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: MODEL_ID,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: `Fix this failing private test ${marker}` }],
      }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain(marker);
    const requestId = response.headers.get('x-aisbf-request-id');

    // The connector's GenAI span is the last to end; once its HTTP child arrived, the trace is complete.
    const attempt = await waitFor('the edge attempt span', () =>
      receiver.spans.find((span) => span.service === 'edge-api' && span.attributes['aisbf.request.id'] === requestId),
    );
    const traceId = attempt.traceId;
    const spans = await waitFor('the whole trace', () => {
      const found = receiver.trace(traceId);
      const services = new Set(found.map((span) => span.service));
      const upstreamCall = found.some((span) => span.service === 'connector' && span.kind === SPAN_KIND.client && span.attributes['http.request.method']);
      const summary = found.some((span) => span.service === 'edge-api' && span.name === `chat ${MODEL_ID}`);
      return services.size >= 3 && upstreamCall && summary ? found : undefined;
    });
    expect(receiver.rejected).toEqual([]);

    // One trace, five spans and more, from every service on the path.
    expect(spans.length).toBeGreaterThanOrEqual(5);
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['edge-api', 'route-resolver', 'connector']));
    // Exactly one root (the edge's HTTP server span); every other span's parent is in the trace.
    const ids = new Set(spans.map((span) => span.spanId));
    const roots = spans.filter((span) => !span.parentSpanId);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'edge-api', kind: SPAN_KIND.server });
    for (const span of spans.filter((s) => s.parentSpanId)) expect(ids.has(span.parentSpanId!)).toBe(true);

    // The hop to the backend: undici CLIENT <- connector GenAI CLIENT <- CONSUMER <- edge PRODUCER <- attempt <- request.
    const upstream = spans.find((span) => span.service === 'connector' && span.kind === SPAN_KIND.client && span.attributes['http.request.method'])!;
    const upstreamPath = chain(spans, upstream).map((span) => `${span.service}:${span.kind}:${span.name}`);
    const namespace = stack.namespace;
    expect(upstreamPath.slice(0, 6)).toEqual([
      `connector:${SPAN_KIND.client}:${upstream.name}`,
      `connector:${SPAN_KIND.client}:chat gpt-4.1-mini`,
      `connector:${SPAN_KIND.consumer}:process ${namespace}.aisbf.connector.default.chat`,
      `edge-api:${SPAN_KIND.producer}:send ${namespace}.aisbf.connector.default.chat`,
      `edge-api:${SPAN_KIND.internal}:attempt openai-prod`,
      `edge-api:${SPAN_KIND.internal}:chat ${MODEL_ID}`,
    ]);
    expect(upstreamPath.at(-1)).toBe(`edge-api:${SPAN_KIND.server}:${roots[0].name}`);

    // The resolve hop: resolver CONSUMER <- edge PRODUCER <- request span.
    const resolve = spans.find((span) => span.service === 'route-resolver' && span.kind === SPAN_KIND.consumer)!;
    expect(chain(spans, resolve).slice(0, 3).map((span) => `${span.service}:${span.kind}:${span.name}`)).toEqual([
      `route-resolver:${SPAN_KIND.consumer}:process ${namespace}.aisbf.route.resolve`,
      `edge-api:${SPAN_KIND.producer}:send ${namespace}.aisbf.route.resolve`,
      `edge-api:${SPAN_KIND.internal}:chat ${MODEL_ID}`,
    ]);
    expect(resolve.attributes).toMatchObject({ 'aisbf.route.kind': 'provider', 'aisbf.route.id': MODEL_ID, 'aisbf.route.candidates': 1 });

    // GenAI semantic conventions on the backend call, and on the request as a whole.
    const genAi = spans.find((span) => span.name === 'chat gpt-4.1-mini')!;
    expect(genAi.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4.1-mini',
      'gen_ai.response.model': 'gpt-4.1-mini-2025-04-14',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.request.stream': true,
      'aisbf.provider.id': 'openai-prod',
      'aisbf.upstream.status_code': 200,
    });
    expect(genAi.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(genAi.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    const request = spans.find((span) => span.name === `chat ${MODEL_ID}`)!;
    expect(request.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': MODEL_ID,
      'gen_ai.response.model': 'gpt-4.1-mini-2025-04-14',
      'gen_ai.provider.name': 'openai',
      'aisbf.route.kind': 'provider',
      'aisbf.route.id': MODEL_ID,
      'aisbf.candidate': 'openai-prod/gpt-4.1-mini',
      'aisbf.attempts': 1,
      'aisbf.failover': false,
      'aisbf.outcome': 'ok',
    });
    expect(attempt.attributes).toMatchObject({ 'aisbf.attempt': 1, 'aisbf.failover': false, 'aisbf.candidate': 'openai-prod/gpt-4.1-mini' });

    // The backend itself was called inside the same trace.
    const upstreamTraceparent = String(mock.chatRequests().at(-1)?.headers.traceparent ?? '');
    expect(upstreamTraceparent.split('-')[1]).toBe(traceId);

    // Nothing said, and no secret, in any span of any service.
    for (const span of receiver.spans) {
      const values = allValues(span);
      expect(values).not.toContain(marker);
      expect(values).not.toContain('Mock reply to');
      expect(values).not.toContain(UPSTREAM_KEY);
      expect(values).not.toContain(TOKEN);
    }

    // Every log line of the request carries its trace id; the summary line names route and outcome, not the prompt.
    const summary = await waitFor('the request summary line', () =>
      stack
        .logs()
        .split('\n')
        .filter((line) => line.includes('"chat request"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line.request_id === requestId),
    );
    expect(summary).toMatchObject({
      trace_id: traceId,
      route: MODEL_ID,
      route_kind: 'provider',
      provider: 'openai-prod',
      attempts: 1,
      status: 200,
      outcome: 'ok',
      stream: true,
    });
    expect(stack.logs()).not.toContain(marker);
  });
});
