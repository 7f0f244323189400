import { Worker } from 'node:worker_threads';
import { BUS_HEADERS, STREAM_LIVENESS } from '@aisbf/contracts';
import { BusClient, FRAME } from './bus-client';
import { NatsBusTransport } from './nats-bus-transport';
import { natsTransportOptions } from './nats-options';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * A responder on its own thread (its own event loop and NATS connection), so that it keeps beating
 * while the caller's thread is blocked: it beats every heartbeatMs and answers after `answerAfterMs`.
 */
const RESPONDER = `
const { workerData, parentPort } = require('node:worker_threads');
const { connect, headers } = require(workerData.nats);
(async () => {
  const nc = await connect({ servers: workerData.url });
  const frame = (reply, kind, seq, text) => {
    const h = headers();
    h.set(workerData.frameHeader, kind);
    if (seq !== undefined) h.set(workerData.seqHeader, String(seq));
    nc.publish(reply, new TextEncoder().encode(text ?? ''), { headers: h });
  };
  nc.subscribe(workerData.subject, {
    callback: (_error, message) => {
      const beats = setInterval(() => frame(message.reply, workerData.beat), workerData.heartbeatMs);
      frame(message.reply, workerData.beat);
      setTimeout(() => {
        clearInterval(beats);
        frame(message.reply, workerData.chunk, 0, 'still here');
        frame(message.reply, workerData.end, 1, '{"done":true}');
      }, workerData.answerAfterMs);
    },
  });
  await nc.flush();
  parentPort.postMessage('ready');
  parentPort.once('message', () => nc.drain().then(() => process.exit(0)));
})();
`;

function blockThread(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // a caller busy with other work (a burst of requests, a long garbage collection)
  }
}

describe('stream liveness with a busy caller (real NATS server)', () => {
  it('reads the beats that arrived while its own thread was blocked before taking the responder for gone', async () => {
    const namespace = `spec-${Math.random().toString(36).slice(2)}`;
    const transport = await NatsBusTransport.connect(natsTransportOptions({ url: NATS_URL, service: 'bus-spec' }));
    const client = new BusClient(transport, namespace);
    const answerAfterMs = STREAM_LIVENESS.timeoutMs * 3;
    const worker = new Worker(RESPONDER, {
      eval: true,
      workerData: {
        nats: require.resolve('nats'),
        url: NATS_URL,
        subject: `${namespace}.busy-caller`,
        frameHeader: BUS_HEADERS.frame,
        seqHeader: BUS_HEADERS.seq,
        beat: FRAME.heartbeat,
        chunk: FRAME.chunk,
        end: FRAME.end,
        heartbeatMs: STREAM_LIVENESS.heartbeatMs,
        answerAfterMs,
      },
    });
    try {
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      const chunks: string[] = [];
      const deadline = Date.now() + 10_000;
      const frames = client.stream('busy-caller', {}, { firstFrameTimeoutMs: 5_000, idleTimeoutMs: 5_000, deadline });
      // Once the first beat is heard, the caller's thread stops for longer than the liveness limit
      // (outside a timer callback, as a burst of socket reads would); the responder's beats
      // meanwhile wait in the socket, and its liveness timer is due before they are read.
      setTimeout(() => setImmediate(() => blockThread(STREAM_LIVENESS.timeoutMs + 400)), 100);
      for await (const frame of frames) if (frame.kind === 'chunks') chunks.push(...frame.chunks.map((c) => Buffer.from(c).toString()));
      expect(chunks).toEqual(['still here']);
    } finally {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
      client.close();
      await transport.close();
    }
  });
});
