import { BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { redactedUrlAttributes } from './url-redaction';
import { maskSqlLiterals } from './sql-statement-masking';
import { TelemetryEnv } from './telemetry-env';

/*
 * What only a process that exports spans needs: the OTLP exporter and the instrumentations that
 * record spans of HTTP, backend, Nest, Redis and MySQL calls. Loaded by otel-sdk.ts only when an
 * exporter is configured: about 6 MB of memory per process otherwise spent on code nobody runs.
 */

const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz']);

function redactedQuery(path: string | undefined): Record<string, string> {
  const query = redactedUrlAttributes(path ?? '/', 'http://localhost')['url.query'];
  return query ? { 'url.query': query } : {};
}

/** Patches the covered modules; must run before they are loaded. Returns the undo. */
export function registerExportInstrumentations(): () => void {
  return registerInstrumentations({
    instrumentations: [
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
    ],
  });
}

/** Finished spans, batched to the OTLP/HTTP endpoint (the exporter reads the standard OTEL_EXPORTER_OTLP_* variables). */
export function otlpSpanProcessor(env: TelemetryEnv): SpanProcessor {
  return new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY });
}
