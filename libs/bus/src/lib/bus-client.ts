import { context, Context } from '@opentelemetry/api';
import { AisbfError, BUS_HEADERS, errorPayloadSchema, STREAM_LIVENESS } from '@aisbf/contracts';
import { BusTransport, TransportMessage, TransportSubscription } from './bus-transport';
import { decodeJson, decodeText, encodeJson } from './json-codec';
import { endSpan, startProducerSpan } from './trace-propagation';
import { splitChunkRun } from './chunk-run';
import { BusObserver, NOOP_BUS_OBSERVER } from './bus-observer';
import { BEATS_TOKEN } from './shared-heartbeats';
import { FRAME } from './frame-kinds';

export interface RequestOptions {
  timeoutMs: number;
}

export interface StreamOptions {
  /** Longest wait for the first frame (the responder picking the request up and starting). */
  firstFrameTimeoutMs: number;
  /** Longest silence between two frames. */
  idleTimeoutMs: number;
  /** Absolute time (epoch ms) by which the terminal frame must have arrived. */
  deadline: number;
  /**
   * Longest silence of any kind (heartbeats included): past it the responder is taken for gone.
   * Before the first sign of life STREAM_LIVENESS.pickupMs is added. Default STREAM_LIVENESS.timeoutMs.
   */
  livenessTimeoutMs?: number;
  signal?: AbortSignal;
}

export type StreamFrame =
  /** The chunks that travelled in one message, in order: one consumer step per message, not per chunk. */
  | { kind: 'chunks'; seq: number; chunks: Uint8Array[] }
  | { kind: 'end'; seq: number; payload: unknown };

export { FRAME };

function errorFromReply(message: TransportMessage): AisbfError {
  const parsed = errorPayloadSchema.safeParse(decodeJson(message.data));
  return parsed.success ? AisbfError.fromPayload(parsed.data) : new AisbfError('internal_error', 'malformed error reply');
}

/** A call waiting for its reply frames; `lost` ends it when the connection to the bus goes. */
interface PendingCall {
  deliver(message: TransportMessage): void;
  lost(): void;
  /** A shared beat named this stream (see BUS_HEADERS.beats): noted, without waking the consumer. */
  heard?(at: number): void;
}

function busUnavailable(subject: string): AisbfError {
  return new AisbfError('service_unavailable', `the message bus is unreachable: ${subject} cannot be served now`, { retryable: true });
}

/**
 * Sends requests, streams and events. Replies of every call arrive on one wildcard inbox
 * subscription, so a call costs one publish, not a subscribe/unsubscribe round. While the bus is
 * unreachable, calls fail at once with service_unavailable instead of waiting out their timeouts:
 * the client learns the cause in milliseconds and nothing queues up for the reconnect.
 */
export class BusClient {
  private readonly inboxPrefix: string;
  private readonly inbox: TransportSubscription;
  private readonly pending = new Map<string, PendingCall>();
  private nextId = 0;

  constructor(
    private readonly transport: BusTransport,
    private readonly namespace: string,
    private readonly observer: BusObserver = NOOP_BUS_OBSERVER,
  ) {
    this.inboxPrefix = transport.newInboxPrefix();
    const offset = this.inboxPrefix.length + 1;
    this.inbox = transport.subscribe(`${this.inboxPrefix}.>`, (message) => {
      const id = message.subject.slice(offset);
      if (id === BEATS_TOKEN) this.heardBeats(message.data);
      else this.pending.get(id)?.deliver(message);
    });
    // Replies addressed to this connection while it is down are dropped by the server.
    transport.onConnectionLost(() => {
      for (const call of [...this.pending.values()]) call.lost();
    });
  }

  private heardBeats(data: Uint8Array): void {
    const at = Date.now();
    for (const id of decodeText(data).split(',')) this.pending.get(id)?.heard?.(at);
  }

  subject(subject: string): string {
    return this.namespace ? `${this.namespace}.${subject}` : subject;
  }

  isConnected(): boolean {
    return this.transport.isConnected();
  }

  async request(subject: string, payload: unknown, options: RequestOptions): Promise<unknown> {
    const full = this.subject(subject);
    const id = String(this.nextId++);
    const { span, headers } = startProducerSpan(full, 'send');
    const started = performance.now();
    let outcome: 'ok' | 'error' | 'timeout' | 'no_responders' = 'ok';
    try {
      if (!this.transport.isConnected()) {
        outcome = 'no_responders';
        throw busUnavailable(subject);
      }
      const message = await new Promise<TransportMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(id);
          outcome = 'timeout';
          reject(new AisbfError('gateway_timeout', `no reply on ${subject} within ${options.timeoutMs} ms`, { retryable: true }));
        }, options.timeoutMs);
        this.pending.set(id, {
          deliver: (reply) => {
            clearTimeout(timer);
            this.pending.delete(id);
            resolve(reply);
          },
          lost: () => {
            clearTimeout(timer);
            this.pending.delete(id);
            outcome = 'no_responders';
            reject(busUnavailable(subject));
          },
        });
        headers[BUS_HEADERS.deadline] = String(Date.now() + options.timeoutMs);
        this.transport.publish(full, encodeJson(payload), { reply: `${this.inboxPrefix}.${id}`, headers });
      });
      if (message.noResponders) {
        outcome = 'no_responders';
        throw new AisbfError('service_unavailable', `no service is answering ${subject}`, { retryable: true });
      }
      if (message.headers[BUS_HEADERS.status] === 'error') {
        outcome = 'error';
        throw errorFromReply(message);
      }
      return decodeJson(message.data);
    } catch (error) {
      if (outcome === 'ok') outcome = 'error';
      endSpan(span, AisbfError.from(error));
      throw error;
    } finally {
      if (outcome === 'ok') endSpan(span);
      this.observer.requestFinished(subject, (performance.now() - started) / 1000, outcome);
    }
  }

  /** A request answered by a sequence of frames ending with exactly one `end` (or a thrown error). */
  stream(subject: string, payload: unknown, options: StreamOptions): AsyncGenerator<StreamFrame, void, undefined> {
    return this.streamFrames(subject, payload, options, context.active());
  }

  private async *streamFrames(
    subject: string,
    payload: unknown,
    options: StreamOptions,
    caller: Context,
  ): AsyncGenerator<StreamFrame, void, undefined> {
    const full = this.subject(subject);
    const id = String(this.nextId++);
    const queue: TransportMessage[] = [];
    let wake: (() => void) | null = null;
    let lost: AisbfError | null = null;
    let beatHeardAt = 0;
    this.pending.set(id, {
      deliver: (message) => {
        queue.push(message);
        wake?.();
      },
      lost: () => {
        lost = busUnavailable(subject);
        wake?.();
      },
      heard: (at) => {
        beatHeardAt = at;
      },
    });
    const { span, headers } = startProducerSpan(full, 'send', caller);
    let failure: AisbfError | undefined;
    try {
      if (!this.transport.isConnected()) throw busUnavailable(subject);
      headers[BUS_HEADERS.deadline] = String(options.deadline);
      headers[BUS_HEADERS.beats] = this.inboxPrefix;
      this.transport.publish(full, encodeJson(payload), { reply: `${this.inboxPrefix}.${id}`, headers });
      let expected = 0;
      // Data (chunk) silence ends on the first-frame/idle limits; total silence means the responder
      // itself is gone. Its first sign of life is due STREAM_LIVENESS.firstBeatMs after pickup, and
      // pickup itself may wait while a busy responder works through a burst.
      const livenessMs = options.livenessTimeoutMs ?? STREAM_LIVENESS.timeoutMs;
      let lastData = Date.now();
      let lastHeard = lastData;
      // Until the responder is heard at all, its first beat may still be on the way.
      let grace: number = STREAM_LIVENESS.pickupMs;
      for (;;) {
        if (lost) throw lost;
        if (queue.length === 0) {
          if (beatHeardAt > lastHeard) {
            lastHeard = beatHeardAt;
            grace = 0;
          }
          const dataLimit = expected === 0 ? options.firstFrameTimeoutMs : options.idleTimeoutMs;
          const dataAt = Math.min(lastData + dataLimit, options.deadline);
          const beatAt = lastHeard + grace + livenessMs;
          const arrived = await this.waitForFrame(Math.min(dataAt, beatAt) - Date.now(), options.signal, (fn) => (wake = fn));
          wake = null;
          if (arrived === 'aborted') throw new AisbfError('internal_error', 'stream consumer cancelled');
          if (arrived === 'timeout') {
            // Shared beats do not wake the consumer: one heard meanwhile moves the limit.
            if (beatHeardAt > lastHeard) continue;
            if (beatAt < dataAt) {
              throw new AisbfError('service_unavailable', `the responder on ${subject} stopped (no heartbeat for ${Date.now() - lastHeard} ms)`, {
                retryable: true,
              });
            }
            const waited = Math.max(0, dataAt - lastData);
            if (expected === 0) {
              throw new AisbfError('gateway_timeout', `no answer on ${subject} within ${waited} ms`, { retryable: true });
            }
            throw new AisbfError('upstream_timeout', `stream stalled: no data for ${waited} ms`, { retryable: true });
          }
          continue;
        }
        const message = queue.shift() as TransportMessage;
        if (message.noResponders) {
          throw new AisbfError('service_unavailable', `no service is answering ${subject}`, { retryable: true });
        }
        lastHeard = Date.now();
        grace = 0;
        if (message.headers[BUS_HEADERS.frame] === FRAME.heartbeat) continue;
        lastData = lastHeard;
        const seq = Number(message.headers[BUS_HEADERS.seq]);
        if (seq !== expected) {
          throw new AisbfError('upstream_stream_broken', `stream frames lost (expected ${expected}, got ${seq})`, {
            retryable: expected === 0,
          });
        }
        expected++;
        const frame = message.headers[BUS_HEADERS.frame];
        if (frame === FRAME.chunk || frame === FRAME.last) {
          const chunks = splitChunkRun(message.data, message.headers[BUS_HEADERS.sizes]);
          if (chunks.length === 0) throw new AisbfError('upstream_stream_broken', `frame ${seq} on ${subject} has a malformed chunk list`, { retryable: expected === 1 });
          yield { kind: 'chunks', seq, chunks };
          if (frame === FRAME.last) {
            yield { kind: 'end', seq, payload: JSON.parse(message.headers[BUS_HEADERS.end] ?? 'null') };
            return;
          }
        } else if (frame === FRAME.end) {
          yield { kind: 'end', seq, payload: decodeJson(message.data) };
          return;
        } else {
          throw errorFromReply(message);
        }
      }
    } catch (error) {
      failure = AisbfError.from(error);
      throw error;
    } finally {
      this.pending.delete(id);
      endSpan(span, failure);
    }
  }

  private waitForFrame(
    ms: number,
    signal: AbortSignal | undefined,
    setWake: (fn: () => void) => void,
  ): Promise<'arrived' | 'timeout' | 'aborted'> {
    if (ms <= 0) return Promise.resolve('timeout');
    if (signal?.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      const onAbort = () => finish('aborted');
      // A timer runs before the socket reads of its loop turn: after a busy stretch, frames may be
      // waiting unread. Deciding in setImmediate lets those reads deliver them first.
      const timer = setTimeout(() => setImmediate(() => finish('timeout')), ms);
      function finish(result: 'arrived' | 'timeout' | 'aborted') {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      setWake(() => finish('arrived'));
    });
  }

  publish(subject: string, payload: unknown): void {
    const full = this.subject(subject);
    const { span, headers } = startProducerSpan(full, 'publish');
    this.transport.publish(full, encodeJson(payload), { headers });
    endSpan(span);
  }

  close(): void {
    this.inbox.unsubscribe();
  }
}
