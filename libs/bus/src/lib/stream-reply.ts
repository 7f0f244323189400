import { BUS_HEADERS } from '@aisbf/contracts';
import type { BusTransport } from './bus-transport';
import { FRAME } from './frame-kinds';
import { ChunkRun, MAX_RUN_BYTES } from './chunk-run';
import { encodeJson } from './json-codec';
import { OwnHeartbeat } from './own-heartbeat';
import { BeatingStream, SharedHeartbeats } from './shared-heartbeats';

/**
 * The frames of one stream reply, in order with their sequence numbers:
 * - chunks the handler yields without waiting for I/O (the events of one upstream read) leave in
 *   one message when the current turn's work is done: no delay, far fewer messages;
 * - a held chunk waits for the end, which it then shares a message with, or for the next chunk;
 * - heartbeats say "this responder is alive" while nothing else is sent.
 */
export class StreamReply {
  private seq = 0;
  private readonly run = new ChunkRun();
  private held: Uint8Array | null = null;
  private flushScheduled = false;
  /** A send that failed in the deferred flush, thrown at the handler's next step. */
  private failure: unknown = null;
  private readonly beating: BeatingStream;

  /** `shared`: the caller takes its streams' beats together (BUS_HEADERS.beats); else this stream beats on its own. */
  constructor(
    private readonly transport: BusTransport,
    private readonly reply: string,
    shared?: { heartbeats: SharedHeartbeats; prefix: string },
  ) {
    this.beating = shared
      ? shared.heartbeats.add(shared.prefix, reply.slice(shared.prefix.length + 1))
      : new OwnHeartbeat(transport, reply);
  }

  chunk(data: Uint8Array): void {
    this.throwFailure();
    this.releaseHeld();
    this.add(data);
  }

  hold(data: Uint8Array): void {
    this.throwFailure();
    this.releaseHeld();
    this.held = data;
  }

  /** The last chunks and the end share one message, the end payload in a header. */
  end(payload: unknown): void {
    this.throwFailure();
    this.releaseHeld();
    if (this.run.count === 0) return this.send(FRAME.end, encodeJson(payload ?? null));
    const { data, sizes } = this.run.take();
    this.send(FRAME.last, data, { [BUS_HEADERS.end]: JSON.stringify(payload ?? null), ...(sizes ? { [BUS_HEADERS.sizes]: sizes } : {}) });
  }

  /** Whatever was produced goes first, then the error. */
  error(payload: unknown): void {
    this.releaseHeld();
    this.flush();
    this.send(FRAME.error, encodeJson(payload));
  }

  close(): void {
    this.beating.close();
  }

  private add(data: Uint8Array): void {
    if (this.run.bytes + data.length > MAX_RUN_BYTES) this.flush();
    this.run.add(data);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => {
      try {
        this.flush();
      } catch (error) {
        this.failure = error;
      }
    });
  }

  private releaseHeld(): void {
    if (this.held) this.add(this.held);
    this.held = null;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.run.count === 0) return;
    const { data, sizes } = this.run.take();
    this.send(FRAME.chunk, data, sizes ? { [BUS_HEADERS.sizes]: sizes } : {});
  }

  private throwFailure(): void {
    if (this.failure) throw this.failure;
  }

  private send(frame: string, data: Uint8Array, extra: Record<string, string> = {}): void {
    this.beating.framed(Date.now());
    this.transport.publish(this.reply, data, { headers: { [BUS_HEADERS.frame]: frame, [BUS_HEADERS.seq]: String(this.seq++), ...extra } });
  }
}
