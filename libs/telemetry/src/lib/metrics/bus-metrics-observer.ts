import type { AisbfMetrics } from './aisbf-metrics';

/**
 * Records bus round trips into aisbf_bus_request_duration_seconds. It has the shape of
 * @aisbf/bus's BusObserver (the bus stays free of any metrics library).
 */
export function busMetricsObserver(metrics: AisbfMetrics) {
  return {
    requestFinished(subject: string, seconds: number, outcome: 'ok' | 'error' | 'timeout' | 'no_responders'): void {
      metrics.m.busRequestDuration.observe({ subject, outcome }, seconds);
    },
  };
}
