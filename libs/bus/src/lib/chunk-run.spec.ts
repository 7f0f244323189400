import { z } from 'zod';
import { BUS_HEADERS } from '@aisbf/contracts';
import { BusClient, FRAME, StreamFrame } from './bus-client';
import { BusServer } from './bus-server';
import { BusTransport } from './bus-transport';
import { MAX_RUN_BYTES, splitChunkRun } from './chunk-run';
import { InProcessBusTransport } from './in-process-bus-transport';
import { encodeText } from './json-codec';
import { LoggedFrame, logFrames } from './frame-log';
import { NatsBusTransport } from './nats-bus-transport';
import { natsTransportOptions } from './nats-options';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const transports: Array<[string, () => Promise<BusTransport>]> = [
  ['in-process', async () => new InProcessBusTransport()],
  ['NATS', () => NatsBusTransport.connect(natsTransportOptions({ url: NATS_URL, service: 'chunk-run-test' }))],
];

const any = z.unknown();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('splitChunkRun', () => {
  it('splits a body by its sizes header and keeps a body without one whole', () => {
    const body = encodeText('abcdef');
    expect(splitChunkRun(body, '1,2,3').map((c) => Buffer.from(c).toString())).toEqual(['a', 'bc', 'def']);
    expect(splitChunkRun(body, undefined).map((c) => Buffer.from(c).toString())).toEqual(['abcdef']);
  });

  it('refuses sizes that do not add up to the body', () => {
    expect(splitChunkRun(encodeText('abc'), '1,1')).toEqual([]);
    expect(splitChunkRun(encodeText('abc'), '1,x,2')).toEqual([]);
    expect(splitChunkRun(encodeText('abc'), '-1,4')).toEqual([]);
  });
});

describe.each(transports)('stream chunks over the %s transport', (_name, connect) => {
  let transport: BusTransport;
  let client: BusClient;
  let server: BusServer;
  let namespace: string;
  let frames: LoggedFrame[];
  const options = () => ({ firstFrameTimeoutMs: 5_000, idleTimeoutMs: 5_000, deadline: Date.now() + 10_000 });
  const collect = async (subject: string) => {
    const out: Array<{ value: unknown; at: number }> = [];
    try {
      for await (const frame of client.stream(subject, {}, options())) out.push({ value: text(frame), at: Date.now() });
    } catch (error) {
      out.push({ value: error, at: Date.now() });
    }
    return out;
  };
  const text = (frame: StreamFrame) => (frame.kind === 'chunk' ? Buffer.from(frame.data).toString() : frame.payload);

  beforeEach(async () => {
    transport = await connect();
    namespace = `run-${Math.random().toString(36).slice(2)}`;
    client = new BusClient(transport, namespace);
    server = new BusServer(transport, namespace, 'svc');
    frames = logFrames(transport);
  });
  afterEach(async () => {
    server.close();
    client.close();
    await transport.close();
  });

  it('sends the chunks a handler yields in one turn as one message, read back one by one', async () => {
    server.onStream('burst', any, async function* () {
      yield encodeText('{"n":1}');
      yield encodeText('{"n":2}');
      yield encodeText('{"n":3}');
      await sleep(20);
      return { done: true };
    });
    const out = await collect('burst');
    expect(out.map((o) => o.value)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', { done: true }]);
    expect(frames.map((f) => f.frame)).toEqual([FRAME.chunk, FRAME.end]);
  });

  it('sends the final chunks of a turn with the end as one last frame', async () => {
    server.onStream('tail', any, async function* () {
      yield encodeText('x');
      yield encodeText('y');
      return 'end';
    });
    expect((await collect('tail')).map((o) => o.value)).toEqual(['x', 'y', 'end']);
    expect(frames.map((f) => f.frame)).toEqual([FRAME.last]);
  });

  it('relays chunks that come apart as they come: nothing waits for a later one', async () => {
    server.onStream('paced', any, async function* () {
      yield encodeText('first');
      await sleep(150);
      yield encodeText('second');
      await sleep(150);
      return 'end';
    });
    const out = await collect('paced');
    expect(out.map((o) => o.value)).toEqual(['first', 'second', 'end']);
    expect(frames.map((f) => f.frame)).toEqual([FRAME.chunk, FRAME.chunk, FRAME.end]);
    // The first chunk reached the caller before the second was even produced.
    expect(out[1].at - out[0].at).toBeGreaterThanOrEqual(120);
    expect(frames[1].at - frames[0].at).toBeGreaterThanOrEqual(120);
  });

  it('splits a turn bigger than the message limit over several messages, in order', async () => {
    const piece = (c: string) => encodeText(c.repeat(MAX_RUN_BYTES / 2 - 10));
    server.onStream('big', any, async function* () {
      yield piece('a');
      yield piece('b');
      yield piece('c');
      await sleep(10);
      return 'end';
    });
    const out = await collect('big');
    expect(out.map((o) => (typeof o.value === 'string' ? o.value[0] : o.value))).toEqual(['a', 'b', 'c', 'e']);
    expect(frames.map((f) => f.frame)).toEqual([FRAME.chunk, FRAME.chunk, FRAME.end]);
  });

  it('fails a stream whose chunk list does not match its body, instead of delivering garbage', async () => {
    transport.subscribe(`${namespace}.forged`, (message) => {
      transport.publish(message.reply!, encodeText('abc'), {
        headers: { [BUS_HEADERS.frame]: FRAME.chunk, [BUS_HEADERS.seq]: '0', [BUS_HEADERS.sizes]: '1,5' },
      });
    });
    const out = await collect('forged');
    expect(out).toHaveLength(1);
    expect(out[0].value).toMatchObject({ code: 'upstream_stream_broken', retryable: true });
  });
});
