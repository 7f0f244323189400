import { randomUUID } from 'node:crypto';
import { BusTransport, TransportMessage, TransportPublishOptions, TransportSubscription } from './bus-transport';

interface Subscriber {
  pattern: string[];
  callback: (message: TransportMessage) => void;
  queue?: string;
  closed: boolean;
}

/** NATS subject matching: `*` matches one token, `>` the rest. */
function matches(pattern: string[], subject: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const token = pattern[i];
    if (token === '>') return subject.length > i;
    if (i >= subject.length) return false;
    if (token !== '*' && token !== subject[i]) return false;
  }
  return pattern.length === subject.length;
}

/**
 * The embedded mode's bus: NATS core semantics (queue groups, wildcards, no-responders status)
 * inside one process. Delivery is asynchronous, as on a network, so handlers never run re-entrantly.
 */
export class InProcessBusTransport implements BusTransport {
  readonly name = 'in-process';
  private readonly subscribers = new Set<Subscriber>();
  private readonly queueCursor = new Map<string, number>();
  private closed = false;

  publish(subject: string, data: Uint8Array, options: TransportPublishOptions = {}): void {
    if (this.closed) return;
    const tokens = subject.split('.');
    const plain: Subscriber[] = [];
    const groups = new Map<string, Subscriber[]>();
    for (const subscriber of this.subscribers) {
      if (!matches(subscriber.pattern, tokens)) continue;
      if (subscriber.queue) {
        const group = groups.get(subscriber.queue) ?? [];
        group.push(subscriber);
        groups.set(subscriber.queue, group);
      } else plain.push(subscriber);
    }
    const targets = [...plain];
    for (const [queue, members] of groups) {
      // One cursor per group, not per subject: subjects may carry ids, and this map lives as long as the process.
      const cursor = this.queueCursor.get(queue) ?? 0;
      this.queueCursor.set(queue, cursor + 1);
      targets.push(members[cursor % members.length]);
    }
    const message: TransportMessage = { subject, data, headers: { ...(options.headers ?? {}) }, reply: options.reply };
    if (targets.length === 0) {
      if (options.reply) {
        const reply = options.reply;
        queueMicrotask(() => this.publishStatus(reply));
      }
      return;
    }
    for (const target of targets) {
      setImmediate(() => {
        if (!target.closed) target.callback(message);
      });
    }
  }

  private publishStatus(reply: string): void {
    const tokens = reply.split('.');
    for (const subscriber of this.subscribers) {
      if (matches(subscriber.pattern, tokens)) {
        subscriber.callback({ subject: reply, data: new Uint8Array(), headers: {}, noResponders: true });
      }
    }
  }

  subscribe(
    subject: string,
    callback: (message: TransportMessage) => void,
    options: { queue?: string } = {},
  ): TransportSubscription {
    const subscriber: Subscriber = { pattern: subject.split('.'), callback, queue: options.queue, closed: false };
    this.subscribers.add(subscriber);
    return {
      unsubscribe: () => {
        subscriber.closed = true;
        this.subscribers.delete(subscriber);
      },
    };
  }

  newInboxPrefix(): string {
    return `_INBOX.${randomUUID().replace(/-/g, '')}`;
  }

  isConnected(): boolean {
    return !this.closed;
  }

  /** An in-process bus has no connection to lose: the listener is never called. */
  onConnectionLost(listener: () => void): void {
    void listener;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const subscriber of this.subscribers) subscriber.closed = true;
    this.subscribers.clear();
  }
}
