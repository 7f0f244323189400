import { context, trace } from '@opentelemetry/api';
import { AisbfError, BUS_HEADERS } from '@aisbf/contracts';
import type { ZodType, ZodTypeDef } from 'zod';
import { BusTransport, TransportMessage, TransportSubscription } from './bus-transport';
import { decodeJson, encodeJson, encodeText } from './json-codec';
import { endSpan, extractContext, startConsumerSpan } from './trace-propagation';
import { HeldChunk } from './held-chunk';
import { chunkList, StreamChunks } from './stream-chunks';
import { SharedHeartbeats } from './shared-heartbeats';
import { StreamReply } from './stream-reply';

export interface HandlerContext {
  headers: Record<string, string>;
  /** Epoch ms by which the caller stops waiting, when it said so. */
  deadline?: number;
}

type Schema<T> = ZodType<T, ZodTypeDef, unknown>;
export type StreamHandler<T> = (payload: T, ctx: HandlerContext) => AsyncGenerator<StreamChunks | string | HeldChunk, unknown, undefined>;

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
  private readonly heartbeats: SharedHeartbeats;

  constructor(
    private readonly transport: BusTransport,
    private readonly namespace: string,
    private readonly service: string,
  ) {
    this.heartbeats = new SharedHeartbeats(transport);
  }

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
      const prefix = message.headers[BUS_HEADERS.beats];
      const shared = prefix && reply.startsWith(`${prefix}.`) ? { heartbeats: this.heartbeats, prefix } : undefined;
      const stream = new StreamReply(this.transport, reply, shared);
      try {
        const frames = handler(parse(schema, subject, message), this.context(message));
        for (;;) {
          const next = await frames.next();
          if (next.done) return stream.end(next.value);
          const value = next.value;
          if (value instanceof HeldChunk) stream.hold(value.data);
          else if (typeof value === 'string') stream.chunk(encodeText(value));
          else for (const chunk of chunkList(value)) stream.chunk(chunk);
        }
      } catch (error) {
        const failure = AisbfError.from(error);
        stream.error(failure.toPayload());
        throw failure;
      } finally {
        stream.close();
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
