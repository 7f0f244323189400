import { BUS_HEADERS, STREAM_LIVENESS } from '@aisbf/contracts';
import type { BusTransport } from './bus-transport';
import { FRAME } from './frame-kinds';

/** The subject under a caller's inbox prefix that receives the shared beats of its streams. */
export const BEATS_TOKEN = 'beats';

/** One stream's heartbeats, shared with its caller's other streams or its own (OwnHeartbeat). */
export interface BeatingStream {
  /** A frame went out: the caller heard from this stream, no beat due for a while. */
  framed(at: number): void;
  close(): void;
}

interface Entry {
  id: string;
  lastSignAt: number;
}

// A beat is due once heartbeatMs passed since the last sign of life; the tick may come a little
// early, and waiting for the next one would leave a gap of heartbeatMs + tick.
const TICK_MS = STREAM_LIVENESS.firstBeatMs;
const DUE_AFTER_MS = STREAM_LIVENESS.heartbeatMs - TICK_MS / 2;

/**
 * Heartbeats of every stream a server answers, sent per caller: one message every tick at most to
 * each caller with streams due a beat, listing their ids, instead of a timer and a message per
 * stream. A connector with thousands of open streams waiting on slow backends would otherwise send
 * thousands of messages a second just to say it is alive.
 */
export class SharedHeartbeats {
  private readonly callers = new Map<string, Set<Entry>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly transport: BusTransport) {}

  /** Registers a stream whose reply subject is `<prefix>.<id>`. */
  add(prefix: string, id: string): BeatingStream {
    const now = Date.now();
    // The first beat is due firstBeatMs after pickup: most answers are done by then and need none.
    const entry: Entry = { id, lastSignAt: now - DUE_AFTER_MS + STREAM_LIVENESS.firstBeatMs };
    let streams = this.callers.get(prefix);
    if (!streams) this.callers.set(prefix, (streams = new Set()));
    streams.add(entry);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref();
    }
    return {
      framed: (at) => {
        entry.lastSignAt = at;
      },
      close: () => {
        if (!streams.delete(entry)) return;
        if (streams.size === 0) this.callers.delete(prefix);
        if (this.callers.size === 0) {
          clearInterval(this.timer);
          this.timer = undefined;
        }
      },
    };
  }

  private tick(): void {
    const now = Date.now();
    for (const [prefix, streams] of this.callers) {
      const due: string[] = [];
      for (const entry of streams) {
        if (now - entry.lastSignAt < DUE_AFTER_MS) continue;
        entry.lastSignAt = now;
        due.push(entry.id);
      }
      if (due.length === 0) continue;
      try {
        this.transport.publish(`${prefix}.${BEATS_TOKEN}`, Buffer.from(due.join(',')), { headers: { [BUS_HEADERS.frame]: FRAME.heartbeat } });
      } catch {
        // A closing connection: the callers' liveness timeouts report what happened.
      }
    }
  }
}
