import OpenAI from 'openai';
import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockAnthropicServer } from '../support/mock-anthropic/mock-anthropic-server';
import { MockGeminiServer } from '../support/mock-gemini/mock-gemini-server';
import { MockOllamaServer } from '../support/mock-ollama/mock-ollama-server';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { MockUpstreamServer, RecordedRequest, wait } from '../support/mock-upstream/mock-upstream-server';

/*
 * The official OpenAI SDK talks to AISBF (distributed, over the real NATS); behind it the backend
 * is, in turn, an Anthropic, a Gemini and an Ollama server (our mocks of their documented wires).
 */

const ALICE = 'sk-test-alice-wires-0123456789abcdef';
const KEYS = {
  anthropic: 'sk-ant-upstream-secret-0001-do-not-leak',
  gemini: 'AIzaUpstreamSecret0002-do-not-leak',
  ollama: 'ollama-proxy-secret-0003-do-not-leak',
  openai: 'sk-openai-upstream-secret-0004-do-not-leak',
};
const WRONG_KEY = 'sk-wrong-upstream-key-0005-must-be-scrubbed';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const TOOLS: OpenAI.ChatCompletionTool[] = [
  {
    type: 'function',
    function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  },
];

interface Wire {
  type: 'anthropic' | 'gemini' | 'ollama';
  providerId: string;
  mock: MockUpstreamServer;
  chatModel: string;
  embedModel: string | null;
  chatCalls(): RecordedRequest[];
  /** The key arrived in the wire's own header, and nowhere in the URL. */
  expectKey(request: RecordedRequest): void;
  /** The system prompt and the user text arrived where this wire wants them. */
  expectPrompt(request: RecordedRequest, system: string, user: string): void;
  /** The image arrived as this wire's image. */
  expectImage(request: RecordedRequest): void;
}

const anthropic = new MockAnthropicServer('anthropic-prod');
const gemini = new MockGeminiServer('gemini-prod');
const ollama = new MockOllamaServer('coderai-local');
const openai = new MockOpenAiServer('openai-prod');

const WIRES: Wire[] = [
  {
    type: 'anthropic',
    providerId: 'anthropic-prod',
    mock: anthropic,
    chatModel: 'claude-sonnet-4-5',
    embedModel: null,
    chatCalls: () => anthropic.messageRequests(),
    expectKey: (request) => {
      expect(request.headers['x-api-key']).toBe(KEYS.anthropic);
      expect(request.headers['anthropic-version']).toBe('2023-06-01');
      expect(request.headers.authorization).toBeUndefined();
    },
    expectPrompt: (request, system, user) => {
      expect(request.body).toMatchObject({ system, messages: [{ role: 'user', content: [{ type: 'text', text: user }] }] });
      expect(typeof request.body!.max_tokens).toBe('number');
    },
    expectImage: (request) =>
      expect((request.body!.messages as Array<{ content: unknown[] }>)[0].content).toContainEqual({
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: PNG },
      }),
  },
  {
    type: 'gemini',
    providerId: 'gemini-prod',
    mock: gemini,
    chatModel: 'gemini-2.0-flash',
    embedModel: 'text-embedding-004',
    chatCalls: () => gemini.generateRequests(),
    expectKey: (request) => {
      expect(request.headers['x-goog-api-key']).toBe(KEYS.gemini);
      expect(request.url).not.toContain('key=');
      expect(request.url).not.toContain(KEYS.gemini);
    },
    expectPrompt: (request, system, user) =>
      expect(request.body).toMatchObject({ systemInstruction: { parts: [{ text: system }] }, contents: [{ role: 'user', parts: [{ text: user }] }] }),
    expectImage: (request) =>
      expect((request.body!.contents as Array<{ parts: unknown[] }>)[0].parts).toContainEqual({ inlineData: { mimeType: 'image/png', data: PNG } }),
  },
  {
    type: 'ollama',
    providerId: 'coderai-local',
    mock: ollama,
    chatModel: 'qwen2.5-coder:32b',
    embedModel: 'nomic-embed-text:latest',
    chatCalls: () => ollama.chatRequests(),
    expectKey: (request) => expect(request.headers.authorization).toBe(`Bearer ${KEYS.ollama}`),
    expectPrompt: (request, system, user) =>
      expect(request.body).toMatchObject({ messages: [{ role: 'system', content: system }, { role: 'user', content: user }] }),
    expectImage: (request) => expect((request.body!.messages as Array<{ images?: string[] }>)[0].images).toEqual([PNG]),
  },
];

async function rawPost(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('connector wires through AISBF (distributed, real NATS)', () => {
  let stack: AisbfStack;
  let client: OpenAI;
  /** Client abort -> upstream abort, as seen by the mock (ms). */
  const abortLatencies: Record<string, number[]> = {};

  beforeAll(async () => {
    const mocks = [anthropic, gemini, ollama, openai];
    await Promise.all(mocks.map((mock) => mock.start()));
    anthropic.requiredKey = KEYS.anthropic;
    gemini.requiredKey = KEYS.gemini;
    ollama.requiredKey = KEYS.ollama;
    openai.models = ['gpt-4.1-mini', 'text-embedding-3-small'];
    const providers: Record<string, unknown> = {
      'openai-prod': {
        type: 'openai',
        endpoint: openai.url,
        api_key: KEYS.openai,
        models: [{ name: 'gpt-4.1-mini' }, { name: 'text-embedding-3-small', capabilities: ['embeddings'] }],
      },
    };
    for (const wire of WIRES) {
      const models = [{ name: wire.chatModel, capabilities: ['chat', 'tool_use', 'vision'] }];
      if (wire.embedModel) models.push({ name: wire.embedModel, capabilities: ['embeddings'] });
      providers[wire.providerId] = { type: wire.type, endpoint: wire.mock.url, api_key: KEYS[wire.type], models };
      providers[`${wire.type}-badkey`] = { type: wire.type, endpoint: wire.mock.url, api_key: WRONG_KEY, models: [{ name: wire.chatModel }] };
    }
    stack = await AisbfStack.start({ mode: 'distributed', config: { users: { alice: { tokens: [ALICE], providers } } } });
    client = new OpenAI({ apiKey: ALICE, baseURL: `${stack.baseUrl}/api/u/alice`, maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([anthropic, gemini, ollama].map((mock) => mock.stop()));
    await openai.stop();
    if (process.env.AISBF_PRINT_TIMINGS) process.stdout.write(`abort latencies (ms): ${JSON.stringify(abortLatencies)}\n`);
  });

  beforeEach(() => {
    for (const wire of WIRES) wire.mock.reset();
    openai.reset();
  });

  describe.each(WIRES)('$type backend', (wire) => {
    const model = `user-provider/${wire.providerId}/${wire.chatModel}`;

    it('answers a plain completion, the request translated into the wire', async () => {
      const { data, response } = await client.chat.completions
        .create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }], temperature: 0.2 })
        .withResponse();
      expect(data.object).toBe('chat.completion');
      expect(data.choices[0].message).toMatchObject({ role: 'assistant', content: 'Mock reply to: hello there' });
      expect(data.choices[0].finish_reason).toBe('stop');
      expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
      expect(data.usage!.completion_tokens).toBeGreaterThan(0);
      expect(response.headers.get('x-aisbf-provider')).toBe(wire.providerId);
      const [upstream] = wire.chatCalls();
      wire.expectKey(upstream);
      wire.expectPrompt(upstream, 'Be brief.', 'hello there');
    });

    it('streams chunks as they come, with usage when asked, ending with [DONE]', async () => {
      wire.mock.setDefault({ chunks: 6, chunkDelayMs: 5 });
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'stream me a fairly long answer please' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | null | undefined;
      let finish: string | null = null;
      let chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        text += chunk.choices[0]?.delta?.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('Mock reply to: stream me a fairly long answer please');
      expect(finish).toBe('stop');
      expect(chunks).toBeGreaterThanOrEqual(8);
      expect(usage!.completion_tokens).toBeGreaterThan(0);

      const raw = await rawPost(`${stack.baseUrl}/v1/chat/completions`, { model, stream: true, messages: [{ role: 'user', content: 'hi' }] });
      expect(raw.headers.get('content-type')).toContain('text/event-stream');
      expect(raw.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      expect(raw.text).not.toContain('"choices":[]');
    });

    it('round-trips a tool call: the call, the tool result, and the call again streamed', async () => {
      const first = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: TOOLS });
      expect(first.choices[0].finish_reason).toBe('tool_calls');
      const call = first.choices[0].message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
      expect(call.function.name).toBe('get_weather');
      expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
      expect(call.id).toBeTruthy();

      const second = await client.chat.completions.create({
        model,
        tools: TOOLS,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: '18C and sunny' },
        ],
      });
      expect(second.choices[0].finish_reason).toBe('stop');
      expect(second.choices[0].message.content).toContain('18C and sunny');

      const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: TOOLS, stream: true });
      let args = '';
      let name = '';
      let finish: string | null = null;
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta?.tool_calls?.[0];
        args += delta?.function?.arguments ?? '';
        name = delta?.function?.name ?? name;
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      expect(name).toBe('get_weather');
      expect(JSON.parse(args)).toEqual({ city: 'Paris' });
      expect(finish).toBe('tool_calls');
    });

    it('passes images in messages in the wire’s own shape', async () => {
      await client.chat.completions.create({
        model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this image?' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            ],
          },
        ],
      });
      wire.expectImage(wire.chatCalls()[0]);
    });

    if (wire.embedModel) {
      it('answers embeddings in OpenAI’s shape, base64 (the SDK default) and float', async () => {
        const embedModel = `user-provider/${wire.providerId}/${wire.embedModel}`;
        const result = await client.embeddings.create({ model: embedModel, input: ['first text', 'second text'] });
        expect(result.data).toHaveLength(2);
        result.data.forEach((item, index) => {
          expect(item.index).toBe(index);
          [0.1, 0.2, 0.3].forEach((value, i) => expect(item.embedding[i]).toBeCloseTo(value, 5));
        });
        const floats = await client.embeddings.create({ model: embedModel, input: 'one', encoding_format: 'float' });
        expect(floats.data[0].embedding).toEqual([0.1, 0.2, 0.3]);
        const v1 = await rawPost(`${stack.baseUrl}/v1/embeddings`, { model: embedModel, input: 'x' });
        expect(v1.status).toBe(200);
        expect(JSON.parse(v1.text).object).toBe('list');
      });
    } else {
      it('refuses embeddings with a clear OpenAI-shaped error (the wire has none)', async () => {
        const error = await client.embeddings.create({ model, input: 'x' }).catch((e) => e);
        expect(error).toMatchObject({ status: 400, code: 'invalid_request' });
        expect(error.message).toContain('no embeddings API');
      });
    }

    it('lists the backend’s own models through its pool (test model listing)', async () => {
      const listing = await testModelListing(stack.baseUrl, wire.providerId);
      expect(listing.status).toBe(200);
      expect(listing.body.models.map((m) => m.id)).toEqual((wire.mock as unknown as { models: string[] }).models);
      expect(listing.body.missing).toEqual([]);
      wire.expectKey(wire.mock.requests.at(-1)!);
    });

    it('surfaces an upstream 429 with its Retry-After', async () => {
      wire.mock.enqueue({ status: 429, retryAfter: '7' });
      const res = await rawPost(`${stack.baseUrl}/v1/chat/completions`, { model, messages: [{ role: 'user', content: 'x' }] });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(JSON.parse(res.text).error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    });

    it('ends a stream cut in the middle with an error event and [DONE]', async () => {
      wire.mock.enqueue({ chunks: 6, cutAfterChunks: 3, chunkDelayMs: 10 });
      const res = await rawPost(`${stack.baseUrl}/v1/chat/completions`, { model, stream: true, messages: [{ role: 'user', content: 'a long enough prompt to cut' }] });
      const events = res.text.split('\n\n').filter(Boolean);
      expect(events.at(-1)).toBe('data: [DONE]');
      expect(JSON.parse(events.at(-2)!.slice(6)).error.code).toBe('upstream_stream_broken');
    });

    it('stops the upstream call when the client aborts, plain or streamed', async () => {
      const latencies = (abortLatencies[wire.type] = [] as number[]);
      wire.mock.enqueue({ delayMs: 10_000 });
      const controller = new AbortController();
      const plain = client.chat.completions.create({ model, messages: [{ role: 'user', content: 'slow' }] }, { signal: controller.signal });
      const waiting = await wire.mock.waitForRequest(pathOf(wire));
      const plainAbort = Date.now();
      controller.abort();
      await expect(plain).rejects.toThrow();
      latencies.push((await wire.mock.waitForAbort(waiting)) - plainAbort);

      wire.mock.reset();
      wire.mock.enqueue({ chunks: 40, chunkDelayMs: 100 });
      const streamController = new AbortController();
      const stream = await client.chat.completions.create(
        { model, messages: [{ role: 'user', content: 'a long answer that nobody will read to the end' }], stream: true },
        { signal: streamController.signal },
      );
      const streaming = wire.chatCalls()[0];
      let streamAbort = 0;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) {
          // The client goes away after the first words.
          streamAbort = Date.now();
          streamController.abort();
          break;
        }
      }
      latencies.push((await wire.mock.waitForAbort(streaming)) - streamAbort);
      for (const latency of latencies) expect(latency).toBeLessThan(2_000);
      // Nothing keeps running for nobody: the upstream saw no further request.
      await wait(200);
      expect(wire.chatCalls()).toHaveLength(1);
    });

    it('never lets a provider key reach the client or the logs, even when the upstream echoes it', async () => {
      const error = await client.chat.completions
        .create({ model: `user-provider/${wire.type}-badkey/${wire.chatModel}`, messages: [{ role: 'user', content: 'x' }] })
        .catch((e) => e);
      expect(error).toMatchObject({ status: 502 });
      expect(error.message).toContain('HTTP 401');
      expect(error.message).toContain('[redacted]');
      expect(error.message).not.toContain(WRONG_KEY);
      const logs = await stack.writtenLogs();
      for (const key of [...Object.values(KEYS), WRONG_KEY]) expect(logs).not.toContain(key);
    });
  });

  describe('OpenAI-compatible backend', () => {
    it('answers embeddings and lists the backend’s models', async () => {
      const result = await client.embeddings.create({ model: 'user-provider/openai-prod/text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float' });
      expect(result.data.map((d) => d.embedding)).toEqual([
        [0.1, 0.2, 0.3],
        [0.1, 0.2, 0.3],
      ]);
      expect(result.usage.prompt_tokens).toBeGreaterThan(0);
      const upstream = openai.requests.find((r) => r.path.endsWith('/embeddings'))!;
      expect(upstream.body).toMatchObject({ model: 'text-embedding-3-small', input: ['a', 'b'] });
      expect(upstream.headers.authorization).toBe(`Bearer ${KEYS.openai}`);

      const listing = await testModelListing(stack.baseUrl, 'openai-prod');
      expect(listing.body.models.map((m) => m.id)).toEqual(['gpt-4.1-mini', 'text-embedding-3-small']);
    });

    it('stops the upstream call when the client aborts a stream', async () => {
      openai.enqueue({ chunks: 40, chunkDelayMs: 100 });
      const controller = new AbortController();
      const stream = await client.chat.completions.create(
        { model: 'user-provider/openai-prod/gpt-4.1-mini', messages: [{ role: 'user', content: 'a long answer nobody reads' }], stream: true },
        { signal: controller.signal },
      );
      let aborted = 0;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) {
          aborted = Date.now();
          controller.abort();
          break;
        }
      }
      const upstream = openai.chatRequests()[0];
      while (!upstream.aborted && Date.now() - aborted < 5_000) await wait(5);
      expect(upstream.aborted).toBe(true);
      abortLatencies.openai = [Date.now() - aborted];
    });

    it('answers 413, not a server error, for a body larger than one bus message', async () => {
      const image = `data:image/png;base64,${'A'.repeat(1_500_000)}`;
      const res = await rawPost(`${stack.baseUrl}/v1/chat/completions`, {
        model: 'user-provider/openai-prod/gpt-4.1-mini',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: image } }] }],
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text).error).toMatchObject({ code: 'payload_too_large', type: 'invalid_request_error' });
      expect(openai.chatRequests()).toHaveLength(0);
    });

    it('reports an unknown provider in a model listing as 404', async () => {
      const res = await testModelListing(stack.baseUrl, 'ghost');
      expect(res.status).toBe(404);
      expect((res.body as unknown as { error: { code: string } }).error.code).toBe('not_found');
    });
  });
});

/** The configuration API's "test model listing": the provider's pool asks its backend. */
async function testModelListing(baseUrl: string, providerId: string) {
  const response = await fetch(`${baseUrl}/api/u/alice/providers/${providerId}/test`, { method: 'POST', headers: { authorization: `Bearer ${ALICE}` } });
  return { status: response.status, body: (await response.json()) as { models: Array<{ id: string }>; missing: string[] } };
}

function pathOf(wire: Wire): string {
  return wire.type === 'anthropic' ? '/v1/messages' : wire.type === 'gemini' ? 'generateContent' : '/api/chat';
}
