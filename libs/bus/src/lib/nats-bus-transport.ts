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

/** NATS core: queue groups spread requests over replicas, plain subscriptions reach every replica. */
export class NatsBusTransport implements BusTransport {
  readonly name = 'nats';
  private connected = true;
  private readonly lostListeners: Array<() => void> = [];

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
    this.connection.publish(subject, data, { headers: toHeaders(options.headers), reply: options.reply });
  }

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
    await this.connection.drain();
  }
}
