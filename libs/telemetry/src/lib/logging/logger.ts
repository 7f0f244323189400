import pino, { Logger } from 'pino';
import { trace } from '@opentelemetry/api';
import { logDestination } from './log-destination';

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  // Anthropic's and Google's key headers.
  'headers["x-api-key"]',
  'headers["x-goog-api-key"]',
  '*.headers["x-api-key"]',
  '*.headers["x-goog-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.api_key',
  '*.apiKey',
  '*.token',
  '*.password',
  '*.sealedKey',
  '*.secret',
  'api_key',
  'token',
  'password',
];

/** JSON logs with the active trace and span id in every line. */
export function createLogger(service: string, level: string, destination: pino.DestinationStream = logDestination(1)): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const context = trace.getActiveSpan()?.spanContext();
      return context ? { trace_id: context.traceId, span_id: context.spanId } : {};
    },
  }, destination);
}

export type { Logger };
