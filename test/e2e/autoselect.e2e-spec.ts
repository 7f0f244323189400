import OpenAI from 'openai';
import { AisbfStack, StackMode } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';

const ALICE = 'sk-test-alice-autoselect-0123456789';
const AWS_KEY = 'AKIAZ7Q2LMNOPQRS3TUV';

/** The product description's documents, verbatim. */
const SEED_ROTATIONS = JSON.parse(
  '{"rotations":{"coding-production":{"model_name":"coding-production","providers":[{"provider_id":"coderai-local","model":"qwen2.5-coder:32b","weight":6,"error_cooldown":60},{"provider_id":"runpod-gpu-a","model":"deepseek-coder-v2","weight":3,"error_cooldown":120},{"provider_id":"openai-prod","model":"gpt-4.1-mini","weight":1,"error_cooldown":300}],"privacy":true,"capabilities":["chat","coding","tool_use"]}}}',
);
const SEED_AUTOSELECT =
  '{"engineering":{"model_name":"engineering","selection_model":"general","fallback":"user-rotation/coding-production","classify_privacy":true,"classify_semantic":true,"available_models":[{"model_id":"user-rotation/coding-production","description":"Private code, logs, secrets, customer data.","privacy":true},{"model_id":"user-provider/runpod-gpu-a/deepseek-coder-v2","description":"Long refactors and GPU-heavy coding when data is not secret."},{"model_id":"user-provider/openai-prod/gpt-4.1-mini","description":"Fast hosted fallback for non-private tasks."}]}}';

const PRIVATE_ROUTE = 'user-rotation/coding-production';
const engineering = JSON.parse(SEED_AUTOSELECT).engineering;
/** The members of the seed's rotation: a non-private request that falls back to it may reach any of them. */
const ROTATION_PROVIDERS = ['coderai-local', 'runpod-gpu-a', 'openai-prod'];
const GPU = 'user-provider/runpod-gpu-a/deepseek-coder-v2';
const HOSTED = 'user-provider/openai-prod/gpt-4.1-mini';

const FAILING_TEST = [
  'Fix this failing private test.',
  '',
  'FAIL src/billing/invoice.spec.ts',
  '  ● uploads the invoice PDF',
  '    CredentialsProviderError: The security token included in the request is invalid.',
  `      at S3Client.send (node_modules/@aws-sdk/client-s3/dist-cjs/index.js:1201:11) accessKeyId=${AWS_KEY}`,
  '      at uploadInvoice (src/billing/invoice.ts:42:18)',
].join('\n');

const LONG_REFACTOR = [
  'Refactor this module: split the repository class into smaller services, move validation into its own layer,',
  'and rewrite the callbacks as async/await across the whole file. Keep the public API unchanged.',
  '```ts',
  ...Array.from({ length: 120 }, (_, i) =>
    [`export function handler${i}(req: Request, cb: (err: Error | null, out?: Result) => void): void {`, `  repo.load(req.id, (err, row) => { if (err) return cb(err); cb(null, transform${i}(row)); });`, '}'].join('\n'),
  ),
  '```',
].join('\n');

const QUICK_QUESTION = 'Quick question: what does HTTP status 418 mean?';

function selectorAnswer(modelId: string): { content: string } {
  return { content: JSON.stringify({ model_id: modelId, confidence: 0.9 }) };
}

describe.each<StackMode>(['distributed', 'embedded'])('autoselect policies (%s mode)', (mode) => {
  const coderai = new MockOpenAiServer('coderai-local');
  const runpod = new MockOpenAiServer('runpod-gpu-a');
  const openai = new MockOpenAiServer('openai-prod');
  const selector = new MockOpenAiServer('general');
  const mocks = [coderai, runpod, openai, selector];
  let stack: AisbfStack;
  let alice: OpenAI;

  const chat = (model: string, messages: OpenAI.ChatCompletionMessageParam[]) =>
    alice.chat.completions.create({ model, messages }).withResponse();

  beforeAll(async () => {
    await Promise.all(mocks.map((m) => m.start()));
    stack = await AisbfStack.start({
      mode,
      replicas: { 'route-resolver': 2 },
      env: { AISBF_AUTOSELECT_SELECTOR_TIMEOUT_MS: '800' },
      config: {
        users: {
          alice: {
            tokens: [ALICE],
            providers: {
              'coderai-local': { type: 'openai', endpoint: coderai.url, models: [{ name: 'qwen2.5-coder:32b' }], private: true },
              'runpod-gpu-a': { type: 'openai', endpoint: runpod.url, models: [{ name: 'deepseek-coder-v2' }] },
              'openai-prod': { type: 'openai', endpoint: openai.url, models: [{ name: 'gpt-4.1-mini' }] },
              general: { type: 'openai', endpoint: selector.url, models: [{ name: 'router-small' }] },
            },
            rotations: SEED_ROTATIONS.rotations,
            autoselect: {
              engineering,
              'engineering-local': { ...engineering, model_name: 'engineering-local', selection_model: 'local' },
              'hosted-only': {
                selection_model: 'local',
                fallback: HOSTED,
                available_models: engineering.available_models.filter((m: { privacy?: boolean }) => !m.privacy),
              },
              'tagged-projects': { ...engineering, model_name: 'tagged-projects', selection_model: 'local', custom_keywords: ['Project Falcon'], custom_patterns: ['(?i)ticket-[0-9]{5}'] },
            },
          },
        },
      },
    });
    alice = new OpenAI({ apiKey: ALICE, baseURL: `${stack.baseUrl}/api/u/alice`, maxRetries: 0, timeout: 20_000 });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all(mocks.map((m) => m.stop()));
  });

  beforeEach(() => mocks.forEach((m) => m.reset()));

  it('sends "Fix this failing private test" with an AWS key in the stack trace to the private route only, and says why', async () => {
    const { data, response } = await chat('user-autoselect/engineering', [{ role: 'user', content: FAILING_TEST }]);
    expect(data.choices[0].message.content).toContain('Mock reply to: Fix this failing private test.');
    expect(response.headers.get('x-aisbf-route')).toBe('user-autoselect/engineering');
    expect(response.headers.get('x-aisbf-provider')).toBe('coderai-local');
    expect(response.headers.get('x-aisbf-classification')).toMatch(/^private; signals=.*aws_access_key/);
    expect(response.headers.get('x-aisbf-selected')).toMatch(new RegExp(`^${PRIVATE_ROUTE}; method=`));
    // A private request keeps only the rotation's private provider, and the hosted selection model never saw the private conversation, nor did any non-private backend.
    expect(selector.chatRequests()).toHaveLength(0);
    expect(runpod.chatRequests()).toHaveLength(0);
    expect(openai.chatRequests()).toHaveLength(0);
    expect(response.headers.get('x-aisbf-classification')).not.toContain(AWS_KEY);
    // The rotation spreads 6/3/1 over three providers; a private request only ever gets the private one.
    for (let i = 0; i < 6; i++) {
      const again = await chat('user-autoselect/engineering', [{ role: 'user', content: `${FAILING_TEST}\n(run ${i})` }]);
      expect(again.response.headers.get('x-aisbf-provider')).toBe('coderai-local');
    }
    expect(runpod.chatRequests()).toHaveLength(0);
    expect(openai.chatRequests()).toHaveLength(0);
  });

  it('explains a policy decision without calling any backend', async () => {
    const response = await fetch(`${stack.baseUrl}/api/u/alice/route/explain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'user-autoselect/engineering', messages: [{ role: 'user', content: `${FAILING_TEST}\n(explain)` }] }),
    });
    const explanation = (await response.json()) as { plan: Array<{ provider_id: string }>; explanation: string[] };
    expect(response.status).toBe(200);
    expect(explanation).toMatchObject({ route: 'user-autoselect/engineering', kind: 'autoselect', require_private: true });
    expect(explanation.plan.map((p: { provider_id: string }) => p.provider_id)).toEqual(['coderai-local']);
    expect(explanation.explanation.join('\n')).toContain('aws_access_key in message 0');
    expect(JSON.stringify(explanation)).not.toContain(AWS_KEY);
    for (const mock of mocks) expect(mock.chatRequests()).toHaveLength(0);
  });

  it('treats a secret in a tool result as private too', async () => {
    const { response } = await chat('user-autoselect/engineering', [
      { role: 'user', content: 'Why does the app fail to connect?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":".env"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'DATABASE_URL=postgres://app:Tr0ub4dor3x@db.internal:5432/prod' },
    ]);
    expect(response.headers.get('x-aisbf-provider')).toBe('coderai-local');
    expect(response.headers.get('x-aisbf-classification')).toContain('database_connection_string');
  });

  it('asks the selection model for a non-secret long refactor and follows it to the GPU provider', async () => {
    selector.enqueue(selectorAnswer(GPU));
    const { response } = await chat('user-autoselect/engineering', [{ role: 'user', content: LONG_REFACTOR }]);
    expect(response.headers.get('x-aisbf-provider')).toBe('runpod-gpu-a');
    expect(response.headers.get('x-aisbf-classification')).toBe('non-private');
    expect(response.headers.get('x-aisbf-selected')).toMatch(/^user-provider\/runpod-gpu-a\/deepseek-coder-v2; method=llm; confidence=0\.90/);
    // The selector got a short prompt listing the candidates, not the whole conversation.
    const prompt = JSON.stringify(selector.chatRequests()[0].body?.messages);
    expect(prompt).toContain(GPU);
    expect(prompt).toContain('Long refactors and GPU-heavy coding');
    expect(prompt.length).toBeLessThan(LONG_REFACTOR.length);
    expect(runpod.chatRequests()[0].body?.model).toBe('deepseek-coder-v2');
  });

  it('sends a quick question to the hosted model the selector names', async () => {
    selector.enqueue(selectorAnswer(HOSTED));
    const { response } = await chat('user-autoselect/engineering', [{ role: 'user', content: QUICK_QUESTION }]);
    expect(response.headers.get('x-aisbf-provider')).toBe('openai-prod');
    expect(openai.chatRequests()).toHaveLength(1);
  });

  it.each([
    ['answers garbage', { content: 'I would go with the GPU one, probably.' }],
    ['names a model that is not a candidate', selectorAnswer('user-provider/openai-prod/gpt-5')],
    ['fails', { status: 500 }],
    ['times out', { delayMs: 3_000 }],
  ])('falls back to the policy fallback when the selection model %s', async (_label, behaviour) => {
    selector.enqueue(behaviour);
    const { response } = await chat('user-autoselect/engineering', [{ role: 'user', content: `Explain this diff briefly (${_label}).` }]);
    expect(response.headers.get('x-aisbf-selected')).toMatch(new RegExp(`^${PRIVATE_ROUTE}; method=fallback`));
    expect(ROTATION_PROVIDERS).toContain(response.headers.get('x-aisbf-provider'));
  });

  it('chooses locally, without any network call, with selection_model "local"', async () => {
    const refactor = await chat('user-autoselect/engineering-local', [{ role: 'user', content: LONG_REFACTOR }]);
    expect(refactor.response.headers.get('x-aisbf-provider')).toBe('runpod-gpu-a');
    expect(refactor.response.headers.get('x-aisbf-selected')).toMatch(/; method=local;/);
    const quick = await chat('user-autoselect/engineering-local', [{ role: 'user', content: QUICK_QUESTION }]);
    expect(quick.response.headers.get('x-aisbf-provider')).toBe('openai-prod');
    expect(selector.chatRequests()).toHaveLength(0);
  });

  it('refuses a private request when the policy has no private route, and sends it nowhere', async () => {
    const error = await chat('user-autoselect/hosted-only', [{ role: 'user', content: FAILING_TEST }]).catch((e) => e);
    expect(error).toMatchObject({ status: 403, code: 'no_private_route' });
    expect(error.message).toContain('private');
    expect(error.message).not.toContain(AWS_KEY);
    for (const mock of mocks) expect(mock.chatRequests()).toHaveLength(0);
  });

  it("holds back what the policy's own keywords and patterns name", async () => {
    const keyword = await chat('user-autoselect/tagged-projects', [{ role: 'user', content: 'Summarize the status of project falcon for me' }]);
    expect(keyword.response.headers.get('x-aisbf-classification')).toBe('private; signals=custom_keyword');
    const pattern = await chat('user-autoselect/tagged-projects', [{ role: 'user', content: 'What is blocking TICKET-48213?' }]);
    expect(pattern.response.headers.get('x-aisbf-classification')).toBe('private; signals=custom_pattern');
    expect(pattern.response.headers.get('x-aisbf-provider')).toBe('coderai-local');
  });

  it('reuses a conversation decision, keeps it for later turns, and re-decides when a secret appears', async () => {
    const opening: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: `${LONG_REFACTOR}\n(conversation ${mode})` }];
    selector.enqueue(selectorAnswer(GPU));
    const first = await chat('user-autoselect/engineering', opening);
    expect(first.response.headers.get('x-aisbf-selected')).toMatch(/cache=miss$/);
    const again = await chat('user-autoselect/engineering', opening);
    expect(again.response.headers.get('x-aisbf-selected')).toMatch(/^user-provider\/runpod-gpu-a\/deepseek-coder-v2; .*cache=hit$/);

    const followUp: OpenAI.ChatCompletionMessageParam[] = [...opening, { role: 'assistant', content: 'Done.' }, { role: 'user', content: 'Now add tests.' }];
    const next = await chat('user-autoselect/engineering', followUp);
    expect(next.response.headers.get('x-aisbf-selected')).toMatch(/^user-provider\/runpod-gpu-a\/deepseek-coder-v2; method=sticky;.*cache=prefix$/);
    expect(selector.chatRequests()).toHaveLength(1);

    const leaked = await chat('user-autoselect/engineering', [...followUp, { role: 'assistant', content: 'Done.' }, { role: 'user', content: `The CI uses aws key ${AWS_KEY}` }]);
    expect(leaked.response.headers.get('x-aisbf-provider')).toBe('coderai-local');
    expect(leaked.response.headers.get('x-aisbf-classification')).toMatch(/^private; signals=aws_access_key/);
  });

  it('asks the selection model once for identical requests arriving together', async () => {
    selector.setDefault({ ...selectorAnswer(GPU), delayMs: 300 });
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: `${LONG_REFACTOR}\n(concurrent ${mode})` }];
    const results = await Promise.all(Array.from({ length: 4 }, () => chat('user-autoselect/engineering', messages)));
    expect(selector.chatRequests()).toHaveLength(1);
    for (const { response } of results) expect(response.headers.get('x-aisbf-provider')).toBe('runpod-gpu-a');
    const caches = results.map(({ response }) => response.headers.get('x-aisbf-selected')!.split('cache=')[1]).sort();
    expect(caches.filter((c) => c === 'miss')).toHaveLength(1);
  });

  it('streams through a policy route with its explanation headers', async () => {
    selector.enqueue(selectorAnswer(HOSTED));
    const response = await fetch(`${stack.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'user-autoselect/engineering', stream: true, messages: [{ role: 'user', content: 'Name three sorting algorithms?' }] }),
    });
    const text = await response.text();
    expect(response.headers.get('x-aisbf-provider')).toBe('openai-prod');
    expect(response.headers.get('x-aisbf-classification')).toBe('non-private');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  if (mode === 'distributed') {
    it('shares decisions through Redis under the configured prefix, with no prompt text or secret in them', async () => {
      await chat('user-autoselect/engineering', [{ role: 'user', content: `${FAILING_TEST}\n(redis check)` }]);
      const keys = (await stack.redisKeys()).filter((key) => key.includes('autoselect:decision:'));
      expect(keys.length).toBeGreaterThan(0);
      const { Redis } = await import('ioredis');
      const redis = new Redis(stack.redisUrl!);
      try {
        const values = (await redis.mget(...keys)).join('\n');
        expect(values).toContain('"private":true');
        expect(values).not.toContain(AWS_KEY);
        expect(values).not.toContain('Fix this failing');
      } finally {
        redis.disconnect();
      }
    });
  }
});
