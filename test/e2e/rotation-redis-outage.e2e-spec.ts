import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { explainRoute, postChat, waitFor } from '../support/http/aisbf-http';
import { TcpProxy } from '../support/stack/tcp-proxy';

const TOKEN = 'sk-test-outage-0123456789abcdefghijk';

describe('rotations while Redis is briefly unavailable', () => {
  const primary = new MockOpenAiServer('primary');
  const backup = new MockOpenAiServer('backup');
  const proxy = new TcpProxy('127.0.0.1', 6379);
  let stack: AisbfStack;
  const api = () => `${stack.baseUrl}/api/u/ops`;
  const ask = { model: 'user-rotation/pool', messages: [{ role: 'user', content: 'hi' }] };
  const explain = async () => (await explainRoute(api(), TOKEN, ask)).body;

  beforeAll(async () => {
    await Promise.all([primary.start(), backup.start(), proxy.start()]);
    stack = await AisbfStack.start({
      mode: 'distributed',
      redis: `redis://127.0.0.1:${proxy.port}`,
      replicas: { 'route-resolver': 2 },
      env: { AISBF_REDIS_TIMEOUT_MS: '300' },
      config: {
        users: {
          ops: {
            tokens: [TOKEN],
            providers: {
              primary: { type: 'openai', endpoint: primary.url, models: [{ name: 'm' }] },
              backup: { type: 'openai', endpoint: backup.url, models: [{ name: 'm' }] },
            },
            rotations: {
              pool: {
                strategy: 'priority',
                providers: [
                  { provider_id: 'primary', model: 'm', weight: 2, error_cooldown: 30 },
                  { provider_id: 'backup', model: 'm', weight: 1 },
                ],
              },
            },
          },
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([primary.stop(), backup.stop(), proxy.stop()]);
  });

  it('keeps serving with local cooldowns during the outage, and hands them to Redis when it is back', async () => {
    expect((await explain()).state_store).toBe('redis');

    await proxy.cut();
    for (let i = 0; i < 6; i++) {
      const res = await postChat(api(), TOKEN, ask);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-aisbf-provider')).toBe('primary');
    }
    expect((await explain()).state_store).toBe('memory (redis unavailable)');

    // A failure during the outage still cools the candidate (in the replica that hears the outcome).
    primary.enqueue({ status: 500 });
    const failed = await postChat(api(), TOKEN, ask);
    expect(failed.status).toBe(200);
    expect(failed.headers.get('x-aisbf-provider')).toBe('backup');

    await proxy.restore();
    // Back on Redis, the cooldown opened during the outage is shared by both replicas.
    await waitFor(async () => (await stack.redisKeys()).some((key) => key.includes(':circuit:ops:primary:m')), 10_000);
    for (let i = 0; i < 8; i++) {
      const body = await explain();
      expect(body.state_store).toBe('redis');
      expect(body.candidates[0]).toMatchObject({ provider_id: 'primary', status: 'cooling', cooldown: { status: 500 } });
    }
    const primaryCalls = primary.chatRequests().length;
    for (let i = 0; i < 6; i++) expect((await postChat(api(), TOKEN, ask)).headers.get('x-aisbf-provider')).toBe('backup');
    expect(primary.chatRequests()).toHaveLength(primaryCalls);
    expect(stack.logs()).toContain('redis is back: cooldowns are shared again');
  }, 60_000);
});
