import { context, trace } from '@opentelemetry/api';
import { AisbfError, BUS_HEADERS, STREAM_LIVENESS } from '@aisbf/contracts';
import type { ZodType, ZodTypeDef } from 'zod';
import { BusTransport, TransportMessage, TransportSubscription } from './bus-transport';
import { decodeJson, encodeJson, encodeText } from './json-codec';
import { endSpan, extractContext, startConsumerSpan } from './trace-propagation';
import { FRAME } from './bus-client';
import { HeldChunk } from './held-chunk';
import { ChunkRun, MAX_RUN_BYTES } from './chunk-run';

export interface HandlerContext {
  headers: Record<string, string>;
  /** Epoch ms by which the caller stops waiting, when it said so. */
  deadline?: number;
}

const EMPTY = new Uint8Array(0);

type Schema<T> = ZodType<T, ZodTypeDef, unknown>;
export type StreamHandler<T> = (payload: T, ctx: HandlerContext) => AsyncGenerator<Uint8Array | string | HeldChunk, unknown, undefined>;

interface HandlerOptions {
  /** Deliver to every replica (no queue group), e.g. configuration invalidation. */
  broadcast?: boolean;
  /** A queue group of its own, for a second consumer of a subject this service already consumes. */
  queue?: string;
}

function parse<T>(schema: Schema<T>, subject: string, message: TransportMessage): T {
  let raw: unknown;
  try {
    raw = decodeJson(message.data);
  } catch {
    throw new AisbfError('invalid_request', `message on ${subject} is not JSON`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AisbfError('invalid_request', `invalid ${subject} message at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/**
 * Receives requests, streams and events for one service. Queue group = service name, so replicas
 * share the work; each message is handled inside the sender's trace context with a CONSUMER span.
 */
export class BusServer {
  private readonly subscriptions: TransportSubscription[] = [];

  constructor(
    private readonly transport: BusTransport,
    private readonly namespace: string,
    private readonly service: string,
  ) {}

  private subject(subject: string): string {
    return this.namespace ? `${this.namespace}.${subject}` : subject;
  }

  private listen(subject: string, options: HandlerOptions, run: (message: TransportMessage) => Promise<void>): void {
    const full = this.subject(subject);
    const subscription = this.transport.subscribe(
      full,
      (message) => {
        const span = startConsumerSpan(full, extractContext(message.headers));
        context
          .with(trace.setSpan(context.active(), span), () => run(message))
          .then(
            () => endSpan(span),
            (error) => endSpan(span, AisbfError.from(error)),
          );
      },
      { queue: options.broadcast ? undefined : (options.queue ?? this.service) },
    );
    this.subscriptions.push(subscription);
  }

  private context(message: TransportMessage): HandlerContext {
    const deadline = Number(message.headers[BUS_HEADERS.deadline]);
    return { headers: message.headers, deadline: Number.isFinite(deadline) ? deadline : undefined };
  }

  onRequest<T>(subject: string, schema: Schema<T>, handler: (payload: T, ctx: HandlerContext) => Promise<unknown>): void {
    this.listen(subject, {}, async (message) => {
      if (!message.reply) return;
      try {
        const result = await handler(parse(schema, subject, message), this.context(message));
        this.transport.publish(message.reply, encodeJson(result ?? null));
      } catch (error) {
        const failure = AisbfError.from(error);
        this.transport.publish(message.reply, encodeJson(failure.toPayload()), {
          headers: { [BUS_HEADERS.status]: 'error' },
        });
        throw failure;
      }
    });
  }

  onStream<T>(subject: string, schema: Schema<T>, handler: StreamHandler<T>): void {
    this.listen(subject, {}, async (message) => {
      const reply = message.reply;
      if (!reply) return;
      let seq = 0;
      let lastFrameAt = 0;
      const send = (frame: string, data: Uint8Array, extra: Record<string, string> = {}) => {
        lastFrameAt = Date.now();
        this.transport.publish(reply, data, { headers: { [BUS_HEADERS.frame]: frame, [BUS_HEADERS.seq]: String(seq++), ...extra } });
      };
      // Heartbeats say "this responder is alive" while the upstream is silent; they carry no sequence
      // number. A frame sent recently says it already, so busy streams send none.
      const beat = () => {
        // Only frames count here: a beat's own timestamp would make the next tick, a timer jitter
        // early, skip its beat and leave a gap of twice heartbeatMs.
        if (Date.now() - lastFrameAt < STREAM_LIVENESS.heartbeatMs) return;
        try {
          this.transport.publish(reply, EMPTY, { headers: { [BUS_HEADERS.frame]: FRAME.heartbeat } });
        } catch {
          // A closing connection: the caller's liveness timeout reports what happened.
        }
      };
      // The first beat waits a little: most plain answers are done by then and need none.
      let heartbeat: NodeJS.Timeout | undefined;
      const firstBeat = setTimeout(() => {
        beat();
        heartbeat = setInterval(beat, STREAM_LIVENESS.heartbeatMs);
        heartbeat.unref();
      }, STREAM_LIVENESS.firstBeatMs);
      firstBeat.unref();
      // Chunks the handler yields without waiting for I/O (the events of one upstream read) leave
      // in one message when the current turn's work is done: no delay, far fewer messages.
      const pending = new ChunkRun();
      let flushScheduled = false;
      let flushFailure: unknown = null;
      const flush = () => {
        flushScheduled = false;
        if (pending.count === 0) return;
        const { data, sizes } = pending.take();
        send(FRAME.chunk, data, sizes ? { [BUS_HEADERS.sizes]: sizes } : {});
      };
      const flushLater = () => {
        try {
          flush();
        } catch (error) {
          flushFailure = error;
        }
      };
      const add = (data: Uint8Array) => {
        if (pending.bytes + data.length > MAX_RUN_BYTES) flush();
        pending.add(data);
        if (!flushScheduled) {
          flushScheduled = true;
          process.nextTick(flushLater);
        }
      };
      // A held chunk waits for the end (or the next chunk); it is always the last pending one.
      let held: Uint8Array | null = null;
      const releaseHeld = () => {
        if (held) add(held);
        held = null;
      };
      try {
        const frames = handler(parse(schema, subject, message), this.context(message));
        for (;;) {
          const next = await frames.next();
          if (flushFailure) throw flushFailure;
          if (next.done) {
            releaseHeld();
            if (pending.count === 0) {
              send(FRAME.end, encodeJson(next.value ?? null));
              return;
            }
            // The last chunks and the end share one message, the end payload in a header.
            const { data, sizes } = pending.take();
            send(FRAME.last, data, { [BUS_HEADERS.end]: JSON.stringify(next.value ?? null), ...(sizes ? { [BUS_HEADERS.sizes]: sizes } : {}) });
            return;
          }
          releaseHeld();
          if (next.value instanceof HeldChunk) held = next.value.data;
          else add(typeof next.value === 'string' ? encodeText(next.value) : next.value);
        }
      } catch (error) {
        const failure = AisbfError.from(error);
        releaseHeld();
        flush();
        send(FRAME.error, encodeJson(failure.toPayload()));
        throw failure;
      } finally {
        clearTimeout(firstBeat);
        clearInterval(heartbeat);
      }
    });
  }

  onEvent<T>(
    subject: string,
    schema: Schema<T>,
    handler: (payload: T, ctx: HandlerContext) => void | Promise<void>,
    options: HandlerOptions = {},
  ): void {
    this.listen(subject, options, async (message) => {
      await handler(parse(schema, subject, message), this.context(message));
    });
  }

  close(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }
}
