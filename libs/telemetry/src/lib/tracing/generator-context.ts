import { context, Context } from '@opentelemetry/api';

/**
 * Runs every step of an async generator inside `ctx`. A generator's body runs in whatever context
 * its consumer calls next() from, so `yield*` alone would parent the generator's spans (an
 * upstream HTTP call, say) to the consumer's span instead of the one meant to enclose them.
 */
export async function* generatorInContext<T, R>(ctx: Context, source: AsyncGenerator<T, R, undefined>): AsyncGenerator<T, R, undefined> {
  let finished = false;
  try {
    for (;;) {
      const next = await context.with(ctx, () => source.next());
      if (next.done) {
        finished = true;
        return next.value;
      }
      yield next.value;
    }
  } catch (error) {
    finished = true;
    throw error;
  } finally {
    // The consumer stopped early: let the source run its own cleanup (abort the upstream call).
    if (!finished) await context.with(ctx, () => source.return(undefined as R)).catch(() => undefined);
  }
}
