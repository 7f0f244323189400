import { BUS_HEADERS } from '@aisbf/contracts';
import { BusClient, FRAME, StreamFrame } from './bus-client';
import { BusServer } from './bus-server';
import type { BusTransport } from './bus-transport';
import { InProcessBusTransport } from './in-process-bus-transport';
import { NatsBusTransport } from './nats-bus-transport';
import { natsTransportOptions } from './nats-options';

/** The bus specs run over both transports: NATS encodes headers and splits writes its own way. */
export function testTransports(natsUrl: string): Array<[string, () => Promise<BusTransport>]> {
  return [
    ['in-process', async () => new InProcessBusTransport()],
    ['NATS', () => NatsBusTransport.connect(natsTransportOptions({ url: natsUrl, service: 'bus-spec' }))],
  ];
}

export interface LoggedFrame {
  frame: string;
  at: number;
}

export interface Received {
  /** A chunk's text, the end payload, or the error that ended the stream. */
  value: unknown;
  at: number;
}

/** A client and a server on one transport, with every stream frame (heartbeats aside) the transport publishes. */
export interface StreamTestPair {
  transport: BusTransport;
  client: BusClient;
  server: BusServer;
  namespace: string;
  frames: LoggedFrame[];
  /** Everything one stream of `subject` delivers, with arrival times. */
  collect(subject: string): Promise<Received[]>;
  close(): Promise<void>;
}

export async function openStreamTestPair(connect: () => Promise<BusTransport>): Promise<StreamTestPair> {
  const transport = await connect();
  // A namespace of its own: runs of these specs at once share the NATS server.
  const namespace = `spec-${Math.random().toString(36).slice(2)}`;
  const client = new BusClient(transport, namespace);
  const server = new BusServer(transport, namespace, 'svc');
  const frames: LoggedFrame[] = [];
  const publish = transport.publish.bind(transport);
  transport.publish = (subject, data, options) => {
    const frame = options?.headers?.[BUS_HEADERS.frame];
    if (frame && frame !== FRAME.heartbeat) frames.push({ frame, at: Date.now() });
    publish(subject, data, options);
  };
  const values = (frame: StreamFrame) => (frame.kind === 'chunks' ? frame.chunks.map((chunk) => Buffer.from(chunk).toString()) : [frame.payload]);
  return {
    transport,
    client,
    server,
    namespace,
    frames,
    async collect(subject) {
      const out: Received[] = [];
      try {
        const options = { firstFrameTimeoutMs: 5_000, idleTimeoutMs: 5_000, deadline: Date.now() + 10_000 };
        for await (const frame of client.stream(subject, {}, options)) for (const value of values(frame)) out.push({ value, at: Date.now() });
      } catch (error) {
        out.push({ value: error, at: Date.now() });
      }
      return out;
    },
    async close() {
      server.close();
      client.close();
      await transport.close();
    },
  };
}
