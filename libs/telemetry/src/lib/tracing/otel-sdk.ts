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
import { AISBF_VERSION, setMetricsServiceName } from '../metrics/aisbf-metrics';
import { parseEnv } from '@aisbf/contracts';
import { redactedUrlAttributes } from './url-redaction';
import { maskSqlLiterals } from './sql-statement-masking';
import { TelemetryEnv, telemetryEnvSchema } from './telemetry-env';
import { setHttpTraceInstrumented } from './http-trace-propagation';

const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz']);

let sdk: NodeSDK | undefined;

function redactedQuery(path: string | undefined): Record<string, string> {
  const query = redactedUrlAttributes(path ?? '/', 'http://localhost')['url.query'];
  return query ? { 'url.query': query } : {};
}

/** True when the standard OTLP variables ask for export. */
export function otlpExportConfigured(env: TelemetryEnv): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_TRACES_EXPORTER !== 'none';
}

/**
 * Starts OpenTelemetry before anything else is loaded, so the instrumentations can patch the
 * modules they cover, and names the process for its metrics. Trace context always propagates (a
 * client's trace id reaches every hop, the upstream and every log line); spans are recorded and
 * exported over OTLP/HTTP (JSON) only when OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set (the exporter reads the other standard variables itself:
 * OTEL_EXPORTER_OTLP_HEADERS, ..._TIMEOUT, ...). Without an exporter, new root traces are not
 * sampled, so the hot path builds non-recording spans instead of full ones nobody reads; a
 * caller's sampled traceparent is still honoured.
 */
export function startTelemetry(serviceName: string, rawEnv: Record<string, string | undefined>): void {
  if (sdk) return;
  const env = parseEnv(telemetryEnvSchema, rawEnv);
  setMetricsServiceName(serviceName);
  const exporting = otlpExportConfigured(env);
  const spanProcessors: SpanProcessor[] = exporting
    ? [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY })]
    : [new NoopSpanProcessor()];
  const sampler: Sampler | undefined = exporting ? undefined : new ParentBasedSampler({ root: new AlwaysOffSampler() });
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? serviceName,
      [ATTR_SERVICE_VERSION]: AISBF_VERSION,
    }),
    spanProcessors,
    ...(sampler ? { sampler } : {}),
    // Metrics are Prometheus, on /metrics. Without this the SDK would add an OTLP metric reader
    // (to localhost:4318 when no endpoint is set) and the HTTP instrumentations would record
    // duration histograms on every request for it.
    metricReaders: [],
    logRecordProcessors: [],
    // Spans only when exporting: without an exporter, the request path carries the trace context
    // over HTTP itself (http-trace-propagation.ts) instead of paying for instrumentations that
    // would build spans nobody reads on every request.
    instrumentations: exporting
      ? [
          new HttpInstrumentation({
            ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]),
            // Request and response headers may carry tokens: record none.
            headersToSpanAttributes: { client: { requestHeaders: [], responseHeaders: [] }, server: { requestHeaders: [], responseHeaders: [] } },
            startIncomingSpanHook: (request) => redactedQuery(request.url),
          }),
          // Backend calls: some wires carry their key in the query string.
          new UndiciInstrumentation({ startSpanHook: (request) => redactedUrlAttributes(request.path, request.origin) }),
          new NestInstrumentation(),
          new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
          // Statements without their values: bound parameters are token hashes, sealed keys, user names.
          new MySQL2Instrumentation({ maskStatement: true, maskStatementHook: maskSqlLiterals }),
        ]
      : [],
  });
  sdk.start();
  setHttpTraceInstrumented(exporting);
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
  setHttpTraceInstrumented(false);
}
