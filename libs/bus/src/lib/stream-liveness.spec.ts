import { z } from 'zod';
import { BUS_HEADERS, STREAM_LIVENESS } from '@aisbf/contracts';
import { BusClient, FRAME, StreamFrame } from './bus-client';
import { BusServer } from './bus-server';
import { InProcessBusTransport } from './in-process-bus-transport';
import { encodeText } from './json-codec';

const any = z.unknown();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function drain(frames: AsyncGenerator<StreamFrame>): Promise<{ chunks: string[]; error?: unknown; ms: number }> {
  const started = Date.now();
  const chunks: string[] = [];
  try {
    for await (const frame of frames) if (frame.kind === 'chunks') chunks.push(...frame.chunks.map((chunk) => Buffer.from(chunk).toString()));
    return { chunks, ms: Date.now() - started };
  } catch (error) {
    return { chunks, error, ms: Date.now() - started };
  }
}

describe('stream liveness (heartbeats)', () => {
  let transport: InProcessBusTransport;
  let client: BusClient;
  let server: BusServer;
  const options = (idleTimeoutMs = 5_000) => ({ firstFrameTimeoutMs: 5_000, idleTimeoutMs, deadline: Date.now() + 10_000 });

  beforeEach(() => {
    transport = new InProcessBusTransport();
    client = new BusClient(transport, 'ns');
    server = new BusServer(transport, 'ns', 'svc');
  });
  afterEach(async () => {
    server.close();
    client.close();
    await transport.close();
  });

  it('ends a stream soon after its responder goes silent, long before the idle timeout', async () => {
    // A responder that beats, sends one chunk and then dies: no more frames of any kind.
    transport.subscribe('ns.dies', (message) => {
      transport.publish(message.reply!, new Uint8Array(0), { headers: { [BUS_HEADERS.frame]: FRAME.heartbeat } });
      transport.publish(message.reply!, encodeText('one'), { headers: { [BUS_HEADERS.frame]: FRAME.chunk, [BUS_HEADERS.seq]: '0' } });
    });
    const result = await drain(client.stream('dies', {}, options(30_000)));
    expect(result.chunks).toEqual(['one']);
    expect(result.error).toMatchObject({ code: 'service_unavailable', retryable: true });
    expect(String((result.error as Error).message)).toContain('no heartbeat');
    expect(result.ms).toBeGreaterThanOrEqual(STREAM_LIVENESS.timeoutMs - 20);
    expect(result.ms).toBeLessThan(STREAM_LIVENESS.timeoutMs + 1_000);
  });

  it('keeps a live responder with a slow upstream going past the liveness timeout', async () => {
    server.onStream('slow', any, async function* () {
      await sleep(STREAM_LIVENESS.timeoutMs * 2);
      yield 'late';
      return { done: true };
    });
    const result = await drain(client.stream('slow', {}, options()));
    expect(result.error).toBeUndefined();
    expect(result.chunks).toEqual(['late']);
  });

  it('still ends a stalled upstream on the idle timeout, not as a lost responder', async () => {
    server.onStream('stalls', any, async function* () {
      yield 'first';
      await sleep(60_000);
    });
    const result = await drain(client.stream('stalls', {}, options(STREAM_LIVENESS.timeoutMs * 2)));
    expect(result.chunks).toEqual(['first']);
    expect(result.error).toMatchObject({ code: 'upstream_timeout' });
  });

  it('takes a responder that never shows a sign of life for gone after pickupMs + timeoutMs', async () => {
    // The request reached a subscriber that died with it: no beat, no frame, ever.
    transport.subscribe('ns.lost', () => undefined);
    const result = await drain(client.stream('lost', {}, options(30_000)));
    expect(result.error).toMatchObject({ code: 'service_unavailable', retryable: true });
    expect(result.ms).toBeGreaterThanOrEqual(STREAM_LIVENESS.pickupMs + STREAM_LIVENESS.timeoutMs - 20);
    expect(result.ms).toBeLessThan(STREAM_LIVENESS.pickupMs + STREAM_LIVENESS.timeoutMs + 1_000);
  });

  it('waits for a responder that picks a stream up late (busy with a burst) instead of taking it for gone', async () => {
    const pickedUpAfter = STREAM_LIVENESS.firstBeatMs + STREAM_LIVENESS.timeoutMs + 500;
    transport.subscribe('ns.late', (message) => {
      setTimeout(() => {
        const frame = (kind: string, seq: number, data: Uint8Array) =>
          transport.publish(message.reply!, data, { headers: { [BUS_HEADERS.frame]: kind, [BUS_HEADERS.seq]: String(seq) } });
        frame(FRAME.chunk, 0, encodeText('late but alive'));
        frame(FRAME.end, 1, encodeText('{"done":true}'));
      }, pickedUpAfter);
    });
    const result = await drain(client.stream('late', {}, options(30_000)));
    expect(result.error).toBeUndefined();
    expect(result.chunks).toEqual(['late but alive']);
    expect(result.ms).toBeGreaterThanOrEqual(pickedUpAfter - 20);
  });

  it('sends no heartbeat for an answer done within firstBeatMs', async () => {
    const publish = jest.spyOn(transport, 'publish');
    server.onStream('quick', any, async function* () {
      yield 'answer';
      return { done: true };
    });
    expect((await drain(client.stream('quick', {}, options()))).chunks).toEqual(['answer']);
    await sleep(STREAM_LIVENESS.firstBeatMs * 2);
    expect(publish.mock.calls.filter(([, , opts]) => opts?.headers?.[BUS_HEADERS.frame] === FRAME.heartbeat)).toHaveLength(0);
  });

  it('beats soon after pickup and while the upstream is silent, but not while frames flow', async () => {
    const publish = jest.spyOn(transport, 'publish');
    const beats = () => publish.mock.calls.filter(([, , opts]) => opts?.headers?.[BUS_HEADERS.frame] === FRAME.heartbeat).length;
    server.onStream('busy', any, async function* () {
      for (let i = 0; i < 10; i++) {
        yield `chunk ${i}`;
        await sleep(STREAM_LIVENESS.heartbeatMs / 4);
      }
      return { done: true };
    });
    expect((await drain(client.stream('busy', {}, options()))).chunks).toHaveLength(10);
    // 500 ms of streaming: the frames say it all, no beat at all.
    expect(beats()).toBe(0);

    const before = beats();
    server.onStream('pause', any, async function* () {
      await sleep(STREAM_LIVENESS.heartbeatMs * 2.5);
      yield 'after a pause';
      return { done: true };
    });
    expect((await drain(client.stream('pause', {}, options()))).chunks).toEqual(['after a pause']);
    // firstBeatMs after pickup, then every heartbeatMs of the 2.5 × heartbeatMs of silence.
    expect(beats() - before).toBeGreaterThanOrEqual(3);
  });
  it('sends the beats of all silent streams of one caller as one message, not one per stream', async () => {
    const publish = jest.spyOn(transport, 'publish');
    const beats = () => publish.mock.calls.filter(([, , opts]) => opts?.headers?.[BUS_HEADERS.frame] === FRAME.heartbeat).length;
    const silentMs = STREAM_LIVENESS.heartbeatMs * 5;
    server.onStream('waits', any, async function* () {
      await sleep(silentMs);
      yield 'done waiting';
      return { done: true };
    });
    const results = await Promise.all(Array.from({ length: 40 }, () => drain(client.stream('waits', {}, options()))));
    expect(results.every((r) => r.error === undefined && r.chunks[0] === 'done waiting')).toBe(true);
    // One message per beat time for the 40 streams: 6 or so, where each stream beating alone sends 200.
    expect(beats()).toBeGreaterThanOrEqual(3);
    expect(beats()).toBeLessThanOrEqual(10);
  });

  it('still beats each stream on its own for a caller that does not take shared beats', async () => {
    server.onStream('slow-old', any, async function* () {
      await sleep(STREAM_LIVENESS.heartbeatMs * 3);
      yield 'late';
      return { done: true };
    });
    const frames: string[] = [];
    const reply = '_INBOX.older-caller.7';
    transport.subscribe(reply, (message) => frames.push(message.headers[BUS_HEADERS.frame]));
    transport.publish('ns.slow-old', encodeText('{}'), { reply, headers: {} });
    await sleep(STREAM_LIVENESS.heartbeatMs * 3 + 100);
    expect(frames.filter((f) => f === FRAME.heartbeat).length).toBeGreaterThanOrEqual(2);
    expect(frames.at(-1)).toBe(FRAME.last);
  });

  it('does not take shared beats that name other streams for a sign of life of this one', async () => {
    let beating: NodeJS.Timeout | undefined;
    transport.subscribe('ns.others', (message) => {
      const prefix = message.headers[BUS_HEADERS.beats];
      beating = setInterval(() => transport.publish(`${prefix}.beats`, encodeText('999999'), { headers: { [BUS_HEADERS.frame]: FRAME.heartbeat } }), 100);
    });
    try {
      const result = await drain(client.stream('others', {}, options(30_000)));
      expect(result.error).toMatchObject({ code: 'service_unavailable' });
      expect(String((result.error as Error).message)).toContain('no heartbeat');
    } finally {
      clearInterval(beating);
    }
  });
});
