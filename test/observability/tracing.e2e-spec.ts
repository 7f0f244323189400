import { AisbfStack } from '../support/stack/aisbf-stack';
import { freePort } from '../support/stack/free-port';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { OtlpTraceReceiver, ReceivedSpan, SPAN_KIND } from '../support/otlp/otlp-trace-receiver';

const TOKEN = 'sk-test-trace-0123456789abcdefghij';
const UPSTREAM_KEY = 'sk-upstream-trace-secret-0042';
const AWS_KEY = 'AKIAZ7Q2LMNOPQRS3TUV';
const POLICY = 'user-autoselect/engineering';
/** The seed policy's selection model `general`, as the route id the classifier is given. */
const SELECTION_MODEL = 'user-provider/general/router-small';
const SELECT_SPAN = `select ${SELECTION_MODEL}`;

/** The product description's rotation and autoselect documents, verbatim. */
const SEED_ROTATIONS = JSON.parse(
  '{"rotations":{"coding-production":{"model_name":"coding-production","providers":[{"provider_id":"coderai-local","model":"qwen2.5-coder:32b","weight":6,"error_cooldown":60},{"provider_id":"runpod-gpu-a","model":"deepseek-coder-v2","weight":3,"error_cooldown":120},{"provider_id":"openai-prod","model":"gpt-4.1-mini","weight":1,"error_cooldown":300}],"privacy":true,"capabilities":["chat","coding","tool_use"]}}}',
);
const SEED_AUTOSELECT = JSON.parse(
  '{"engineering":{"model_name":"engineering","selection_model":"general","fallback":"user-rotation/coding-production","classify_privacy":true,"classify_semantic":true,"available_models":[{"model_id":"user-rotation/coding-production","description":"Private code, logs, secrets, customer data.","privacy":true},{"model_id":"user-provider/runpod-gpu-a/deepseek-coder-v2","description":"Long refactors and GPU-heavy coding when data is not secret."},{"model_id":"user-provider/openai-prod/gpt-4.1-mini","description":"Fast hosted fallback for non-private tasks."}]}}',
);

/** The seed's request, with the failing test's output pasted in: an AWS key in a stack trace. */
const PROMPT = [
  'Fix this failing private test.',
  'FAIL src/billing/invoice.spec.ts',
  `  CredentialsProviderError at S3Client.send (index.js:1201:11) accessKeyId=${AWS_KEY}`,
].join('\n');

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

const describeSpan = (span: ReceivedSpan) => `${span.service}:${span.kind}:${span.name}`;

async function chat(baseUrl: string, model: string, content: string, stream: boolean) {
  const response = await fetch(`${baseUrl}/api/u/alice/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, ...(stream ? { stream_options: { include_usage: true } } : {}), messages: [{ role: 'user', content }] }),
  });
  return { response, text: await response.text() };
}

describe('one trace per request across the four services (distributed mode, OTLP export)', () => {
  const coderai = new MockOpenAiServer('coderai-local');
  const runpod = new MockOpenAiServer('runpod-gpu-a');
  const openai = new MockOpenAiServer('openai-prod');
  const selector = new MockOpenAiServer('general');
  const mocks = [coderai, runpod, openai, selector];
  const receiver = new OtlpTraceReceiver();
  let stack: AisbfStack;

  /** The spans of one request, once every span's parent (up to the single root) has arrived. */
  async function traceOf(requestId: string | null, expectedServices: number): Promise<ReceivedSpan[]> {
    const attempt = await waitFor('the edge attempt span', () =>
      receiver.spans.find((span) => span.service === 'edge-api' && span.attributes['aisbf.request.id'] === requestId),
    );
    return waitFor('the whole trace', () => {
      const found = receiver.trace(attempt.traceId);
      const ids = new Set(found.map((span) => span.spanId));
      const complete = found.filter((span) => !span.parentSpanId).length === 1 && found.every((span) => !span.parentSpanId || ids.has(span.parentSpanId));
      const services = new Set(found.map((span) => span.service)).size;
      const upstreamCall = found.some((span) => span.service === 'connector' && span.kind === SPAN_KIND.client && span.attributes['http.request.method']);
      const request = found.some((span) => span.service === 'edge-api' && span.name.startsWith('chat ') && span.attributes['aisbf.outcome']);
      return complete && services >= expectedServices && upstreamCall && request ? found : undefined;
    });
  }

  beforeAll(async () => {
    await Promise.all([...mocks.map((m) => m.start()), receiver.start()]);
    const deadPort = await freePort();
    stack = await AisbfStack.start({
      mode: 'distributed',
      // A short metric interval: an OTLP metrics export, if any were made, would show up in the test.
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_METRIC_EXPORT_INTERVAL: '300' },
      config: {
        users: {
          alice: {
            tokens: [TOKEN],
            providers: {
              'coderai-local': { type: 'openai', endpoint: coderai.url, api_key: UPSTREAM_KEY, models: [{ name: 'qwen2.5-coder:32b' }], private: true },
              'runpod-gpu-a': { type: 'openai', endpoint: runpod.url, models: [{ name: 'deepseek-coder-v2' }] },
              'openai-prod': { type: 'openai', endpoint: openai.url, api_key: UPSTREAM_KEY, models: [{ name: 'gpt-4.1-mini' }] },
              general: { type: 'openai', endpoint: selector.url, models: [{ name: 'router-small' }] },
              'gpu-offline': { type: 'openai', endpoint: `http://127.0.0.1:${deadPort}/v1`, models: [{ name: 'big' }], timeouts: { connect_ms: 500 } },
            },
            rotations: {
              ...SEED_ROTATIONS.rotations,
              'offline-first': { providers: [{ provider_id: 'gpu-offline', model: 'big', weight: 99 }, { provider_id: 'openai-prod', model: 'gpt-4.1-mini', weight: 1 }] },
            },
            autoselect: SEED_AUTOSELECT,
          },
        },
      },
    });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([...mocks.map((m) => m.stop()), receiver.stop()]);
  });

  it('follows the seed policy edge -> resolver -> classifier -> connector -> backend, with GenAI attributes and no prompt text', async () => {
    coderai.setDefault({ model: 'qwen2.5-coder:32b-instruct-q4', chunks: 1 });
    const { response, text } = await chat(stack.baseUrl, POLICY, PROMPT, true);
    expect(response.status).toBe(200);
    expect(text).toContain('Mock reply to: Fix this failing private test.');
    expect(response.headers.get('x-aisbf-provider')).toBe('coderai-local');
    expect(response.headers.get('x-aisbf-classification')).toMatch(/^private; signals=.*aws_access_key/);

    const spans = await traceOf(response.headers.get('x-aisbf-request-id'), 4);
    expect(receiver.rejected).toEqual([]);
    // One trace, five spans and more, from the four services; one root (the edge's HTTP span), every parent present.
    expect(spans.length).toBeGreaterThanOrEqual(5);
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['edge-api', 'route-resolver', 'classifier', 'connector']));
    const roots = spans.filter((span) => !span.parentSpanId);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'edge-api', kind: SPAN_KIND.server });

    const ns = stack.namespace;
    // The hop to the backend: undici CLIENT <- connector GenAI CLIENT <- CONSUMER <- edge PRODUCER <- attempt <- request.
    const upstream = spans.find((span) => span.service === 'connector' && span.kind === SPAN_KIND.client && span.attributes['http.request.method'])!;
    const upstreamPath = chain(spans, upstream).map(describeSpan);
    expect(upstreamPath.slice(0, 6)).toEqual([
      describeSpan(upstream),
      `connector:${SPAN_KIND.client}:chat qwen2.5-coder:32b`,
      `connector:${SPAN_KIND.consumer}:process ${ns}.aisbf.connector.default.chat`,
      `edge-api:${SPAN_KIND.producer}:send ${ns}.aisbf.connector.default.chat`,
      `edge-api:${SPAN_KIND.internal}:attempt coderai-local`,
      `edge-api:${SPAN_KIND.internal}:chat ${POLICY}`,
    ]);
    expect(upstreamPath.at(-1)).toBe(describeSpan(roots[0]));
    // The policy hop: classifier CONSUMER <- resolver PRODUCER <- ... <- resolver CONSUMER <- edge PRODUCER <- request.
    const classify = spans.find((span) => span.service === 'classifier' && span.kind === SPAN_KIND.consumer)!;
    const classifyPath = chain(spans, classify).map(describeSpan);
    expect(classifyPath.slice(0, 2)).toEqual([
      `classifier:${SPAN_KIND.consumer}:process ${ns}.aisbf.classify`,
      `route-resolver:${SPAN_KIND.producer}:send ${ns}.aisbf.classify`,
    ]);
    const resolveAt = classifyPath.indexOf(`route-resolver:${SPAN_KIND.consumer}:process ${ns}.aisbf.route.resolve`);
    expect(resolveAt).toBeGreaterThan(1);
    expect(classifyPath.slice(resolveAt + 1, resolveAt + 3)).toEqual([
      `edge-api:${SPAN_KIND.producer}:send ${ns}.aisbf.route.resolve`,
      `edge-api:${SPAN_KIND.internal}:chat ${POLICY}`,
    ]);
    expect(classify.attributes).toMatchObject({ 'aisbf.classify.private': true });
    const resolve = spans.find((span) => span.service === 'route-resolver' && span.kind === SPAN_KIND.consumer && span.name.endsWith('route.resolve'))!;
    expect(resolve.attributes).toMatchObject({ 'aisbf.route.kind': 'autoselect', 'aisbf.route.id': POLICY, 'aisbf.candidate': 'coderai-local/qwen2.5-coder:32b' });

    // GenAI semantic conventions on the backend call, and on the request as a whole.
    const genAi = spans.find((span) => span.name === 'chat qwen2.5-coder:32b')!;
    expect(genAi.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'qwen2.5-coder:32b',
      'gen_ai.response.model': 'qwen2.5-coder:32b-instruct-q4',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.request.stream': true,
      'aisbf.provider.id': 'coderai-local',
      'aisbf.upstream.status_code': 200,
    });
    expect(genAi.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(genAi.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    const request = spans.find((span) => span.name === `chat ${POLICY}`)!;
    expect(request.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': POLICY,
      'gen_ai.response.model': 'qwen2.5-coder:32b-instruct-q4',
      'gen_ai.provider.name': 'openai',
      'aisbf.route.kind': 'autoselect',
      'aisbf.route.id': POLICY,
      'aisbf.candidate': 'coderai-local/qwen2.5-coder:32b',
      'aisbf.privacy.decision': 'private',
      'aisbf.autoselect.selected': 'user-rotation/coding-production',
      'aisbf.attempts': 1,
      'aisbf.failover': false,
      'aisbf.outcome': 'ok',
    });
    // The backend itself was called inside the same trace.
    expect(String(coderai.chatRequests().at(-1)?.headers.traceparent ?? '').split('-')[1]).toBe(roots[0].traceId);

    // Nothing said, and no secret, in any span of any service.
    for (const span of receiver.spans) {
      const values = allValues(span);
      for (const secret of ['Fix this failing private test', 'Mock reply to', AWS_KEY, UPSTREAM_KEY, TOKEN]) {
        expect([span.name, values.includes(secret)]).toEqual([span.name, false]);
      }
    }

    // The request's log lines carry its trace id; the summary names route and outcome, not the prompt.
    const summary = await waitFor('the request summary line', () =>
      stack
        .logs()
        .split('\n')
        .filter((line) => line.includes('"chat request"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line.request_id === response.headers.get('x-aisbf-request-id')),
    );
    expect(summary).toMatchObject({ trace_id: roots[0].traceId, route: POLICY, route_kind: 'autoselect', candidate: 'coderai-local/qwen2.5-coder:32b', provider: 'coderai-local', attempts: 1, status: 200, outcome: 'ok', stream: true });
    // Every line logged about a request, by any service, carries a trace id.
    const requestLines = stack
      .logs()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.request_id);
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) expect([line.msg, String(line.trace_id)]).toEqual([line.msg, expect.stringMatching(/^[0-9a-f]{32}$/)]);
    const written = await stack.writtenLogs();
    expect(written).not.toContain(AWS_KEY);
    expect(written).not.toContain('Fix this failing private test');
  });

  it('traces the hop to the selection model: a classifier span over its bus call, the connector and the backend', async () => {
    const question = 'Summarise in one line what HTTP status 418 means for our gateway.';
    selector.enqueue({ content: JSON.stringify({ model_id: 'user-provider/openai-prod/gpt-4.1-mini', confidence: 0.9 }) });
    const { response } = await chat(stack.baseUrl, POLICY, question, false);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-aisbf-provider')).toBe('openai-prod');
    const requestSpans = await traceOf(response.headers.get('x-aisbf-request-id'), 4);
    const traceId = requestSpans[0].traceId;
    // The selection model's own backend call, under the classifier's selection span.
    const spans = await waitFor('the selection model call', () => {
      const found = receiver.trace(traceId);
      const call = found.find((span) => span.service === 'connector' && span.kind === SPAN_KIND.client && String(span.attributes['url.full'] ?? '').startsWith(selector.url));
      return call && chain(found, call).some((span) => span.name === SELECT_SPAN) ? found : undefined;
    });
    const select = spans.find((span) => span.name === SELECT_SPAN)!;
    expect(select).toMatchObject({ service: 'classifier', kind: SPAN_KIND.internal, statusCode: 0 });
    expect(select.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': SELECTION_MODEL,
      'aisbf.selection.candidates': 3,
      'aisbf.attempts': 1,
      'aisbf.candidate': 'general/router-small',
      'aisbf.selection.selected': 'user-provider/openai-prod/gpt-4.1-mini',
      'aisbf.selection.confidence': 0.9,
      'aisbf.outcome': 'ok',
    });
    const ns = stack.namespace;
    const selectorCall = spans.find((span) => span.service === 'connector' && span.kind === SPAN_KIND.client && String(span.attributes['url.full'] ?? '').startsWith(selector.url))!;
    expect(chain(spans, selectorCall).map(describeSpan).slice(1, 6)).toEqual([
      `connector:${SPAN_KIND.client}:chat router-small`,
      `connector:${SPAN_KIND.consumer}:process ${ns}.aisbf.connector.default.chat`,
      `classifier:${SPAN_KIND.producer}:send ${ns}.aisbf.connector.default.chat`,
      `classifier:${SPAN_KIND.internal}:${SELECT_SPAN}`,
      `classifier:${SPAN_KIND.consumer}:process ${ns}.aisbf.classify`,
    ]);
    expect(String(selector.chatRequests().at(-1)?.headers.traceparent ?? '').split('-')[1]).toBe(traceId);
    // The selector's prompt quotes the conversation: no span holds it.
    for (const span of spans) expect([span.name, allValues(span).includes('what HTTP status 418 means')]).toEqual([span.name, false]);
  });

  it('shows a failover as two attempt spans of one request, the first failed', async () => {
    const { response } = await chat(stack.baseUrl, 'user-rotation/offline-first', 'hello', false);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-aisbf-failover')).toContain('gpu-offline/big');
    const spans = await traceOf(response.headers.get('x-aisbf-request-id'), 3);
    const attempts = spans.filter((span) => span.name.startsWith('attempt ')).sort((a, b) => Number(a.attributes['aisbf.attempt']) - Number(b.attributes['aisbf.attempt']));
    expect(attempts.map((span) => [span.name, span.attributes['aisbf.failover'], span.statusCode])).toEqual([
      ['attempt gpu-offline', false, 2],
      ['attempt openai-prod', true, 0],
    ]);
    expect(attempts[0].attributes['error.type']).toBe('upstream_unreachable');
    const request = spans.find((span) => span.name === 'chat user-rotation/offline-first')!;
    expect(request.attributes).toMatchObject({ 'aisbf.route.kind': 'rotation', 'aisbf.attempts': 2, 'aisbf.failover': true, 'aisbf.outcome': 'ok' });
    for (const attempt of attempts) expect(attempt.parentSpanId).toBe(request.spanId);
    // The summary line names the candidate that served the request, not the one that failed.
    const summary = await waitFor('the request summary line', () =>
      stack
        .logs()
        .split('\n')
        .filter((line) => line.includes('"chat request"') && line.includes(String(response.headers.get('x-aisbf-request-id'))))
        .map((line) => JSON.parse(line) as Record<string, unknown>)[0],
    );
    expect(summary).toMatchObject({ route: 'user-rotation/offline-first', candidate: 'openai-prod/gpt-4.1-mini', attempts: 2, failover: true, status: 200, outcome: 'ok' });
  });
});
