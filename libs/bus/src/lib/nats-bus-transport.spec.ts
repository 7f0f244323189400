import { natsTransportOptions } from './nats-options';
import { NatsBusTransport } from './nats-bus-transport';
import { TransportMessage } from './bus-transport';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const connect = (service: string) => NatsBusTransport.connect(natsTransportOptions({ url: NATS_URL, service }));
const subject = () => `aisbf-test.transport.${Math.random().toString(36).slice(2)}`;

/** Resolves once `count` messages arrived on `on`, with their payloads in arrival order. */
async function receive(transport: NatsBusTransport, on: string, count: number): Promise<{ done: Promise<string[]> }> {
  const seen: string[] = [];
  let finish!: (values: string[]) => void;
  const done = new Promise<string[]>((resolve) => (finish = resolve));
  transport.subscribe(on, (message: TransportMessage) => {
    seen.push(Buffer.from(message.data).toString());
    if (seen.length === count) finish(seen);
  });
  // Let the subscription reach the server before anything is sent.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { done };
}

describe('NATS transport (real server)', () => {
  let sender: NatsBusTransport;
  let listener: NatsBusTransport;
  beforeEach(async () => {
    [sender, listener] = await Promise.all([connect('test-sender'), connect('test-listener')]);
  });
  afterEach(async () => {
    await Promise.all([sender.close(), listener.close()]);
  });

  it('delivers every message of one turn, across awaits, in the order it was published', async () => {
    const on = subject();
    const { done } = await receive(listener, on, 200);
    await (async () => {
      for (let i = 0; i < 200; i++) {
        sender.publish(on, Buffer.from(String(i)), { headers: { seq: String(i) } });
        if (i % 3 === 0) await Promise.resolve();
      }
    })();
    expect(await done).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
  });

  it('sends what is still queued when the connection is closed', async () => {
    const on = subject();
    const { done } = await receive(listener, on, 3);
    for (const text of ['a', 'b', 'c']) sender.publish(on, Buffer.from(text));
    await sender.close();
    expect(await done).toEqual(['a', 'b', 'c']);
  });

  it('refuses to publish on a closed connection instead of dropping the message', async () => {
    await sender.close();
    expect(() => sender.publish(subject(), Buffer.from('late'))).toThrow(expect.objectContaining({ code: 'service_unavailable' }));
  });
});
