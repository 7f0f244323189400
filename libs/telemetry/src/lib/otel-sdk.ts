import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  NoopSpanProcessor,
  ParentBasedSampler,
  Sampler,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz']);

let sdk: NodeSDK | undefined;

/** True when the standard OTLP variables ask for export. */
export function otlpExportConfigured(env: Record<string, string | undefined>): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_TRACES_EXPORTER !== 'none';
}

/**
 * Starts OpenTelemetry before anything else is loaded, so the instrumentations can patch the
 * modules they cover. Trace context always propagates (a client's trace id reaches every hop,
 * the upstream and every log line); spans are recorded and exported only when
 * OTEL_EXPORTER_OTLP_* is set. Without an exporter, new root traces are not sampled, so the hot
 * path builds non-recording spans instead of full ones nobody reads; a caller's sampled
 * traceparent is still honoured.
 */
export function startTelemetry(serviceName: string, env: Record<string, string | undefined>): void {
  if (sdk) return;
  const exporting = otlpExportConfigured(env);
  const spanProcessors: SpanProcessor[] = exporting
    ? [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: Number(env.OTEL_BSP_SCHEDULE_DELAY ?? 1000) })]
    : [new NoopSpanProcessor()];
  const sampler: Sampler | undefined = exporting ? undefined : new ParentBasedSampler({ root: new AlwaysOffSampler() });
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? serviceName,
      [ATTR_SERVICE_VERSION]: env.npm_package_version ?? '0.1.0',
    }),
    spanProcessors,
    ...(sampler ? { sampler } : {}),
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]),
        // Request and response headers may carry tokens: record none.
        headersToSpanAttributes: { client: { requestHeaders: [], responseHeaders: [] }, server: { requestHeaders: [], responseHeaders: [] } },
      }),
      new NestInstrumentation(),
      new UndiciInstrumentation(),
      new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
      new MySQL2Instrumentation(),
    ],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
