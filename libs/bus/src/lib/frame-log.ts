import { BUS_HEADERS } from '@aisbf/contracts';
import type { BusTransport } from './bus-transport';
import { FRAME } from './bus-client';

export interface LoggedFrame {
  frame: string;
  at: number;
}

/** Records the kind and time of every stream frame (heartbeats aside) a transport publishes: what the bus specs assert on. */
export function logFrames(transport: BusTransport): LoggedFrame[] {
  const frames: LoggedFrame[] = [];
  const publish = transport.publish.bind(transport);
  transport.publish = (subject, data, options) => {
    const frame = options?.headers?.[BUS_HEADERS.frame];
    if (frame && frame !== FRAME.heartbeat) frames.push({ frame, at: Date.now() });
    publish(subject, data, options);
  };
  return frames;
}
