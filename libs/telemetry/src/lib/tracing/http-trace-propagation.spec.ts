import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { incomingTraceContext, setHttpTraceInstrumented, withTraceHeaders } from './http-trace-propagation';

describe('HTTP trace propagation without instrumentation', () => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const manager = new AsyncLocalStorageContextManager().enable();

  beforeAll(() => {
    context.setGlobalContextManager(manager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    context.disable();
    propagation.disable();
  });
  afterEach(() => setHttpTraceInstrumented(false));

  it("carries a caller's traceparent from the incoming request to an outgoing call made in its context", async () => {
    const incoming = incomingTraceContext({ traceparent, authorization: 'Bearer sk-x' });
    expect(trace.getSpanContext(incoming)?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const headers = await context.with(incoming, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return withTraceHeaders({ 'content-type': 'application/json' });
    });
    expect(headers).toEqual({ 'content-type': 'application/json', traceparent });
  });

  it('adds nothing when there is no trace, and leaves headers alone when instrumentation carries it', () => {
    const plain = { accept: 'application/json' };
    expect(withTraceHeaders(plain)).toBe(plain);
    setHttpTraceInstrumented(true);
    const incoming = incomingTraceContext({ traceparent });
    expect(trace.getSpanContext(incoming)).toBeUndefined();
    expect(context.with(incomingTraceContext({ traceparent: undefined }), () => withTraceHeaders(plain))).toBe(plain);
  });
});
