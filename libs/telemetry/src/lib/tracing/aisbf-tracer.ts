import { Attributes, context, Context, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/** The tracer of AISBF's own spans (instrumentation libraries have theirs). */
export const aisbfTracer = trace.getTracer('aisbf');

export interface StartedSpan {
  span: Span;
  /** The active context with this span in it: run child work inside it. */
  context: Context;
}

export function startSpan(name: string, kind: SpanKind, attributes: Attributes, parent: Context = context.active()): StartedSpan {
  const span = aisbfTracer.startSpan(name, { kind, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Marks a span failed with an error code only: error messages may quote upstream bodies. */
export function failSpan(span: Span, code: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
  span.setAttribute('error.type', code);
}

/** The ids pino writes into a log line, for a span that may not be the active one. */
export function traceIds(span: Span): { trace_id: string; span_id: string } {
  const ids = span.spanContext();
  return { trace_id: ids.traceId, span_id: ids.spanId };
}
