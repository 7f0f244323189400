import { AisbfError } from '@aisbf/contracts';
import { connect, createInbox, headers as natsHeaders, MsgHdrs, NatsConnection, Events } from 'nats';
import { BusTransport, TransportMessage, TransportPublishOptions, TransportSubscription } from './bus-transport';
import { NatsTransportOptions } from './nats-options';

function toRecord(hdrs: MsgHdrs | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (!hdrs) return record;
  for (const key of hdrs.keys()) record[key.toLowerCase()] = hdrs.get(key);
  return record;
}

function toHeaders(record: Record<string, string> | undefined): MsgHdrs | undefined {
  if (!record) return undefined;
  const keys = Object.keys(record);
  if (keys.length === 0) return undefined;
  const hdrs = natsHeaders();
  for (const key of keys) hdrs.set(key, record[key]);
  return hdrs;
}

interface Outgoing {
  subject: string;
  data: Uint8Array;
  headers: MsgHdrs | undefined;
  reply: string | undefined;
}

/**
 * NATS core: queue groups spread requests over replicas, plain subscriptions reach every replica.
 * The client library writes to its socket after each microtask checkpoint, so the chunks of one
 * upstream read, an outcome and the next request would each cost a system call. Here the first
 * message of an event-loop turn leaves at once and the ones after it in that turn share one write
 * at the turn's end. Order is kept.
 */
export class NatsBusTransport implements BusTransport {
  readonly name = 'nats';
  private connected = true;
  private readonly lostListeners: Array<() => void> = [];
  private outgoing: Outgoing[] = [];
  private flushScheduled = false;

  private constructor(private readonly connection: NatsConnection) {
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === Events.Disconnect) {
          this.connected = false;
          for (const listener of this.lostListeners) listener();
        }
        if (status.type === Events.Reconnect) this.connected = true;
      }
    })();
  }

  static async connect(options: NatsTransportOptions): Promise<NatsBusTransport> {
    const connection = await connect({
      servers: options.servers,
      name: options.connectionName,
      user: options.user,
      pass: options.pass,
      token: options.token,
      maxReconnectAttempts: -1,
      reconnectTimeWait: options.reconnectTimeWaitMs,
      pingInterval: options.pingIntervalMs,
      timeout: options.connectTimeoutMs,
      noEcho: false,
    });
    return new NatsBusTransport(connection);
  }

  publish(subject: string, data: Uint8Array, options: TransportPublishOptions = {}): void {
    const limit = this.connection.info?.max_payload;
    if (limit !== undefined && data.length > limit) {
      // A client's oversized body is its own problem to fix, not an internal error.
      throw new AisbfError(
        'payload_too_large',
        `message of ${data.length} bytes exceeds the bus limit of ${limit} bytes (NATS max_payload); send a smaller request or raise max_payload`,
      );
    }
    if (this.connection.isClosed()) throw new AisbfError('service_unavailable', 'the message bus connection is closed', { retryable: true });
    const headers = toHeaders(options.headers);
    if (!this.flushScheduled) {
      // The first message of a turn leaves at once (a stream's first chunk is not held back);
      // those after it in the same turn are written together when the turn ends.
      this.flushScheduled = true;
      setImmediate(this.flushOutgoing);
      this.connection.publish(subject, data, { headers, reply: options.reply });
      return;
    }
    this.outgoing.push({ subject, data, headers, reply: options.reply });
  }

  private readonly flushOutgoing = (): void => {
    this.flushScheduled = false;
    const batch = this.outgoing;
    this.outgoing = [];
    for (const message of batch) {
      try {
        this.connection.publish(message.subject, message.data, { headers: message.headers, reply: message.reply });
      } catch {
        // Closed meanwhile: the caller's timeout or liveness check reports the lost message.
      }
    }
  };

  subscribe(
    subject: string,
    callback: (message: TransportMessage) => void,
    options: { queue?: string } = {},
  ): TransportSubscription {
    const subscription = this.connection.subscribe(subject, {
      queue: options.queue,
      callback: (error, msg) => {
        if (error) return;
        const noResponders = msg.data.length === 0 && msg.headers?.hasError === true && msg.headers.code === 503;
        callback({
          subject: msg.subject,
          data: msg.data,
          headers: noResponders ? {} : toRecord(msg.headers),
          reply: msg.reply,
          noResponders,
        });
      },
    });
    return { unsubscribe: () => subscription.unsubscribe() };
  }

  newInboxPrefix(): string {
    return createInbox();
  }

  isConnected(): boolean {
    return this.connected && !this.connection.isClosed();
  }

  onConnectionLost(listener: () => void): void {
    this.lostListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.connection.isClosed()) return;
    this.flushOutgoing();
    await this.connection.drain();
  }
}
