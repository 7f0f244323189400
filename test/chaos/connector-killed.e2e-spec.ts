import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { postChat } from '../support/http/aisbf-http';
import { readTimedEvents } from '../support/http/timed-sse-events';

const TOKEN = 'sk-test-chaos-connector-0123456789abcdef';

describe('a connector process killed while it serves requests', () => {
  const primary = new MockOpenAiServer('primary');
  const backup = new MockOpenAiServer('backup');
  let stack: AisbfStack;
  const api = () => `${stack.baseUrl}/api/u/ops`;
  const connectors = () => stack.processes.filter((p) => p.service === 'connector' && p.child.exitCode === null && p.child.signalCode === null);

  beforeEach(async () => {
    await Promise.all([primary.start(), backup.start()]);
    stack = await AisbfStack.start({
      mode: 'distributed',
      replicas: { connector: 2 },
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
                  { provider_id: 'primary', model: 'm', weight: 1, error_cooldown: 1 },
                  { provider_id: 'backup', model: 'm', weight: 1 },
                ],
              },
            },
          },
        },
      },
    });
  }, 60_000);

  afterEach(async () => {
    await stack?.stop();
    await Promise.all([primary.reset().stop(), backup.reset().stop()]);
  });

  it('ends a stream cut by the kill with an error event and [DONE] within 1 s', async () => {
    // 20 chunks, 150 ms apart: the kill lands in the middle of the answer.
    primary.setDefault({ chunks: 20, chunkDelayMs: 150, content: 'x'.repeat(200) });
    const response = await fetch(`${api()}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'user-rotation/pool', stream: true, messages: [{ role: 'user', content: 'count' }] }),
    });
    expect(response.status).toBe(200);
    let killedAt = 0;
    const events = await readTimedEvents(response, (event) => {
      if (killedAt || !event.data.includes('"content"')) return;
      killedAt = Date.now();
      // Both replicas die: whichever served the stream is gone.
      for (const proc of connectors()) proc.child.kill('SIGKILL');
    });
    expect(killedAt).toBeGreaterThan(0);
    const error = events.find((e) => e.data.includes('"error"'));
    expect(error).toBeDefined();
    expect(JSON.parse(error!.data)).toMatchObject({ error: { type: expect.any(String), code: 'service_unavailable' } });
    expect(events[events.length - 1].data).toBe('[DONE]');
    const detectionMs = error!.at - killedAt;
    console.log(`connector killed mid-stream: error event ${detectionMs} ms after the kill`);
    expect(detectionMs).toBeLessThan(1_000);
  }, 30_000);

  it('fails over transparently when a connector dies before the first token', async () => {
    // The primary takes 1.5 s before answering: every request is in flight when a replica dies.
    primary.setDefault({ delayMs: 1_500 });
    const requests = Array.from({ length: 16 }, (_, i) =>
      postChat(api(), TOKEN, { model: 'user-rotation/pool', messages: [{ role: 'user', content: `question ${i}` }] }),
    );
    const until = Date.now() + 5_000;
    while (primary.chatRequests().length < 16 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(primary.chatRequests()).toHaveLength(16);
    connectors()[0].child.kill('SIGKILL');
    const results = await Promise.all(requests);
    const ok = results.filter((r) => r.status === 200).length;
    const failedOver = results.filter((r) => r.headers.get('x-aisbf-failover') !== null);
    console.log(`connector killed before the first token: ${ok}/16 answered, ${failedOver.length} through failover`);
    expect(ok).toBe(16);
    // The killed replica held some of them: they were answered by the backup through the survivor.
    expect(failedOver.length).toBeGreaterThan(0);
    for (const result of failedOver) {
      expect(result.headers.get('x-aisbf-provider')).toBe('backup');
      expect(result.headers.get('x-aisbf-failover')).toBe('primary/m (service_unavailable 503)');
    }
    for (const result of results) expect(JSON.parse(result.text).choices[0].message.content).toContain('Mock reply to: question');
  }, 30_000);
});
