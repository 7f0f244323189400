import { z } from 'zod';
import { BusClient, FRAME, StreamFrame } from './bus-client';
import { BusServer } from './bus-server';
import { HeldChunk, holdChunks } from './held-chunk';
import { BusTransport } from './bus-transport';
import { InProcessBusTransport } from './in-process-bus-transport';
import { encodeText } from './json-codec';
import { LoggedFrame, logFrames } from './frame-log';
import { NatsBusTransport } from './nats-bus-transport';
import { natsTransportOptions } from './nats-options';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
// The end payload rides in a header: NATS encodes headers itself, so both transports are checked.
const transports: Array<[string, () => Promise<BusTransport>]> = [
  ['in-process', async () => new InProcessBusTransport()],
  ['NATS', () => NatsBusTransport.connect(natsTransportOptions({ url: NATS_URL, service: 'held-chunk-test' }))],
];

const any = z.unknown();
const text = (frame: StreamFrame) => (frame.kind === 'chunk' ? Buffer.from(frame.data).toString() : frame.payload);

describe.each(transports)('held chunks over the %s transport (a plain answer and its end in one message)', (_name, connect) => {
  let transport: BusTransport;
  let client: BusClient;
  let server: BusServer;
  let frames: LoggedFrame[];
  const options = () => ({ firstFrameTimeoutMs: 5_000, idleTimeoutMs: 5_000, deadline: Date.now() + 10_000 });
  const collect = async (subject: string) => {
    const out: unknown[] = [];
    try {
      for await (const frame of client.stream(subject, {}, options())) out.push(text(frame));
    } catch (error) {
      out.push(error);
    }
    return out;
  };

  beforeEach(async () => {
    transport = await connect();
    // A namespace of its own: replicas of this test running at once share the NATS server.
    const namespace = `held-${Math.random().toString(36).slice(2)}`;
    client = new BusClient(transport, namespace);
    server = new BusServer(transport, namespace, 'svc');
    frames = logFrames(transport);
  });
  afterEach(async () => {
    server.close();
    client.close();
    await transport.close();
  });

  it('sends a held body with the end as one last frame, read as a chunk and then the end', async () => {
    server.onStream('plain', any, () => holdChunks((async function* () {
      yield encodeText('{"id":"x"}');
      return { usage: { total: 3 } };
    })()));
    expect(await collect('plain')).toEqual(['{"id":"x"}', { usage: { total: 3 } }]);
    expect(frames.map((f) => f.frame)).toEqual([FRAME.last]);
  });

  it('sends a held chunk before the next chunk, keeping the order', async () => {
    const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
    server.onStream('pieces', any, async function* () {
      yield new HeldChunk(encodeText('a'));
      await tick();
      yield new HeldChunk(encodeText('b'));
      await tick();
      yield encodeText('c');
      await tick();
      return 'end';
    });
    expect(await collect('pieces')).toEqual(['a', 'b', 'c', 'end']);
    // a leaves when b comes; b and c, ready in the same turn, share a message.
    expect(frames.map((f) => f.frame)).toEqual([FRAME.chunk, FRAME.chunk, FRAME.end]);
  });

  it('delivers a held chunk before the error that follows it', async () => {
    server.onStream('fails', any, async function* () {
      yield new HeldChunk(encodeText('partial'));
      throw new Error('upstream broke');
    });
    const out = await collect('fails');
    expect(out[0]).toBe('partial');
    expect(out[1]).toMatchObject({ code: 'internal_error' });
    expect(frames.map((f) => f.frame)).toEqual([FRAME.chunk, FRAME.error]);
  });

  it('keeps an end payload with quotes, newlines and non-ASCII text intact in its header', async () => {
    const end = { finish: 'stop', note: 'line one\nline "two" – ünïcode' };
    server.onStream('text', any, () => holdChunks((async function* () {
      yield encodeText('body');
      return end;
    })()));
    expect(await collect('text')).toEqual(['body', end]);
  });
});
