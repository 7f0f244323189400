import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AisbfError, BUS_HEADERS } from '@aisbf/contracts';
import {
  BusClient,
  BusServer,
  BusTransport,
  encodeJson,
  InProcessBusTransport,
  NatsBusTransport,
  natsTransportOptions,
  StreamFrame,
} from '@aisbf/bus';

const payload = z.object({ n: z.number() });

async function collect(frames: AsyncGenerator<StreamFrame>): Promise<StreamFrame[]> {
  const out: StreamFrame[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

const values = (frame: StreamFrame): unknown[] => (frame.kind === 'chunks' ? frame.chunks.map((chunk) => Buffer.from(chunk).toString()) : [frame.payload]);
const streamOptions = (overrides: Partial<{ firstFrameTimeoutMs: number; idleTimeoutMs: number; deadline: number }> = {}) => ({
  firstFrameTimeoutMs: 2_000,
  idleTimeoutMs: 2_000,
  deadline: Date.now() + 5_000,
  ...overrides,
});

const transports: Array<[string, () => Promise<BusTransport>]> = [
  ['in-process', async () => new InProcessBusTransport()],
  [
    'nats',
    () => NatsBusTransport.connect(natsTransportOptions({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', service: 'bus-test' })),
  ],
];

describe.each(transports)('bus semantics over %s', (_name, connect) => {
  let transport: BusTransport;
  let namespace: string;
  let client: BusClient;
  const servers: BusServer[] = [];

  function server(service = 'svc'): BusServer {
    const s = new BusServer(transport, namespace, service);
    servers.push(s);
    return s;
  }

  beforeAll(async () => {
    transport = await connect();
  });
  afterAll(async () => {
    await transport.close();
  });
  beforeEach(() => {
    namespace = `t${randomBytes(5).toString('hex')}`;
    client = new BusClient(transport, namespace);
  });
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
    client.close();
  });

  it('answers a request, validating the payload with its schema', async () => {
    server().onRequest('math.double', payload, async ({ n }) => ({ result: n * 2 }));
    await new Promise((r) => setTimeout(r, 50));
    await expect(client.request('math.double', { n: 21 }, { timeoutMs: 2_000 })).resolves.toEqual({ result: 42 });
    await expect(client.request('math.double', { n: 'x' }, { timeoutMs: 2_000 })).rejects.toMatchObject({
      code: 'invalid_request',
      status: 400,
    });
  });

  it('carries typed errors from handler to caller', async () => {
    server().onRequest('fail', payload, async () => {
      throw new AisbfError('model_not_found', 'no such model', { param: 'model' });
    });
    await new Promise((r) => setTimeout(r, 50));
    const error = await client.request('fail', { n: 1 }, { timeoutMs: 2_000 }).catch((e) => e);
    expect(error).toBeInstanceOf(AisbfError);
    expect(error).toMatchObject({ code: 'model_not_found', status: 404, param: 'model', message: 'no such model' });
  });

  it('says at once when nobody listens, and times out when nobody answers', async () => {
    const started = Date.now();
    await expect(client.request('nobody.home', { n: 1 }, { timeoutMs: 3_000 })).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(Date.now() - started).toBeLessThan(2_500);

    server().onRequest('silent', payload, () => new Promise(() => undefined));
    await new Promise((r) => setTimeout(r, 50));
    await expect(client.request('silent', { n: 1 }, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'gateway_timeout' });
  });

  it('streams chunks in order, then exactly one end frame', async () => {
    server().onStream('count', payload, async function* ({ n }) {
      for (let i = 0; i < n; i++) yield `chunk-${i}`;
      return { total: n };
    });
    await new Promise((r) => setTimeout(r, 50));
    const frames = await collect(client.stream('count', { n: 50 }, streamOptions()));
    expect(frames.flatMap(values)).toEqual([...Array.from({ length: 50 }, (_, i) => `chunk-${i}`), { total: 50 }]);
    // Chunks produced in one turn share a message and its sequence number; numbers never go back.
    const seqs = frames.map((f) => f.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[0]).toBe(0);
  });

  it('ends a stream with the typed error a handler throws after some chunks', async () => {
    server().onStream('break', payload, async function* () {
      yield 'one';
      yield 'two';
      throw new AisbfError('upstream_stream_broken', 'upstream went away', { retryable: true });
    });
    await new Promise((r) => setTimeout(r, 50));
    const seen: string[] = [];
    const error = await (async () => {
      for await (const frame of client.stream('break', { n: 1 }, streamOptions())) seen.push(...values(frame).map(String));
    })().catch((e) => e);
    expect(seen).toEqual(['one', 'two']);
    expect(error).toMatchObject({ code: 'upstream_stream_broken', retryable: true });
  });

  it('turns a silent stream into a stall error and a lost frame into a gap error', async () => {
    server().onStream('stall', payload, async function* () {
      yield 'first';
      await new Promise(() => undefined);
    });
    await new Promise((r) => setTimeout(r, 50));
    await expect(collect(client.stream('stall', { n: 1 }, streamOptions({ idleTimeoutMs: 200 })))).rejects.toMatchObject({
      code: 'upstream_timeout',
    });

    // A raw responder that skips sequence number 1.
    transport.subscribe(`${namespace}.gappy`, (message) => {
      const send = (seq: number, frame: string) =>
        transport.publish(message.reply!, encodeJson('x'), { headers: { [BUS_HEADERS.seq]: String(seq), [BUS_HEADERS.frame]: frame } });
      send(0, 'c');
      send(2, 'c');
    });
    await new Promise((r) => setTimeout(r, 50));
    await expect(collect(client.stream('gappy', { n: 1 }, streamOptions()))).rejects.toMatchObject({ code: 'upstream_stream_broken' });
  });

  it('spreads queue-group work over replicas and broadcasts events to all of them', async () => {
    const served: string[] = [];
    const heard: string[] = [];
    for (const replica of ['a', 'b']) {
      const s = server('workers');
      s.onRequest('work', payload, async () => {
        served.push(replica);
        return null;
      });
      s.onEvent('changed', payload, () => void heard.push(replica), { broadcast: true });
    }
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 40; i++) await client.request('work', { n: i }, { timeoutMs: 2_000 });
    expect(served).toHaveLength(40);
    expect(served.filter((r) => r === 'a').length).toBeGreaterThan(0);
    expect(served.filter((r) => r === 'b').length).toBeGreaterThan(0);

    client.publish('changed', { n: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(heard.sort()).toEqual(['a', 'b']);
  });

  it('keeps installations apart by namespace', async () => {
    server().onRequest('ping', payload, async () => 'mine');
    await new Promise((r) => setTimeout(r, 50));
    const other = new BusClient(transport, `${namespace}x`);
    await expect(other.request('ping', { n: 1 }, { timeoutMs: 1_000 })).rejects.toMatchObject({ code: 'service_unavailable' });
    other.close();
  });
});
