// First: from here on, dependencies load without their source maps.
export * from './lib/source-map-scope';
export * from './lib/tracing/otel-sdk';
export * from './lib/tracing/span-attributes';
export * from './lib/tracing/aisbf-tracer';
export * from './lib/logging/logger';
export * from './lib/logging/nest-logger';
export * from './lib/metrics/metric-definitions';
export * from './lib/metrics/aisbf-metrics';
export * from './lib/metrics/bus-metrics-observer';
export * from './lib/health/readiness-registry';
export * from './lib/http/ops-http-server';
export * from './lib/telemetry.module';
export * from './lib/http/ops-env';
export * from './lib/tracing/generator-context';
export * from './lib/tracing/chat-end-attributes';
export * from './lib/tracing/url-redaction';
export * from './lib/tracing/telemetry-env';
