import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { postChat } from '../support/http/aisbf-http';

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
