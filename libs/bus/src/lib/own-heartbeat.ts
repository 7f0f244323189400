import { BUS_HEADERS, STREAM_LIVENESS } from '@aisbf/contracts';
import type { BusTransport } from './bus-transport';
import { FRAME } from './frame-kinds';
import type { BeatingStream } from './shared-heartbeats';

const EMPTY = new Uint8Array(0);

/**
 * The heartbeats of one stream on its own reply subject, for a caller that does not take shared
 * beats (BUS_HEADERS.beats): firstBeatMs after pickup, then every heartbeatMs without a frame.
 */
export class OwnHeartbeat implements BeatingStream {
  private lastFrameAt = 0;
  private readonly firstBeat: NodeJS.Timeout;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly transport: BusTransport,
    private readonly reply: string,
  ) {
    // The first beat waits a little: most plain answers are done by then and need none.
    this.firstBeat = setTimeout(() => {
      this.beat();
      this.heartbeat = setInterval(() => this.beat(), STREAM_LIVENESS.heartbeatMs);
      this.heartbeat.unref();
    }, STREAM_LIVENESS.firstBeatMs);
    this.firstBeat.unref();
  }

  framed(at: number): void {
    this.lastFrameAt = at;
  }

  close(): void {
    clearTimeout(this.firstBeat);
    clearInterval(this.heartbeat);
  }

  /** Carries no sequence number. A frame sent recently says the same, so busy streams send none. */
  private beat(): void {
    // Only frames count here: a beat's own timestamp would make the next tick, a timer jitter
    // early, skip its beat and leave a gap of twice heartbeatMs.
    if (Date.now() - this.lastFrameAt < STREAM_LIVENESS.heartbeatMs) return;
    try {
      this.transport.publish(this.reply, EMPTY, { headers: { [BUS_HEADERS.frame]: FRAME.heartbeat } });
    } catch {
      // A closing connection: the caller's liveness timeout reports what happened.
    }
  }
}
