import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { explainRoute, postChat, waitFor } from '../support/http/aisbf-http';
import Redis from 'ioredis';
import { OwnedServer } from '../support/stack/owned-server';
import { ownRedisServer } from '../support/stack/owned-dependency-servers';

const TOKEN = 'sk-test-outage-0123456789abcdefghijk';

describe('rotations while their Redis server is stopped', () => {
  const primary = new MockOpenAiServer('primary');
  const backup = new MockOpenAiServer('backup');
  let redis: OwnedServer;
  let stack: AisbfStack;
  const api = () => `${stack.baseUrl}/api/u/ops`;
  const ask = { model: 'user-rotation/pool', messages: [{ role: 'user', content: 'hi' }] };
  const explain = async () => (await explainRoute(api(), TOKEN, ask)).body;
  /** The keys this stack keeps on the test's own Redis. */
  async function stackKeys(): Promise<string[]> {
    const client = new Redis(`redis://127.0.0.1:${redis.port}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      return await client.keys(`${stack.redisPrefix}*`);
    } finally {
      client.disconnect();
    }
  }

  beforeAll(async () => {
    redis = ownRedisServer();
    await Promise.all([primary.start(), backup.start(), redis.start()]);
    stack = await AisbfStack.start({
      mode: 'distributed',
      redis: `redis://127.0.0.1:${redis.port}`,
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
    await redis?.dispose();
    await Promise.all([primary.stop(), backup.stop()]);
  });

  it('keeps serving with local cooldowns during the outage, and hands them to Redis when it is back', async () => {
    expect((await explain()).state_store).toBe('redis');

    await redis.stop();
    const served: number[] = [];
    for (let i = 0; i < 6; i++) {
      const started = Date.now();
      const res = await postChat(api(), TOKEN, ask);
      served.push(Date.now() - started);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-aisbf-provider')).toBe('primary');
    }
    expect((await explain()).state_store).toBe('memory (redis unavailable)');

    // Failures during the outage still cool the candidate, in the replica that hears the outcome
    // (the queue group picks one): once each replica has heard one, the primary is skipped. Both
    // the plan and the outcome go to a replica picked at random, so the failing calls before both
    // have heard one are 1 + a geometric count: more than 16 happens about once in 100 000 runs.
    primary.setDefault({ status: 500 });
    const callsBefore = primary.chatRequests().length;
    for (let i = 0; i < 30; i++) {
      const res = await postChat(api(), TOKEN, ask);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-aisbf-provider')).toBe('backup');
    }
    const failingCalls = primary.chatRequests().length - callsBefore;
    // Without cooldowns every one of the 30 would have tried the primary first.
    expect(failingCalls).toBeLessThanOrEqual(16);
    primary.setDefault({});

    // A fresh Redis (no persistence): the cooldown opened during the outage is handed to it and
    // shared by both replicas again.
    await redis.start();
    const upAt = Date.now();
    await waitFor(async () => (await stackKeys()).some((key) => key.includes(':circuit:ops:primary:m')), 10_000);
    const handedMs = Date.now() - upAt;
    await waitFor(async () => (await explain()).state_store === 'redis', 10_000);
    const sharedMs = Date.now() - upAt;
    for (let i = 0; i < 8; i++) {
      const body = await explain();
      expect(body.state_store).toBe('redis');
      expect(body.candidates[0]).toMatchObject({ provider_id: 'primary', status: 'cooling', cooldown: { status: 500 } });
    }
    const primaryCalls = primary.chatRequests().length;
    for (let i = 0; i < 6; i++) expect((await postChat(api(), TOKEN, ask)).headers.get('x-aisbf-provider')).toBe('backup');
    expect(primary.chatRequests()).toHaveLength(primaryCalls);
    // Log lines are written in blocks, at the latest 200 ms after they were logged.
    await waitFor(async () => stack.logs().includes('redis is back: cooldowns are shared again'), 2_000);
    console.log(
      `redis stopped: 6/6 served from local state (${Math.max(...served)} ms at most); failing primary: 30/30 served by the backup, ` +
        `primary tried ${failingCalls} times, then cooled and skipped; ` +
        `back: cooldown in Redis ${handedMs} ms and explain on Redis ${sharedMs} ms after it was up`,
    );
  }, 60_000);
});
