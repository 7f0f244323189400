import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { OwnedServer } from '../support/stack/owned-server';
import { ownNatsServer } from '../support/stack/owned-dependency-servers';
import { readTimedEvents } from '../support/http/timed-sse-events';
import { waitFor } from '../support/http/aisbf-http';

const TOKEN = 'sk-test-chaos-nats-0123456789abcdefgh';
/** Longer than any answer AISBF may give (resolve timeout, first-byte and idle limits): past it a request hangs. */
const SETTLE_BOUND_MS = 15_000;
const RECOVERY_BOUND_MS = 5_000;

interface Outcome {
  stream: boolean;
  startedAt: number;
  endedAt: number;
  /** 'ok', or the error code AISBF answered with (HTTP error body or SSE error event). */
  result: string;
  status: number;
}

/** One chat call, reduced to how it ended; anything but a complete answer or a clear OpenAI-style error fails the test. */
async function chatOnce(url: string, stream: boolean, n: number): Promise<Outcome> {
  const startedAt = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'user-rotation/pool', stream, messages: [{ role: 'user', content: `load ${n}` }] }),
    signal: AbortSignal.timeout(SETTLE_BOUND_MS),
  });
  const done = (result: string) => ({ stream, startedAt, endedAt: Date.now(), result, status: response.status });
  if (response.status !== 200) {
    const body = JSON.parse(await response.text());
    expect(body).toMatchObject({ error: { message: expect.any(String), type: expect.any(String), code: expect.any(String) } });
    expect(response.status).toBeGreaterThanOrEqual(500);
    return done(body.error.code);
  }
  if (!stream) {
    expect(JSON.parse(await response.text()).choices[0].message.content).toBe(`Mock reply to: load ${n}`);
    return done('ok');
  }
  const events = await readTimedEvents(response);
  expect(events[events.length - 1]?.data).toBe('[DONE]');
  const error = events.find((e) => e.data.startsWith('{"error"'));
  if (error) {
    expect(JSON.parse(error.data)).toMatchObject({ error: { message: expect.any(String), type: expect.any(String), code: expect.any(String) } });
    return done(`sse:${JSON.parse(error.data).error.code}`);
  }
  const text = events
    .slice(0, -1)
    .map((e) => JSON.parse(e.data).choices[0]?.delta?.content ?? '')
    .join('');
  expect(text).toBe(`Mock reply to: load ${n}`);
  return done('ok');
}

describe('the NATS server restarted while AISBF is under load', () => {
  const upstream = new MockOpenAiServer('upstream');
  // Serves the one long answer that is certainly in the middle of its stream when the server goes.
  const slow = new MockOpenAiServer('slow');
  let nats: OwnedServer;
  let stack: AisbfStack;

  beforeAll(async () => {
    nats = ownNatsServer();
    await Promise.all([upstream.start(), slow.start(), nats.start()]);
    stack = await AisbfStack.start({
      mode: 'distributed',
      natsUrl: `nats://127.0.0.1:${nats.port}`,
      config: {
        users: {
          ops: {
            tokens: [TOKEN],
            providers: {
              upstream: { type: 'openai', endpoint: upstream.url, models: [{ name: 'm' }] },
              slow: { type: 'openai', endpoint: slow.url, models: [{ name: 'm' }] },
            },
            rotations: { pool: { strategy: 'priority', providers: [{ provider_id: 'upstream', model: 'm', weight: 1, error_cooldown: 1 }] } },
          },
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await nats?.dispose();
    await Promise.all([upstream.stop(), slow.stop()]);
  });

  it('reconnects every service within 5 s; requests caught by the outage end with a clear error, none hangs', async () => {
    // Streams of about 600 ms: some are always in flight when the server goes.
    upstream.setDefault({ chunks: 6, chunkDelayMs: 100 });
    const url = `${stack.baseUrl}/api/u/ops/chat/completions`;
    const outcomes: Outcome[] = [];
    let running = true;
    let n = 0;
    const worker = async (stream: boolean) => {
      while (running) {
        outcomes.push(await chatOnce(url, stream, n++));
        // A failed call would otherwise spin while the bus is away.
        if (outcomes[outcomes.length - 1].result !== 'ok') await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const workers = [worker(true), worker(true), worker(false), worker(false)];

    await new Promise((resolve) => setTimeout(resolve, 2_000));
    slow.setDefault({ chunks: 20, chunkDelayMs: 150 });
    const long = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'user-provider/slow/m', stream: true, messages: [{ role: 'user', content: 'a long answer' }] }),
      signal: AbortSignal.timeout(SETTLE_BOUND_MS),
    });
    expect(long.status).toBe(200);
    let downAt = 0;
    let stopped: Promise<void> = Promise.resolve();
    const longEvents = readTimedEvents(long, (event) => {
      if (downAt || !/"content":"[^"]/.test(event.data)) return;
      downAt = Date.now();
      stopped = nats.stop();
    });
    await waitFor(async () => downAt > 0, 5_000);
    await stopped;
    // The stream cut by the outage ends visibly: an error event, then [DONE].
    const cut = await longEvents;
    const cutError = cut.find((e) => e.data.startsWith('{"error"'));
    expect(cutError).toBeDefined();
    expect(JSON.parse(cutError!.data)).toMatchObject({ error: { code: 'service_unavailable', type: expect.any(String), message: expect.any(String) } });
    expect(cut[cut.length - 1].data).toBe('[DONE]');
    const cutMs = cutError!.at - downAt;
    // The edge says it cannot reach the bus while the server is gone.
    const notReady = await waitFor(async () => {
      const res = await fetch(`${stack.baseUrl}/readyz`);
      return res.status === 503 ? ((await res.json()) as { checks: Record<string, string> }) : null;
    }, 5_000);
    expect(notReady.checks.bus).toBe('failing');
    await new Promise((resolve) => setTimeout(resolve, 2_000 - (Date.now() - downAt)));
    await nats.start();
    const upAt = Date.now();
    await waitFor(async () => (await fetch(`${stack.baseUrl}/readyz`)).status === 200, RECOVERY_BOUND_MS);
    const readyMs = Date.now() - upAt;
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    running = false;
    await Promise.all(workers);

    const before = outcomes.filter((o) => o.endedAt < downAt);
    const after = outcomes.filter((o) => o.endedAt >= upAt);
    const firstOk = after.find((o) => o.result === 'ok' && o.startedAt >= downAt);
    const failures = outcomes.filter((o) => o.result !== 'ok');
    const lastFailureEnd = Math.max(upAt, ...failures.map((o) => o.endedAt));
    const codes = [...new Set(failures.map((o) => `${o.status} ${o.result}`))].join(', ');
    const longest = Math.max(...outcomes.map((o) => o.endedAt - o.startedAt));
    console.log(
      `nats restarted under load: ${outcomes.length} requests, ${before.length} before the stop, ${failures.length} failed (${codes || 'none'}), ` +
        `readyz 200 ${readyMs} ms after NATS was back, first 200 after ${firstOk ? firstOk.endedAt - upAt : 'never'} ms, ` +
        `steady success from ${lastFailureEnd - upAt} ms, longest request ${longest} ms; a stream cut by the stop got its error event after ${cutMs} ms`,
    );
    expect(before.every((o) => o.result === 'ok')).toBe(true);
    expect(firstOk).toBeDefined();
    expect(firstOk!.endedAt - upAt).toBeLessThan(RECOVERY_BOUND_MS);
    expect(lastFailureEnd - upAt).toBeLessThan(RECOVERY_BOUND_MS);
    // Steady: every request of the last seconds succeeded, both kinds.
    const tail = outcomes.filter((o) => o.startedAt > lastFailureEnd);
    expect(tail.filter((o) => o.stream).length).toBeGreaterThan(3);
    expect(tail.filter((o) => !o.stream).length).toBeGreaterThan(3);
    expect(tail.every((o) => o.result === 'ok')).toBe(true);
    // Every service is back on the bus, not only the edge.
    for (const proc of stack.processes) expect((await fetch(`${proc.opsUrl}/readyz`)).status).toBe(200);
  }, 60_000);
});
