import { context, propagation, Context, SpanKind, trace, Span, SpanStatusCode } from '@opentelemetry/api';

const tracer = trace.getTracer('aisbf-bus');

/**
 * Starts a PRODUCER span for a message and returns headers carrying its W3C trace context.
 * `parent` defaults to the active context; a stream passes the context it was called in, since
 * its generator body runs later, wherever the consumer pulls the first frame.
 */
export function startProducerSpan(
  subject: string,
  operation: string,
  parent: Context = context.active(),
): { span: Span; headers: Record<string, string> } {
  const span = tracer.startSpan(
    `${operation} ${subject}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.operation.type': operation },
    },
    parent,
  );
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return { span, headers };
}

/** The context a received message was sent from, for its CONSUMER span to join the same trace. */
export function extractContext(headers: Record<string, string>): Context {
  return propagation.extract(context.active(), headers);
}

export function startConsumerSpan(subject: string, parent: Context): Span {
  return tracer.startSpan(
    `process ${subject}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.operation.type': 'process' },
    },
    parent,
  );
}

export function endSpan(span: Span, error?: { code: string; message: string }): void {
  if (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.code });
    span.setAttribute('error.type', error.code);
  }
  span.end();
}
