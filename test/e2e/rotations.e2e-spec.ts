import OpenAI from 'openai';
import { AisbfStack, StackMode } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { explainRoute, postChat, sseEvents, waitFor } from '../support/http/aisbf-http';
import { parseConfigFile } from '@aisbf/persistence';

const ALICE = 'sk-test-alice-rotations-0123456789abcd';

/** Upstreams of the suite; each failure scenario has its own, so scenarios never share a cooldown. */
const MOCKS = [
  'seedLocal',
  'seedGpu',
  'seedHosted',
  'flaky',
  'limited',
  'broken',
  'cutter',
  'staller',
  'down1',
  'down2',
  'strict',
  'capable',
  'steady',
] as const;
type MockName = (typeof MOCKS)[number];

function rotationConfig(mocks: Record<MockName, MockOpenAiServer>) {
  const provider = (mock: MockName, model: string, extra: Record<string, unknown> = {}) => ({
    type: 'openai',
    endpoint: mocks[mock].url,
    models: [{ name: model }],
    ...extra,
  });
  const deep: Record<string, unknown> = {};
  // deep-2 .. deep-9: exactly eight levels, the deepest nesting a configuration may hold.
  for (let i = 2; i <= 9; i++) {
    deep[`deep-${i}`] = { providers: [i === 9 ? { provider_id: 'steady-nested', model: 'm' } : { model_id: `user-rotation/deep-${i + 1}` }] };
  }
  return {
    users: {
      alice: {
        tokens: [ALICE],
        providers: {
          // The seed's three providers, behind three mock upstreams.
          'coderai-local': provider('seedLocal', 'qwen2.5-coder:32b', { private: true }),
          'runpod-gpu-a': provider('seedGpu', 'deepseek-coder-v2'),
          'openai-prod': provider('seedHosted', 'gpt-4.1-mini'),
          flaky: provider('flaky', 'm'),
          limited: provider('limited', 'm'),
          broken: provider('broken', 'm', { timeouts: { first_byte_ms: 1_000, idle_ms: 500 } }),
          cutter: provider('cutter', 'm'),
          staller: provider('staller', 'm', { timeouts: { idle_ms: 500 } }),
          'down-1': provider('down1', 'm'),
          'down-2': provider('down2', 'm'),
          strict: provider('strict', 'm'),
          'text-only': { type: 'openai', endpoint: mocks.capable.url, models: [{ name: 'm', capabilities: ['chat'] }] },
          toolsmith: { type: 'openai', endpoint: mocks.capable.url, models: [{ name: 'm', capabilities: ['chat', 'tool_use'] }] },
          seer: { type: 'openai', endpoint: mocks.capable.url, models: [{ name: 'm', capabilities: ['chat', 'vision'] }] },
          'steady-b': provider('steady', 'm'),
          'steady-c': provider('steady', 'm'),
          'steady-d': provider('steady', 'm'),
          'steady-e': provider('steady', 'm'),
          'steady-f': provider('steady', 'm'),
          'steady-nested': provider('steady', 'm'),
        },
        rotations: {
          // The seed's rotation, verbatim.
          'coding-production': {
            model_name: 'coding-production',
            providers: [
              { provider_id: 'coderai-local', model: 'qwen2.5-coder:32b', weight: 6, error_cooldown: 60 },
              { provider_id: 'runpod-gpu-a', model: 'deepseek-coder-v2', weight: 3, error_cooldown: 120 },
              { provider_id: 'openai-prod', model: 'gpt-4.1-mini', weight: 1, error_cooldown: 300 },
            ],
            privacy: true,
            capabilities: ['chat', 'coding', 'tool_use'],
          },
          'cooldown-500': {
            strategy: 'priority',
            providers: [
              { provider_id: 'flaky', model: 'm', weight: 2, error_cooldown: 2 },
              { provider_id: 'steady-b', model: 'm', weight: 1 },
            ],
          },
          'retry-after': {
            strategy: 'priority',
            providers: [
              { provider_id: 'limited', model: 'm', weight: 2, error_cooldown: 1 },
              { provider_id: 'steady-c', model: 'm', weight: 1 },
            ],
          },
          // error_cooldown 0: failover only, so every scenario finds it in first place again.
          failover: {
            strategy: 'priority',
            providers: [
              { provider_id: 'broken', model: 'm', weight: 2, error_cooldown: 0 },
              { provider_id: 'steady-d', model: 'm', weight: 1 },
            ],
          },
          cut: {
            strategy: 'priority',
            providers: [
              { provider_id: 'cutter', model: 'm', weight: 2, error_cooldown: 0 },
              { provider_id: 'steady-e', model: 'm', weight: 1 },
            ],
          },
          stall: {
            strategy: 'priority',
            providers: [
              { provider_id: 'staller', model: 'm', weight: 2, error_cooldown: 0 },
              { provider_id: 'steady-e', model: 'm', weight: 1 },
            ],
          },
          'all-cooling': {
            providers: [
              { provider_id: 'down-1', model: 'm', weight: 1, error_cooldown: 30 },
              { provider_id: 'down-2', model: 'm', weight: 1, error_cooldown: 20 },
            ],
          },
          'client-error': {
            strategy: 'priority',
            providers: [
              { provider_id: 'strict', model: 'm', weight: 2, error_cooldown: 60 },
              { provider_id: 'steady-f', model: 'm', weight: 1 },
            ],
          },
          picky: {
            providers: [
              { provider_id: 'text-only', model: 'm' },
              { provider_id: 'toolsmith', model: 'm' },
              { provider_id: 'seer', model: 'm' },
            ],
          },
          outer: {
            providers: [
              { model_id: 'user-rotation/coding-production', weight: 3 },
              { provider_id: 'steady-nested', model: 'm', weight: 1 },
            ],
          },
          ...deep,
        },
      },
    },
  };
}

const SEED = 'user-rotation/coding-production';
const ask = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: 'Fix this failing private test.' }], ...extra });

describe.each<StackMode>(['distributed', 'embedded'])('rotations (%s mode)', (mode) => {
  const mocks = Object.fromEntries(MOCKS.map((name) => [name, new MockOpenAiServer(name)])) as Record<MockName, MockOpenAiServer>;
  let stack: AisbfStack;
  let alice: OpenAI;
  const api = () => `${stack.baseUrl}/api/u/alice`;

  beforeAll(async () => {
    await Promise.all(Object.values(mocks).map((mock) => mock.start()));
    stack = await AisbfStack.start({
      mode,
      config: rotationConfig(mocks),
      // Two resolvers share cooldowns and counters through Redis; two connectors share the calls.
      replicas: { 'route-resolver': 2, connector: 2 },
    });
    alice = new OpenAI({ apiKey: ALICE, baseURL: `${stack.baseUrl}/api/u/alice`, maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all(Object.values(mocks).map((mock) => mock.stop()));
  });

  beforeEach(() => Object.values(mocks).forEach((mock) => mock.reset()));

  it('sends 60/30/10 % of 3,000 requests of the seed rotation to its candidates', async () => {
    const counts: Record<string, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < 3_000) {
        next++;
        const res = await postChat(api(), ALICE, ask(SEED));
        expect(res.status).toBe(200);
        const provider = res.headers.get('x-aisbf-provider')!;
        counts[provider] = (counts[provider] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const share = (id: string) => (counts[id] ?? 0) / 3_000;
    expect(Math.abs(share('coderai-local') - 0.6)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(share('runpod-gpu-a') - 0.3)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(share('openai-prod') - 0.1)).toBeLessThanOrEqual(0.03);
    // The upstreams saw the same split, with their own model names.
    expect(mocks.seedLocal.chatRequests()).toHaveLength(counts['coderai-local']);
    expect(mocks.seedGpu.chatRequests().every((r) => r.body?.model === 'deepseek-coder-v2')).toBe(true);
    // The counter is shared, so the split is exact to a few requests, not just within 3 %.
    expect(Math.abs(counts['coderai-local'] - 1_800)).toBeLessThanOrEqual(5);
  }, 120_000);

  it('explains the plan the next real call follows', async () => {
    for (let i = 0; i < 12; i++) {
      const explained = await explainRoute(api(), ALICE, ask(SEED));
      expect(explained.status).toBe(200);
      const plan = explained.body.plan as Array<{ provider_id: string; model: string }>;
      const res = await postChat(api(), ALICE, ask(SEED));
      expect(res.headers.get('x-aisbf-provider')).toBe(plan[0].provider_id);
      expect(res.headers.get('x-aisbf-model')).toBe(plan[0].model);
    }
    const { body } = await explainRoute(api(), ALICE, ask(SEED));
    expect(body).toMatchObject({ object: 'route.explanation', route: SEED, kind: 'rotation', strategy: 'weighted', max_attempts: 3, error: null });
    expect(body.plan).toHaveLength(3);
    expect(body.candidates.map((c: any) => [c.provider_id, c.weight, c.share, c.error_cooldown_seconds])).toEqual([
      ['coderai-local', 6, 0.6, 60],
      ['runpod-gpu-a', 3, 0.3, 120],
      ['openai-prod', 1, 0.1, 300],
    ]);
    expect(body.state_store).toBe(mode === 'distributed' ? 'redis' : 'memory');
    expect(body.picks[0]).toMatchObject({ rotation: 'coding-production', strategy: 'weighted' });
    expect(body.explanation[0]).toMatch(/^user-rotation\/coding-production \(weighted\): request #\d+ falls at/);
    // Outcomes of the calls above became per-candidate statistics.
    const local = body.candidates[0];
    await waitFor(async () => (await explainRoute(api(), ALICE, ask(SEED))).body.candidates[0].stats.requests > 0);
    const stats = (await explainRoute(api(), ALICE, ask(SEED))).body.candidates[0].stats;
    expect(stats).toMatchObject({ window_seconds: 900, success_rate: 1, failures: 0 });
    expect(stats.avg_latency_ms).toBeGreaterThan(0);
    expect(typeof stats.last_success_at).toBe('string');
    expect(local.private).toBe(true);
  });

  it('fails over before the first token without the OpenAI SDK noticing, plain and streamed', async () => {
    mocks.broken.enqueue({ status: 500 });
    const { data, response } = await alice.chat.completions
      .create({ model: 'user-rotation/failover', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('Mock reply to: hello');
    expect(response.headers.get('x-aisbf-route')).toBe('user-rotation/failover');
    expect(response.headers.get('x-aisbf-provider')).toBe('steady-d');
    expect(response.headers.get('x-aisbf-attempts')).toBe('2');
    expect(response.headers.get('x-aisbf-failover')).toBe('broken/m (upstream_error 500)');

    // Streamed, the backend failing with a connection cut before any content.
    mocks.broken.enqueue({ cutAfterChunks: 0 });
    const stream = await alice.chat.completions.create({ model: 'user-rotation/failover', messages: [{ role: 'user', content: 'stream it' }], stream: true });
    let text = '';
    let roles = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.choices[0]?.delta?.role) roles++;
    }
    expect(text).toBe('Mock reply to: stream it');
    expect(roles).toBe(1);
    expect(mocks.broken.chatRequests()).toHaveLength(2);
    expect(mocks.steady.chatRequests()).toHaveLength(2);
  });

  it('fails over when the first candidate is silent before its first token', async () => {
    mocks.broken.enqueue({ stallAfterChunks: 0 });
    const started = Date.now();
    const stream = await alice.chat.completions.create({ model: 'user-rotation/failover', messages: [{ role: 'user', content: 'quiet' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Mock reply to: quiet');
    expect(Date.now() - started).toBeLessThan(5_000);
    mocks.broken.enqueue({ delayMs: 3_000 });
    const plain = await alice.chat.completions.create({ model: 'user-rotation/failover', messages: [{ role: 'user', content: 'slow' }] });
    expect(plain.choices[0].message.content).toBe('Mock reply to: slow');
  });

  it('ends a stream cut after three chunks with an error event and [DONE], never a complete-looking answer, never a replay', async () => {
    mocks.cutter.enqueue({ chunks: 6, cutAfterChunks: 3, chunkDelayMs: 10 });
    const res = await postChat(api(), ALICE, ask('user-rotation/cut', { stream: true }));
    expect(res.status).toBe(200);
    const events = sseEvents(res.text);
    expect(events.at(-1)).toBe('[DONE]');
    expect(JSON.parse(events.at(-2)!).error.code).toBe('upstream_stream_broken');
    const content = events.slice(0, -2).map((e) => JSON.parse(e));
    expect(content.filter((c) => c.choices?.[0]?.delta?.content)).toHaveLength(3);
    expect(content.some((c) => c.choices?.[0]?.finish_reason)).toBe(false);
    expect(mocks.steady.chatRequests()).toHaveLength(0);

    mocks.cutter.enqueue({ chunks: 6, cutAfterChunks: 3, chunkDelayMs: 10 });
    const stream = await alice.chat.completions.create({ model: 'user-rotation/cut', messages: [{ role: 'user', content: 'x'.repeat(60) }], stream: true });
    const consume = async () => {
      for await (const chunk of stream) void chunk;
    };
    await expect(consume()).rejects.toThrow(/connection closed unexpectedly/);
  });

  it('times out a stream that stalls after its first tokens, with an error event instead of a hang', async () => {
    mocks.staller.enqueue({ chunks: 6, stallAfterChunks: 2 });
    const started = Date.now();
    const res = await postChat(api(), ALICE, ask('user-rotation/stall', { stream: true }));
    const events = sseEvents(res.text);
    expect(events.at(-1)).toBe('[DONE]');
    expect(JSON.parse(events.at(-2)!).error).toMatchObject({ code: 'upstream_timeout', type: 'upstream_error' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(mocks.steady.chatRequests()).toHaveLength(0);
  });

  it('cools a candidate that failed with 500 for its error_cooldown on every replica, then lets it recover', async () => {
    mocks.flaky.enqueue({ status: 500 });
    const failedAt = Date.now();
    const first = await postChat(api(), ALICE, ask('user-rotation/cooldown-500'));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-aisbf-provider')).toBe('steady-b');
    const cooling = await waitFor(async () => {
      const { body } = await explainRoute(api(), ALICE, ask('user-rotation/cooldown-500'));
      return body.candidates[0].status === 'cooling' ? body.candidates[0] : null;
    });
    expect(cooling.cooldown).toMatchObject({ level: 1, status: 500, code: 'upstream_error' });
    const until = Date.parse(cooling.cooldown.until);
    expect(until - failedAt).toBeGreaterThanOrEqual(1_500);
    expect(until - failedAt).toBeLessThanOrEqual(2_600);
    expect(cooling.reason).toContain('cooling down until');

    // Both resolver replicas skip it while it cools.
    for (let i = 0; i < 10 && Date.now() < until - 300; i++) {
      const res = await postChat(api(), ALICE, ask('user-rotation/cooldown-500'));
      expect(res.headers.get('x-aisbf-provider')).toBe('steady-b');
      expect(res.headers.get('x-aisbf-failover')).toBeNull();
    }
    expect(mocks.flaky.chatRequests()).toHaveLength(1);

    // After the cooldown, one request probes it; its success closes the circuit.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now() + 50)));
    const probe = await explainRoute(api(), ALICE, ask('user-rotation/cooldown-500'));
    expect(probe.body.candidates[0]).toMatchObject({ status: 'selected', probe: true });
    const recovered = await postChat(api(), ALICE, ask('user-rotation/cooldown-500'));
    expect(recovered.headers.get('x-aisbf-provider')).toBe('flaky');
    const closed = await waitFor(async () => {
      const { body } = await explainRoute(api(), ALICE, ask('user-rotation/cooldown-500'));
      return body.candidates[0].cooldown === null ? body.candidates[0] : null;
    });
    expect(closed).toMatchObject({ status: 'selected', probe: false });
  });

  it('cools a candidate for the 7 s its 429 Retry-After asks, longer than its error_cooldown', async () => {
    mocks.limited.enqueue({ status: 429, retryAfter: '7' });
    const failedAt = Date.now();
    const res = await postChat(api(), ALICE, ask('user-rotation/retry-after'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-aisbf-failover')).toBe('limited/m (rate_limit_exceeded 429)');
    const limited = await waitFor(async () => {
      const { body } = await explainRoute(api(), ALICE, ask('user-rotation/retry-after'));
      return body.candidates[0].status === 'cooling' ? body.candidates[0] : null;
    });
    const until = Date.parse(limited.cooldown.until);
    expect(until - failedAt).toBeGreaterThanOrEqual(6_500);
    expect(until - failedAt).toBeLessThanOrEqual(7_600);
    expect(limited.error_cooldown_seconds).toBe(1);
    expect(limited.cooldown).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
  });

  it('answers 503 with Retry-After of the soonest recovery when every candidate is cooling', async () => {
    mocks.down1.enqueue({ status: 503 });
    mocks.down2.enqueue({ status: 502 });
    const both = await postChat(api(), ALICE, ask('user-rotation/all-cooling'));
    expect(both.status).toBe(502);
    expect(both.headers.get('x-aisbf-attempts')).toBe('2');
    await waitFor(async () => {
      const { body } = await explainRoute(api(), ALICE, ask('user-rotation/all-cooling'));
      return body.error?.code === 'all_candidates_cooling';
    });
    const explained = await explainRoute(api(), ALICE, ask('user-rotation/all-cooling'));
    expect(explained.body.plan).toEqual([]);
    expect(explained.body.error).toMatchObject({ status: 503, code: 'all_candidates_cooling' });
    const res = await postChat(api(), ALICE, ask('user-rotation/all-cooling'));
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(18);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(20);
    expect(res.headers.get('x-aisbf-route')).toBe('user-rotation/all-cooling');
    expect(JSON.parse(res.text).error).toMatchObject({ code: 'all_candidates_cooling', type: 'service_unavailable' });
    const sdk = await alice.chat.completions.create(ask('user-rotation/all-cooling') as never).catch((e) => e);
    expect(sdk).toMatchObject({ status: 503 });
    expect(mocks.down1.chatRequests()).toHaveLength(1);
    expect(mocks.down2.chatRequests()).toHaveLength(1);
  });

  it("returns a client error the upstream reported without failing over or cooling the candidate", async () => {
    mocks.strict.enqueue({ status: 400 });
    const res = await postChat(api(), ALICE, ask('user-rotation/client-error'));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.message).toContain('HTTP 400');
    expect(res.headers.get('x-aisbf-attempts')).toBe('1');
    expect(mocks.steady.chatRequests()).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { body } = await explainRoute(api(), ALICE, ask('user-rotation/client-error'));
    expect(body.candidates[0]).toMatchObject({ status: 'selected', cooldown: null });
    const next = await postChat(api(), ALICE, ask('user-rotation/client-error'));
    expect(next.headers.get('x-aisbf-provider')).toBe('strict');
  });

  it('routes by what the request needs: tools to tool_use candidates, images to vision ones', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }];
    for (let i = 0; i < 6; i++) {
      const res = await postChat(api(), ALICE, ask('user-rotation/picky', { tools }));
      expect(res.headers.get('x-aisbf-provider')).toBe('toolsmith');
    }
    const image = { role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] };
    const seen = await postChat(api(), ALICE, { model: 'user-rotation/picky', messages: [image] });
    expect(seen.headers.get('x-aisbf-provider')).toBe('seer');
    const { body } = await explainRoute(api(), ALICE, { model: 'user-rotation/picky', messages: [image], tools });
    expect(body.error).toMatchObject({ code: 'no_eligible_candidate', status: 400 });
    expect(body.candidates.map((c: any) => c.status)).toEqual(['filtered_capability', 'filtered_capability', 'filtered_capability']);
    expect(body.candidates[1].reason).toBe('lacks vision (the request has images)');
    const none = await postChat(api(), ALICE, { model: 'user-rotation/picky', messages: [image], tools });
    expect(none.status).toBe(400);
    expect(JSON.parse(none.text).error.code).toBe('no_eligible_candidate');
  });

  it('resolves a rotation nested in another; loops and nesting beyond 8 levels are refused with their JSON paths', async () => {
    const nested = await alice.chat.completions.create({ model: 'user-rotation/outer', messages: [{ role: 'user', content: 'n' }] });
    expect(nested.choices[0].message.content).toBe('Mock reply to: n');
    const { body } = await explainRoute(api(), ALICE, ask('user-rotation/outer'));
    expect(body.candidates.map((c: any) => c.rotation_path.join('>'))).toEqual([
      'outer>coding-production',
      'outer>coding-production',
      'outer>coding-production',
      'outer',
    ]);

    expect((await postChat(api(), ALICE, ask('user-rotation/deep-2'))).status).toBe(200);

    // Loops and deeper nesting never get stored: the configuration is refused with the JSON path of each problem.
    const config = rotationConfig(mocks) as any;
    config.users.alice.rotations['loop-a'] = { providers: [{ model_id: 'user-rotation/loop-b' }] };
    config.users.alice.rotations['loop-b'] = { providers: [{ provider_id: 'steady-nested', model: 'm' }, { model_id: 'user-rotation/loop-a' }] };
    config.users.alice.rotations['deep-1'] = { providers: [{ model_id: 'user-rotation/deep-2' }] };
    let refusal = '';
    try {
      parseConfigFile(config);
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toContain('$.users.alice.rotations.loop-b.providers[1].model_id: loop: user-rotation/loop-a -> user-rotation/loop-b -> user-rotation/loop-a');
    expect(refusal).toContain('$.users.alice.rotations.deep-1.providers[0].model_id: routes nest more than 8 levels deep');
  });

  it('explains direct provider routes too, and refuses unknown routes as chat does', async () => {
    const { body } = await explainRoute(api(), ALICE, ask('user-provider/coderai-local/qwen2.5-coder:32b'));
    expect(body).toMatchObject({ kind: 'provider', plan: [{ position: 1, provider_id: 'coderai-local', model: 'qwen2.5-coder:32b' }] });
    const missing = await explainRoute(api(), ALICE, ask('user-rotation/nope'));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('model_not_found');
    const v1 = await explainRoute(`${stack.baseUrl}/v1`, ALICE, ask(SEED));
    expect(v1.body).toMatchObject({ route: SEED, kind: 'rotation' });
    const unauthenticated = await explainRoute(api(), 'sk-not-a-valid-token-00000000000', ask(SEED));
    expect(unauthenticated.status).toBe(401);
    // Explaining calls no backend.
    expect(mocks.seedLocal.chatRequests().length + mocks.seedGpu.chatRequests().length + mocks.seedHosted.chatRequests().length).toBe(0);
  });
});
