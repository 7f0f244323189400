/** A message as the transport sees it: bytes plus string headers. */
export interface TransportMessage {
  subject: string;
  data: Uint8Array;
  headers: Record<string, string>;
  reply?: string;
  /** Set on the status message NATS sends to a reply subject when nobody listens on the request subject. */
  noResponders?: boolean;
}

export interface TransportSubscription {
  unsubscribe(): void;
}

export interface TransportPublishOptions {
  headers?: Record<string, string>;
  reply?: string;
}

/**
 * The small core both transports implement (NATS, and the in-process bus of the embedded mode).
 * Request/reply, streams, events and tracing are built once on top of it in BusClient/BusServer.
 */
export interface BusTransport {
  readonly name: string;
  publish(subject: string, data: Uint8Array, options?: TransportPublishOptions): void;
  /** Subscribes; with a queue group, each message goes to one member of the group. */
  subscribe(
    subject: string,
    callback: (message: TransportMessage) => void,
    options?: { queue?: string },
  ): TransportSubscription;
  /** A unique reply-subject prefix for this connection. */
  newInboxPrefix(): string;
  isConnected(): boolean;
  /** Calls `listener` each time the connection to the bus is lost (replies in flight will not arrive). */
  onConnectionLost(listener: () => void): void;
  /** Flushes pending messages and closes; subscriptions stop receiving. */
  close(): Promise<void>;
}
