import { sseEvents } from './aisbf-http';

export interface TimedEvent {
  /** Epoch ms at which the event was read. */
  at: number;
  data: string;
}

/**
 * Reads an SSE response as it arrives, noting when each data event came in (to tell a stream
 * relayed piece by piece from one batched at the end). `onEvent` sees each event as it is read.
 */
export async function readTimedEvents(response: Response, onEvent: (event: TimedEvent) => void = () => undefined): Promise<TimedEvent[]> {
  const events: TimedEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(piece, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const raw = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const data of sseEvents(`${raw}\n\n`)) {
        const event = { at: Date.now(), data };
        events.push(event);
        onEvent(event);
      }
    }
  }
  return events;
}
