import type { FastifyInstance } from 'fastify';
import { AisbfError } from '@aisbf/contracts';
import { AisbfMetrics } from '@aisbf/telemetry';
import { toHttpError } from '../errors/openai-error-response';
import { BodyMemoryBudget } from './body-memory-budget';

/** How much of the budget a request takes: its declared length, or the largest body when chunked. */
function bodyBytes(headers: Record<string, string | string[] | undefined>, maxBodyBytes: number): number {
  const length = Number(headers['content-length']);
  if (Number.isFinite(length) && length >= 0) return Math.min(length, maxBodyBytes);
  return headers['transfer-encoding'] ? maxBodyBytes : 0;
}

/**
 * Admits a request before its body is read only if the body fits in the budget; otherwise it is
 * answered 503 server_busy with Retry-After, which OpenAI SDKs retry by themselves. The bytes are
 * given back when the response is over, however it ends.
 */
export function admitBodiesWithinBudget(fastify: FastifyInstance, budget: BodyMemoryBudget, maxBodyBytes: number, metrics: AisbfMetrics): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const bytes = bodyBytes(request.headers, maxBodyBytes);
    if (bytes === 0) return done();
    if (!budget.tryReserve(bytes)) {
      metrics.m.bodyBudgetRejections.inc();
      const error = new AisbfError(
        'server_busy',
        `this AISBF replica is holding ${Math.round(budget.heldBytes / 1024)} KiB of request bodies, its limit (AISBF_MAX_INFLIGHT_BODY_BYTES); retry shortly`,
        { retryable: true, retryAfterSeconds: 1 },
      );
      const http = toHttpError(error);
      // Node reads the unsent body and discards it, so the client gets to read this answer.
      void reply.code(http.status).headers(http.headers).send(http.body);
      return;
    }
    metrics.m.bodyBytesInFlight.set(budget.heldBytes);
    // 'close' comes once per response, however it ended.
    reply.raw.once('close', () => {
      budget.release(bytes);
      metrics.m.bodyBytesInFlight.set(budget.heldBytes);
    });
    done();
  });
}
