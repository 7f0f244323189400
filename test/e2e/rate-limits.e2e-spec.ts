import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { postChat, waitFor } from '../support/http/aisbf-http';

const TOKEN_A = 'sk-test-limits-a-0123456789abcdefghij';
const TOKEN_B = 'sk-test-limits-b-0123456789abcdefghij';

describe('request rate limits shared by two edge replicas', () => {
  const upstream = new MockOpenAiServer('limited');
  let stack: AisbfStack;
  const ask = { model: 'user-provider/up/m', messages: [{ role: 'user', content: 'hi' }] };

  beforeAll(async () => {
    await upstream.start();
    stack = await AisbfStack.start({
      mode: 'distributed',
      replicas: { 'edge-api': 2 },
      env: { AISBF_RATE_LIMIT_USER_RPM: '4', AISBF_AUTH_FAILURES_PER_MINUTE: '5' },
      config: {
        users: {
          ops: {
            tokens: [TOKEN_A, TOKEN_B],
            providers: { up: { type: 'openai', endpoint: upstream.url, models: [{ name: 'm' }] } },
          },
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await upstream.stop();
  });

  it('counts requests on both replicas and both tokens against one user budget, then answers 429', async () => {
    const [first, second] = stack.edgeUrls.map((url) => `${url}/api/u/ops`);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await postChat(i % 2 ? second : first, i < 2 ? TOKEN_A : TOKEN_B, ask);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);

    const refused = await postChat(second, TOKEN_A, ask);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'rate_limit_exceeded', type: 'rate_limit_error' } });
    expect(upstream.chatRequests()).toHaveLength(4);
    expect((await postChat(first, TOKEN_B, ask)).status).toBe(429);
  });

  it('answers 429 to an address that keeps guessing tokens, on every replica, even for a right guess', async () => {
    const [first, second] = stack.edgeUrls.map((url) => `${url}/v1`);
    for (let i = 0; i < 5; i++) {
      const res = await postChat(i % 2 ? second : first, `sk-guess-${i}-0123456789abcdefghijklmn`, ask);
      expect(res.status).toBe(401);
    }
    const blocked = await postChat(second, 'sk-guess-x-0123456789abcdefghijklmn', ask);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(blocked.text)).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    expect(JSON.parse(blocked.text).error.message).not.toContain('sk-guess');
    expect((await postChat(first, TOKEN_A, ask)).status).toBe(429);
  });
});

const METERED = 'sk-test-metered-0123456789abcdefghij';
const STREAMER = 'sk-test-streamer-0123456789abcdefgh';
const PER_TOKEN_A = 'sk-test-pertoken-a-0123456789abcdef';
const PER_TOKEN_B = 'sk-test-pertoken-b-0123456789abcdef';

describe("limits from the user's configuration, shared by two edge replicas", () => {
  const upstream = new MockOpenAiServer('metered');
  let stack: AisbfStack;
  const provider = () => ({ up: { type: 'openai', endpoint: upstream.url, models: [{ name: 'm' }] } });
  const ask = { model: 'user-provider/up/m', messages: [{ role: 'user', content: 'hi' }] };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    await upstream.start();
    stack = await AisbfStack.start({
      mode: 'distributed',
      replicas: { 'edge-api': 2 },
      config: {
        users: {
          metered: { tokens: [METERED], limits: { tokens_per_minute: 150 }, providers: provider() },
          streamer: { tokens: [STREAMER], limits: { max_concurrent_streams: 2 }, providers: provider() },
          pertoken: { tokens: [PER_TOKEN_A, PER_TOKEN_B], limits: { per_token: { requests_per_minute: 2 } }, providers: provider() },
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await upstream.stop();
  });

  beforeEach(() => upstream.reset());

  it('counts the tokens of answers against the per-minute budget, then refuses with Retry-After', async () => {
    const [first, second] = stack.edgeUrls.map((url) => `${url}/api/u/metered`);
    // 400 characters: 100 completion tokens per answer, plus the prompt's.
    upstream.setDefault({ content: 'x'.repeat(400) });
    const answered = [await postChat(first, METERED, ask)];
    await pause(300);
    answered.push(await postChat(second, METERED, { ...ask, stream: true, stream_options: { include_usage: true } }));
    expect(answered.map((r) => r.status)).toEqual([200, 200]);
    await pause(300);
    const refused = await postChat(first, METERED, ask);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toMatchObject({
      error: { code: 'rate_limit_exceeded', type: 'rate_limit_error', message: 'token budget reached for this user: 150 tokens per minute' },
    });
    // About 200 tokens used at 150 per minute: some 20 s before the debt is paid off.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(10);
    expect(upstream.chatRequests()).toHaveLength(2);
  });

  it('limits open streams per user across replicas, and frees a slot when a stream ends', async () => {
    const [first, second] = stack.edgeUrls.map((url) => `${url}/api/u/streamer/chat/completions`);
    upstream.setDefault({ chunks: 4, chunkDelayMs: 700 });
    const open = (url: string) =>
      fetch(url, { method: 'POST', headers: { authorization: `Bearer ${STREAMER}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...ask, stream: true }) });
    // Headers arrive with the first token: both slots are held by then.
    const streams = [await open(first), await open(second)];
    expect(streams.map((r) => r.status)).toEqual([200, 200]);

    const third = await open(first);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await third.json()) as { error: unknown }).error).toMatchObject({ code: 'rate_limit_exceeded', message: 'too many streams open for this user: at most 2 at a time' });
    // Plain completions are not streams.
    upstream.setDefault({});
    expect((await postChat(`${stack.edgeUrls[1]}/api/u/streamer`, STREAMER, ask)).status).toBe(200);

    const bodies = await Promise.all(streams.map((r) => r.text()));
    expect(bodies.every((b) => b.trimEnd().endsWith('data: [DONE]'))).toBe(true);
    const after = await open(second);
    expect(after.status).toBe(200);
    await after.text();
  });

  it('gives every API token of a user its own request budget', async () => {
    const [first, second] = stack.edgeUrls.map((url) => `${url}/v1`);
    const statuses = [];
    for (const token of [PER_TOKEN_A, PER_TOKEN_A, PER_TOKEN_B, PER_TOKEN_B]) statuses.push((await postChat(statuses.length % 2 ? second : first, token, ask)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const refused = await postChat(second, PER_TOKEN_A, ask);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text).error.message).toBe('rate limit reached for this API token: 2 requests per minute');
  });
});

describe('limits set through the admin API (MySQL)', () => {
  const upstream = new MockOpenAiServer('admin-limited');
  let stack: AisbfStack;
  const ask = { model: 'user-provider/up/m', messages: [{ role: 'user', content: 'hi' }] };

  async function api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${stack.edgeUrls[0]}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }

  beforeAll(async () => {
    await upstream.start();
    stack = await AisbfStack.start({ mode: 'distributed', replicas: { 'edge-api': 2 }, database: true });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await upstream.stop();
  });

  it('stores a user limit, enforces it on every replica at once, and lifts it again', async () => {
    const invalid = await api('POST', '/api/admin/users', stack.adminToken, { username: 'dana', limits: { requests_per_minute: 0 } });
    expect(invalid.status).toBe(422);
    expect(JSON.stringify(invalid.json.error)).toContain('a limit is at least 1');
    expect((await api('POST', '/api/admin/users', stack.adminToken, { username: 'dana', limits: { requests_per_minute: 2 } })).status).toBe(201);
    const token: string = (await api('POST', '/api/admin/users/dana/tokens', stack.adminToken, {})).json.token;
    expect((await api('PUT', '/api/u/dana/providers/up', token, { type: 'openai', endpoint: upstream.url, models: [{ name: 'm' }] })).status).toBe(201);
    expect((await api('GET', '/api/admin/users/dana', stack.adminToken)).json).toMatchObject({ limits: { requests_per_minute: 2 } });

    const [first, second] = stack.edgeUrls.map((url) => `${url}/v1`);
    expect((await postChat(first, token, ask)).status).toBe(200);
    expect((await postChat(second, token, ask)).status).toBe(200);
    expect((await postChat(first, token, ask)).status).toBe(429);

    const unknownField = await api('PATCH', '/api/admin/users/dana', stack.adminToken, { limits: { requests_per_hour: 5 } });
    expect(unknownField.status).toBe(422);
    expect((await api('PATCH', '/api/admin/users/dana', stack.adminToken, { limits: {} })).status).toBe(200);
    // Both replicas drop the cached grant with the change.
    await waitFor(async () => (await postChat(second, token, ask)).status === 200, 5_000, 100);
    expect((await postChat(first, token, ask)).status).toBe(200);
  });
});
