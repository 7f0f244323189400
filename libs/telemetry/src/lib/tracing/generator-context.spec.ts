import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { generatorInContext } from './generator-context';

describe('generatorInContext', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const manager = new AsyncLocalStorageContextManager().enable();
  const tracer = provider.getTracer('test');

  beforeAll(() => context.setGlobalContextManager(manager));
  afterAll(() => {
    context.disable();
    trace.disable();
  });

  async function* source(log: string[]): AsyncGenerator<number, string, undefined> {
    try {
      for (let i = 0; i < 3; i++) {
        const span = tracer.startSpan(`step ${i}`);
        span.end();
        yield i;
      }
      return 'done';
    } finally {
      log.push('cleaned up');
    }
  }

  it('parents every span the generator starts to the given span, and passes the return value through', async () => {
    const enclosing = tracer.startSpan('enclosing');
    const consumer = tracer.startSpan('consumer');
    const values: number[] = [];
    const result = await context.with(trace.setSpan(context.active(), consumer), async () => {
      const wrapped = generatorInContext(trace.setSpan(context.active(), enclosing), source([]));
      for (;;) {
        const next = await wrapped.next();
        if (next.done) return next.value;
        values.push(next.value);
      }
    });
    expect(result).toBe('done');
    expect(values).toEqual([0, 1, 2]);
    const steps = exporter.getFinishedSpans().filter((span) => span.name.startsWith('step'));
    expect(steps).toHaveLength(3);
    for (const step of steps) expect(step.parentSpanContext?.spanId).toBe(enclosing.spanContext().spanId);
  });

  it('lets the source clean up when the consumer stops early', async () => {
    const log: string[] = [];
    for await (const value of generatorInContext(context.active(), source(log))) if (value === 1) break;
    expect(log).toEqual(['cleaned up']);
  });
});
