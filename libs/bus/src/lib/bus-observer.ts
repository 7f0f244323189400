/** Hooks for metrics; the telemetry lib provides one, tests may leave it out. */
export interface BusObserver {
  requestFinished(subject: string, seconds: number, outcome: 'ok' | 'error' | 'timeout' | 'no_responders'): void;
}

export const NOOP_BUS_OBSERVER: BusObserver = { requestFinished: () => undefined };
