import { context } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { httpTraceInstrumented, incomingTraceContext } from '@aisbf/telemetry';

/**
 * Runs every handler in the trace context of the request's `traceparent`, so a client's trace id
 * reaches the bus messages, the backend call and the log lines. Registered before the body is
 * read would not do: the body arrives in the socket's own async context. While spans are exported,
 * the HTTP instrumentation does this itself.
 */
export function joinIncomingTrace(fastify: FastifyInstance): void {
  if (httpTraceInstrumented()) return;
  fastify.addHook('preHandler', (request, _reply, done) => {
    context.with(incomingTraceContext(request.headers), done);
  });
}
