import { z } from 'zod';
import { BusClient, StreamFrame } from './bus-client';
import { BusServer } from './bus-server';
import { InProcessBusTransport } from './in-process-bus-transport';

const any = z.unknown();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The in-process bus, told to behave as a NATS connection that has lost its server. */
class LosableTransport extends InProcessBusTransport {
  private down = false;
  private readonly listeners: Array<() => void> = [];

  override isConnected(): boolean {
    return !this.down && super.isConnected();
  }

  override onConnectionLost(listener: () => void): void {
    this.listeners.push(listener);
  }

  loseConnection(): void {
    this.down = true;
    for (const listener of this.listeners) listener();
  }
}

describe('calls while the connection to the bus is lost', () => {
  let transport: LosableTransport;
  let client: BusClient;
  let server: BusServer;

  beforeEach(() => {
    transport = new LosableTransport();
    client = new BusClient(transport, 'ns');
    server = new BusServer(transport, 'ns', 'svc');
  });
  afterEach(async () => {
    server.close();
    client.close();
    await transport.close();
  });

  it('fails a request in flight at once with service_unavailable, not at its timeout', async () => {
    server.onRequest('slow', any, async () => {
      await sleep(5_000);
      return { late: true };
    });
    const started = Date.now();
    const call = client.request('slow', {}, { timeoutMs: 10_000 });
    await sleep(20);
    transport.loseConnection();
    await expect(call).rejects.toMatchObject({ code: 'service_unavailable', retryable: true });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses new requests and streams while the bus is unreachable', async () => {
    server.onRequest('echo', any, async (payload) => payload);
    transport.loseConnection();
    await expect(client.request('echo', { a: 1 }, { timeoutMs: 10_000 })).rejects.toMatchObject({ code: 'service_unavailable' });
    const frames = client.stream('echo', {}, { firstFrameTimeoutMs: 10_000, idleTimeoutMs: 10_000, deadline: Date.now() + 10_000 });
    await expect(frames.next()).rejects.toMatchObject({ code: 'service_unavailable' });
  });

  it('ends a stream in flight with service_unavailable after the chunks that arrived', async () => {
    server.onStream('long', any, async function* () {
      yield 'first';
      await sleep(5_000);
      yield 'never';
    });
    const chunks: string[] = [];
    const frames = client.stream('long', {}, { firstFrameTimeoutMs: 10_000, idleTimeoutMs: 10_000, deadline: Date.now() + 10_000 });
    const drained = (async () => {
      for await (const frame of frames as AsyncGenerator<StreamFrame>) if (frame.kind === 'chunks') chunks.push(...frame.chunks.map((chunk) => Buffer.from(chunk).toString()));
    })();
    while (chunks.length === 0) await sleep(5);
    transport.loseConnection();
    await expect(drained).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(chunks).toEqual(['first']);
  });
});
