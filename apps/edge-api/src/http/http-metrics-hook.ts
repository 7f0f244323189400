import type { FastifyInstance } from 'fastify';
import { AisbfMetrics } from '@aisbf/telemetry';

/**
 * Counts and times every HTTP request the edge answers (failed authentication and bad bodies
 * included), labelled by route template, never by raw URL: /api/u/{username}/... stays one series.
 */
export function recordHttpMetrics(fastify: FastifyInstance, metrics: AisbfMetrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.m.httpServerRequestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
