import { createParser, EventSourceMessage } from 'eventsource-parser';

/**
 * Incremental server-sent-events decoder over eventsource-parser: feed it bytes as they arrive,
 * it hands back complete events (event name, data) in order.
 */
export class SseDecoder {
  private readonly events: EventSourceMessage[] = [];
  private readonly decoder = new TextDecoder();
  private readonly parser = createParser({ onEvent: (event) => this.events.push(event) });

  push(bytes: Uint8Array): EventSourceMessage[] {
    this.parser.feed(this.decoder.decode(bytes, { stream: true }));
    return this.events.splice(0);
  }

  end(): EventSourceMessage[] {
    this.parser.feed(this.decoder.decode() + '\n\n');
    return this.events.splice(0);
  }
}

export type { EventSourceMessage };
