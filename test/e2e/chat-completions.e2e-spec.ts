import OpenAI from 'openai';
import { AisbfStack, StackMode } from '../support/stack/aisbf-stack';
import { freePort } from '../support/stack/free-port';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { postJson as rawPost } from '../support/http/aisbf-http';

const ALICE = 'sk-test-alice-0123456789abcdefghij';
const BOB = 'sk-test-bob-0123456789abcdefghijkl';
const UPSTREAM_KEY = 'sk-upstream-secret-do-not-leak-42';

describe.each<StackMode>(['distributed', 'embedded'])('chat completions through AISBF (%s mode)', (mode) => {
  const mock = new MockOpenAiServer('openai-prod');
  let stack: AisbfStack;
  let alice: OpenAI;

  beforeAll(async () => {
    await mock.start();
    const deadPort = await freePort();
    stack = await AisbfStack.start({
      mode,
      config: {
        users: {
          alice: {
            tokens: [ALICE],
            providers: {
              'openai-prod': {
                type: 'openai',
                endpoint: mock.url,
                api_key: UPSTREAM_KEY,
                models: [{ name: 'gpt-4.1-mini' }, { name: 'meta-llama/llama-3.1-70b' }],
              },
              dead: { type: 'openai', endpoint: `http://127.0.0.1:${deadPort}/v1`, models: [{ name: 'm' }], timeouts: { connect_ms: 1000 } },
              slow: { type: 'openai', endpoint: mock.url, models: [{ name: 'm' }], timeouts: { first_byte_ms: 300 } },
              orphan: { type: 'openai', endpoint: mock.url, pool: 'nobody-serves-this', models: [{ name: 'm' }] },
            },
          },
          bob: { tokens: [BOB] },
        },
      },
    });
    alice = new OpenAI({ apiKey: ALICE, baseURL: `${stack.baseUrl}/api/u/alice`, maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await mock.stop();
  });

  beforeEach(() => mock.reset());

  it('answers a plain completion and names the route it took', async () => {
    const { data, response } = await alice.chat.completions
      .create({ model: 'user-provider/openai-prod/gpt-4.1-mini', messages: [{ role: 'user', content: 'hello there' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('Mock reply to: hello there');
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-aisbf-route')).toBe('user-provider/openai-prod/gpt-4.1-mini');
    expect(response.headers.get('x-aisbf-provider')).toBe('openai-prod');
    expect(response.headers.get('x-aisbf-model')).toBe('gpt-4.1-mini');
    // The upstream got the provider's own model name and key.
    const upstream = mock.chatRequests()[0];
    expect(upstream.body?.model).toBe('gpt-4.1-mini');
    expect(upstream.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
  });

  it('routes to models whose names contain slashes, via /v1 with the token naming the user', async () => {
    const v1 = new OpenAI({ apiKey: ALICE, baseURL: `${stack.baseUrl}/v1`, maxRetries: 0 });
    const result = await v1.chat.completions.create({
      model: 'user-provider/openai-prod/meta-llama/llama-3.1-70b',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(result.choices[0].message.content).toBe('Mock reply to: x');
    expect(mock.chatRequests()[0].body?.model).toBe('meta-llama/llama-3.1-70b');
  });

  it('streams chunks in order with usage when asked, ending with [DONE]', async () => {
    mock.setDefault({ chunks: 6, chunkDelayMs: 5 });
    const stream = await alice.chat.completions.create({
      model: 'user-provider/openai-prod/gpt-4.1-mini',
      messages: [{ role: 'user', content: 'stream me a fairly long answer please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Mock reply to: stream me a fairly long answer please');
    expect(chunks).toBeGreaterThanOrEqual(8);
    expect(usage?.completion_tokens).toBeGreaterThan(0);

    const raw = await rawPost(
      `${stack.baseUrl}/v1/chat/completions`,
      ALICE,
      JSON.stringify({ model: 'user-provider/openai-prod/gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(raw.headers.get('content-type')).toContain('text/event-stream');
    expect(raw.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    // A client that did not ask for usage does not get the usage-only chunk.
    expect(raw.text).not.toContain('"choices":[]');
  });

  it('forwards every OpenAI parameter, and vendor extensions, unchanged', async () => {
    const params = {
      temperature: 0.3,
      top_p: 0.9,
      stop: ['END'],
      n: 1,
      seed: 42,
      max_tokens: 50,
      max_completion_tokens: 60,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      logit_bias: { '50256': -100 },
      response_format: { type: 'json_object' },
      user: 'end-user-7',
      parallel_tool_calls: false,
      metadata: { team: 'a' },
      top_k: 40,
    };
    await alice.chat.completions.create({
      model: 'user-provider/openai-prod/gpt-4.1-mini',
      messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'json please' }],
      ...(params as object),
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const sent = mock.chatRequests()[0].body!;
    expect(sent).toMatchObject(params);
    expect(sent.messages).toEqual([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'json please' }]);
  });

  it('passes tools through and returns tool calls, plain and streamed', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    ];
    const plain = await alice.chat.completions.create({
      model: 'user-provider/openai-prod/gpt-4.1-mini',
      messages: [{ role: 'user', content: 'weather in Paris?' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    expect(plain.choices[0].finish_reason).toBe('tool_calls');
    const call = plain.choices[0].message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(mock.chatRequests()[0].body?.tools).toEqual(tools);

    const stream = await alice.chat.completions.create({
      model: 'user-provider/openai-prod/gpt-4.1-mini',
      messages: [
        { role: 'user', content: 'weather in Paris?' },
        { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '18C' },
        { role: 'user', content: 'and again?' },
      ],
      tools,
      stream: true,
    });
    let args = '';
    for await (const chunk of stream) args += chunk.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? '';
    expect(args).toBe('{"city":"Paris"}');
  });

  it('lists the models chat accepts', async () => {
    const ids: string[] = [];
    for await (const model of alice.models.list()) ids.push(model.id);
    expect(ids).toEqual(
      expect.arrayContaining(['user-provider/openai-prod/gpt-4.1-mini', 'user-provider/openai-prod/meta-llama/llama-3.1-70b']),
    );
    const bob = await fetch(`${stack.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${BOB}` } });
    expect(((await bob.json()) as { data: unknown[] }).data).toEqual([]);
  });

  describe('bad input gets OpenAI-shaped errors', () => {
    const model = 'user-provider/openai-prod/gpt-4.1-mini';

    it('401 for a missing or invalid token', async () => {
      const none = await rawPost(`${stack.baseUrl}/v1/chat/completions`, null, JSON.stringify({ model, messages: [] }));
      expect(none.status).toBe(401);
      expect(JSON.parse(none.text).error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
      const wrong = new OpenAI({ apiKey: 'sk-wrong-0000000000000000000000', baseURL: `${stack.baseUrl}/v1`, maxRetries: 0 });
      await expect(wrong.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
        status: 401,
      });
    });

    it("403 for another user's path", async () => {
      const res = await rawPost(`${stack.baseUrl}/api/u/alice/chat/completions`, BOB, JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }] }));
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text).error.code).toBe('permission_denied');
      const models = await fetch(`${stack.baseUrl}/api/u/alice/models`, { headers: { authorization: `Bearer ${BOB}` } });
      expect(models.status).toBe(403);
    });

    it('400 for malformed JSON and for invalid bodies, naming the field', async () => {
      const malformed = await rawPost(`${stack.baseUrl}/v1/chat/completions`, ALICE, '{"model":');
      expect(malformed.status).toBe(400);
      expect(JSON.parse(malformed.text).error.type).toBe('invalid_request_error');
      const invalid = await rawPost(
        `${stack.baseUrl}/v1/chat/completions`,
        ALICE,
        JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }], temperature: 7 }),
      );
      expect(invalid.status).toBe(400);
      expect(JSON.parse(invalid.text).error).toMatchObject({ param: 'temperature', code: 'invalid_request' });
      const role = await rawPost(`${stack.baseUrl}/v1/chat/completions`, ALICE, JSON.stringify({ model, messages: [{ role: 'robot', content: 'x' }] }));
      expect(JSON.parse(role.text).error.param).toBe('messages[0].role');
      expect(mock.chatRequests()).toHaveLength(0);
    });

    it('404 model_not_found for unknown ids', async () => {
      for (const id of ['gpt-4', 'user-provider/openai-prod/nope', 'user-provider/ghost/m', 'user-rotation/none']) {
        await expect(alice.chat.completions.create({ model: id, messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
          status: 404,
          code: 'model_not_found',
        });
      }
    });

    it('502 naming the upstream status when the upstream fails, without leaking its key', async () => {
      mock.enqueue({ status: 500 });
      const error = await alice.chat.completions
        .create({ model, messages: [{ role: 'user', content: 'x' }] })
        .catch((e) => e);
      expect(error).toMatchObject({ status: 502 });
      expect(error.message).toContain('HTTP 500');
      mock.enqueue({ status: 502, rawBody: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' });
      const html = await alice.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(html).toMatchObject({ status: 502 });
      expect(html.message).toContain('502 Bad Gateway');
      expect(await stack.writtenLogs()).not.toContain(UPSTREAM_KEY);
    });

    it('502 when the upstream is unreachable', async () => {
      const error = await alice.chat.completions
        .create({ model: 'user-provider/dead/m', messages: [{ role: 'user', content: 'x' }] })
        .catch((e) => e);
      expect(error).toMatchObject({ status: 502, code: 'upstream_unreachable' });
    });

    it('429 with Retry-After when the upstream rate-limits', async () => {
      mock.enqueue({ status: 429, retryAfter: '7' });
      const res = await rawPost(`${stack.baseUrl}/v1/chat/completions`, ALICE, JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }] }));
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(JSON.parse(res.text).error.type).toBe('rate_limit_error');
    });

    it('504 when the upstream does not answer in time, never a hang', async () => {
      mock.enqueue({ delayMs: 2_000 });
      const started = Date.now();
      const error = await alice.chat.completions
        .create({ model: 'user-provider/slow/m', messages: [{ role: 'user', content: 'x' }] })
        .catch((e) => e);
      expect(error).toMatchObject({ status: 504 });
      expect(Date.now() - started).toBeLessThan(1_900);
    });

    it('a stream cut in the middle ends with an error event and [DONE], never a complete-looking 200', async () => {
      mock.enqueue({ chunks: 6, cutAfterChunks: 3, chunkDelayMs: 20 });
      const res = await rawPost(
        `${stack.baseUrl}/v1/chat/completions`,
        ALICE,
        JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'a long enough prompt to cut' }] }),
      );
      const events = res.text.split('\n\n').filter(Boolean);
      expect(events.at(-1)).toBe('data: [DONE]');
      const error = JSON.parse(events.at(-2)!.slice(6));
      expect(error.error.code).toBe('upstream_stream_broken');
      expect(events.filter((e) => e.includes('"delta"'))).toHaveLength(4);
    });

    if (mode === 'distributed') {
      it('503 when no service answers on the bus', async () => {
        const error = await alice.chat.completions
          .create({ model: 'user-provider/orphan/m', messages: [{ role: 'user', content: 'x' }] })
          .catch((e) => e);
        expect(error).toMatchObject({ status: 503 });
        expect(error.message).toContain('aisbf.connector.nobody-serves-this.chat');
      });
    }
  });

  it("carries the client's trace id to the connector's upstream call", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await alice.chat.completions.create(
      { model: 'user-provider/openai-prod/gpt-4.1-mini', messages: [{ role: 'user', content: 'trace me' }] },
      { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
    );
    const upstream = mock.chatRequests()[0];
    expect(String(upstream.headers.traceparent)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });
});
