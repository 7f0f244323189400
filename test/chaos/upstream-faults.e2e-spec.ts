import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { readTimedEvents, TimedEvent } from '../support/http/timed-sse-events';
import { waitFor } from '../support/http/aisbf-http';

const TOKEN = 'sk-test-chaos-upstream-0123456789abcd';
/** The primary's configured limits: response headers within FIRST_BYTE_MS, stream pieces at most IDLE_MS apart. */
const FIRST_BYTE_MS = 1_000;
const IDLE_MS = 1_000;
/** Past the configured limit, what AISBF may take to notice and tell the client. */
const REACTION_MS = 1_000;
const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

const ROTATION = 'user-rotation/pool';
const PRIMARY_ONLY = 'user-provider/primary/m';

function chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
}

const contentOf = (events: TimedEvent[]) =>
  events
    .filter((e) => e.data.startsWith('{"id"'))
    .map((e) => JSON.parse(e.data).choices[0]?.delta?.content ?? '')
    .join('');

const errorEvent = (events: TimedEvent[]) => {
  const found = events.find((e) => e.data.startsWith('{"error"'));
  return found ? { at: found.at, error: JSON.parse(found.data).error as { message: string; type: string; code: string } } : null;
};

describe('upstream faults, against the failover rules', () => {
  const primary = new MockOpenAiServer('primary');
  const backup = new MockOpenAiServer('backup');
  let stack: AisbfStack;

  const chat = (model: string, stream: boolean) =>
    fetch(`${stack.baseUrl}/api/u/ops/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'fault' }] }),
      // Far above every limit configured here: a request still open then hangs.
      signal: AbortSignal.timeout(20_000),
    });

  /** A failure answered before any token: one OpenAI-style error body with the status it names. */
  async function expectHttpError(response: Response, status: number, type: string) {
    expect(response.status).toBe(status);
    const body = JSON.parse(await response.text());
    expect(body).toMatchObject({ error: { message: expect.any(String), type, code: expect.any(String) } });
    return body.error as { message: string; code: string };
  }

  /** The backup answered in place of the primary, and the response says why. */
  async function expectFailedOver(response: Response, stream: boolean) {
    expect(response.status).toBe(200);
    expect(response.headers.get('x-aisbf-provider')).toBe('backup');
    expect(response.headers.get('x-aisbf-failover')).toMatch(/^primary\/m \(/);
    if (stream) expect(contentOf(await readTimedEvents(response))).toBe('Mock reply to: fault');
    else expect(JSON.parse(await response.text()).choices[0].message.content).toBe('Mock reply to: fault');
    return response.headers.get('x-aisbf-failover');
  }

  beforeEach(async () => {
    await Promise.all([primary.start(), backup.start()]);
    stack = await AisbfStack.start({
      mode: 'distributed',
      config: {
        users: {
          ops: {
            tokens: [TOKEN],
            providers: {
              primary: {
                type: 'openai',
                endpoint: primary.url,
                models: [{ name: 'm' }],
                timeouts: { first_byte_ms: FIRST_BYTE_MS, idle_ms: IDLE_MS },
              },
              backup: { type: 'openai', endpoint: backup.url, models: [{ name: 'm' }] },
            },
            rotations: {
              pool: {
                strategy: 'priority',
                providers: [
                  { provider_id: 'primary', model: 'm', weight: 1, error_cooldown: 30 },
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
    // Nothing the faults did took a service down.
    const crashed = stack?.processes.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null) ?? [];
    expect(crashed.map((p) => p.service)).toEqual([]);
    await stack?.stop();
    await Promise.all([primary.reset().stop(), backup.reset().stop()]);
  });

  it('relays a slow stream piece by piece as the pieces come, not batched', async () => {
    primary.setDefault({ chunks: 8, chunkDelayMs: 300, content: 'abcdefghijklmnop' });
    const response = await chat(PRIMARY_ONLY, true);
    expect(response.status).toBe(200);
    const events = await readTimedEvents(response);
    const pieces = events.filter((e) => /"content":"[^"]/.test(e.data));
    expect(pieces).toHaveLength(8);
    const gaps = pieces.slice(1).map((e, i) => e.at - pieces[i].at);
    const sorted = [...gaps].sort((a, b) => a - b);
    console.log(`slow stream: 8 pieces 300 ms apart upstream, gaps at the client ${gaps.join('/')} ms (median ${sorted[3]} ms)`);
    expect(contentOf(events)).toBe('abcdefghijklmnop');
    // Batching would bunch the pieces together: at most one gap may be short (timer jitter).
    expect(gaps.filter((gap) => gap < 150).length).toBeLessThanOrEqual(1);
    expect(pieces[7].at - pieces[0].at).toBeGreaterThan(1_500);
    expect(events[events.length - 1].data).toBe('[DONE]');
  });

  it('ends a stream the upstream stopped feeding with an error event within the idle timeout, and lets the upstream go', async () => {
    primary.setDefault({ chunks: 10, stallAfterChunks: 3 });
    const response = await chat(PRIMARY_ONLY, true);
    expect(response.status).toBe(200);
    const events = await readTimedEvents(response);
    const pieces = events.filter((e) => /"content":"[^"]/.test(e.data));
    expect(pieces).toHaveLength(3);
    const failure = errorEvent(events);
    expect(failure?.error).toMatchObject({ code: 'upstream_timeout', type: 'upstream_error' });
    expect(events[events.length - 1].data).toBe('[DONE]');
    const silenceMs = failure!.at - pieces[2].at;
    const abortedAt = await primary.waitForAbort(primary.chatRequests()[0], 5_000);
    console.log(`stalled stream: error event ${silenceMs} ms after the last piece (idle_ms ${IDLE_MS}), upstream call closed ${abortedAt - pieces[2].at} ms after it`);
    expect(silenceMs).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(silenceMs).toBeLessThan(IDLE_MS + REACTION_MS);
  });

  it('gives up on an upstream that sends no headers within first_byte_ms: failover, or 504 without another candidate', async () => {
    primary.setDefault({ delayMs: 10_000 });
    let started = Date.now();
    const failover = await expectFailedOver(await chat(ROTATION, false), false);
    const failoverMs = Date.now() - started;
    started = Date.now();
    const error = await expectHttpError(await chat(PRIMARY_ONLY, true), 504, 'upstream_error');
    const timeoutMs = Date.now() - started;
    console.log(`stalled before headers: failover after ${failoverMs} ms (${failover}); alone: 504 ${error.code} after ${timeoutMs} ms (first_byte_ms ${FIRST_BYTE_MS})`);
    expect(error.code).toBe('upstream_timeout');
    expect(failoverMs).toBeLessThan(FIRST_BYTE_MS + REACTION_MS);
    expect(timeoutMs).toBeLessThan(FIRST_BYTE_MS + REACTION_MS);
  });

  it('ends a stream carrying an invalid JSON chunk with an error event, tolerating SSE comments and unknown lines', async () => {
    const stream = [
      ': keep-alive comment\n\n',
      'event: ping\ndata: {}\n\n',
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }),
      'this line is not SSE at all\n\n',
      chunk({ content: 'lo' }),
      'data: {"id":"c1","choices":[{"delta":{"content":"broken\n\n',
      chunk({ content: 'never shown' }),
      'data: [DONE]\n\n',
    ].join('');
    primary.setDefault({ rawBody: stream, contentType: 'text/event-stream' });
    const response = await chat(PRIMARY_ONLY, true);
    expect(response.status).toBe(200);
    const events = await readTimedEvents(response);
    const failure = errorEvent(events);
    console.log(`malformed SSE mid-stream: client got "${contentOf(events)}", then error event ${failure?.error.code}`);
    expect(contentOf(events)).toBe('Hello');
    expect(failure?.error).toMatchObject({ type: 'upstream_error', code: expect.any(String) });
    expect(events[events.length - 1].data).toBe('[DONE]');
  });

  it('relays the last event of a stream whose body ends without the closing blank line', async () => {
    const stream = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }, 'stop').trimEnd()].join('');
    primary.setDefault({ rawBody: stream, contentType: 'text/event-stream' });
    const response = await chat(PRIMARY_ONLY, true);
    expect(response.status).toBe(200);
    const events = await readTimedEvents(response);
    expect(contentOf(events)).toBe('Hello');
    expect(errorEvent(events)).toBeNull();
    expect(events[events.length - 1].data).toBe('[DONE]');
  });

  it('fails over from a stream that is garbage before its first token, or answers 502 upstream_error without another candidate', async () => {
    primary.setDefault({ rawBody: 'data: {"choices": nope\n\n', contentType: 'text/event-stream' });
    const failover = await expectFailedOver(await chat(ROTATION, true), true);
    const error = await expectHttpError(await chat(PRIMARY_ONLY, true), 502, 'upstream_error');
    console.log(`malformed SSE before the first token: failover (${failover}); alone: 502 ${error.code}`);
  });

  it.each([200, 502])('answers an HTML page sent with status %i as 502 upstream_error, or fails over', async (status) => {
    primary.setDefault({ status, rawBody: HTML, contentType: 'text/html' });
    // The rotation first: the failures below cool the primary down for every route that uses it.
    const failover = await expectFailedOver(await chat(ROTATION, false), false);
    const results: string[] = [];
    for (const stream of [false, true]) {
      const error = await expectHttpError(await chat(PRIMARY_ONLY, stream), 502, 'upstream_error');
      expect(error.message).not.toContain('<html');
      results.push(`${stream ? 'stream' : 'plain'}: 502 ${error.code}`);
    }
    console.log(`HTML with status ${status}: ${results.join(', ')}; rotation: failover (${failover})`);
  });

  it('fails over from a connection reset before the answer, and ends a stream reset midway with an error event', async () => {
    primary.setDefault({ resetConnection: true });
    const failover = await expectFailedOver(await chat(ROTATION, true), true);
    const alone = await expectHttpError(await chat(PRIMARY_ONLY, false), 502, 'upstream_error');
    primary.setDefault({ chunks: 6, chunkDelayMs: 50, cutAfterChunks: 2 });
    const response = await chat(PRIMARY_ONLY, true);
    expect(response.status).toBe(200);
    const events = await readTimedEvents(response);
    const failure = errorEvent(events);
    console.log(`connection reset: before the answer failover (${failover}), alone 502 ${alone.code}; midway error event ${failure?.error.code} after "${contentOf(events)}"`);
    expect(failure?.error).toMatchObject({ type: 'upstream_error', code: 'upstream_stream_broken' });
    expect(events[events.length - 1].data).toBe('[DONE]');
    // The reset cooled the primary: the rotation now starts on the backup.
    await waitFor(async () => {
      const res = await chat(ROTATION, false);
      return res.status === 200 && res.headers.get('x-aisbf-provider') === 'backup' && res.headers.get('x-aisbf-failover') === null;
    });
  });
});
