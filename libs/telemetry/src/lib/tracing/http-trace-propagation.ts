import { context, Context, propagation } from '@opentelemetry/api';

/**
 * Whether OpenTelemetry's HTTP and undici instrumentations are loaded (only while spans are
 * exported). They carry the W3C trace context over HTTP themselves; without them, the few places
 * that receive or send HTTP on the request path do it with the two functions below, which cost a
 * header read or write instead of an instrumentation on every request.
 */
let instrumented = false;

export function setHttpTraceInstrumented(value: boolean): void {
  instrumented = value;
}

export function httpTraceInstrumented(): boolean {
  return instrumented;
}

/** The context an incoming request's `traceparent` names, or the active one when there is none (or instrumentation already made it). */
export function incomingTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return instrumented ? context.active() : propagation.extract(context.active(), headers);
}

/** Adds the active trace context to an outgoing request's headers, unless instrumentation will. */
export function withTraceHeaders(headers: Record<string, string>): Record<string, string> {
  if (instrumented) return headers;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? { ...headers, ...carrier } : headers;
}
