import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { detectResources, envDetector, hostDetector, osDetector, processDetector, resourceFromAttributes, serviceInstanceIdDetector } from '@opentelemetry/resources';
import { AlwaysOffSampler, BasicTracerProvider, NoopSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { AISBF_VERSION, setMetricsServiceName } from '../metrics/aisbf-metrics';
import { parseEnv } from '@aisbf/contracts';
import { TelemetryEnv, telemetryEnvSchema } from './telemetry-env';
import { setHttpTraceInstrumented } from './http-trace-propagation';

interface Running {
  provider: BasicTracerProvider | null;
  unregisterInstrumentations: () => void;
}

let running: Running | undefined;

/** True when the standard OTLP variables ask for export. */
export function otlpExportConfigured(env: TelemetryEnv): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_TRACES_EXPORTER !== 'none';
}

/**
 * Starts OpenTelemetry before anything else is loaded, so the instrumentations can patch the
 * modules they cover, and names the process for its metrics. Trace context always propagates (W3C
 * traceparent and baggage: a client's trace id reaches every hop, the upstream and every log line);
 * spans are recorded and exported over OTLP/HTTP (JSON) only when OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set (the exporter reads the other standard variables itself:
 * OTEL_EXPORTER_OTLP_HEADERS, ..._TIMEOUT, ...; the provider reads OTEL_TRACES_SAMPLER and the span
 * limits). Without an exporter, new root traces are not sampled, so the hot path builds
 * non-recording spans instead of full ones nobody reads; a caller's sampled traceparent is still
 * honoured. OTEL_SDK_DISABLED=true leaves OpenTelemetry out entirely.
 *
 * The tracer provider, context manager and propagator are set up directly rather than through
 * @opentelemetry/sdk-node, which loads every exporter, the logs and metrics SDKs and a 1.5 MB
 * configuration validator: about 18 MB of memory per process for none of AISBF's use.
 */
export function startTelemetry(serviceName: string, rawEnv: Record<string, string | undefined>): void {
  if (running) return;
  const env = parseEnv(telemetryEnvSchema, rawEnv);
  setMetricsServiceName(serviceName);
  if (rawEnv.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') {
    running = { provider: null, unregisterInstrumentations: () => undefined };
    return;
  }
  const exporting = otlpExportConfigured(env);
  // Loaded only when spans leave the process (see otel-export.ts).
  const exportSide = exporting ? (require('./otel-export') as typeof import('./otel-export')) : null;
  const unregisterInstrumentations = exportSide?.registerExportInstrumentations() ?? (() => undefined);

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  // OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME (the env detector) win over AISBF's own names.
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? serviceName,
    [ATTR_SERVICE_VERSION]: AISBF_VERSION,
  }).merge(detectResources({ detectors: [hostDetector, osDetector, serviceInstanceIdDetector, processDetector, envDetector] }));
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: exportSide ? [exportSide.otlpSpanProcessor(env)] : [new NoopSpanProcessor()],
    ...(exporting ? {} : { sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) }),
  });
  trace.setGlobalTracerProvider(provider);
  running = { provider, unregisterInstrumentations };
  setHttpTraceInstrumented(exporting);
}

/** Flushes and stops; the globals are released so telemetry can be started again in this process. */
export async function stopTelemetry(): Promise<void> {
  const stopping = running;
  running = undefined;
  setHttpTraceInstrumented(false);
  if (!stopping?.provider) return;
  await stopping.provider.shutdown().catch(() => undefined);
  stopping.unregisterInstrumentations();
  trace.disable();
  propagation.disable();
  context.disable();
}
