import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AisbfMetrics } from '@aisbf/telemetry';

/**
 * Prometheus metrics on the edge's own port. In the embedded mode this one endpoint covers every
 * service module of the process. It carries no user ids, tokens or text; still, keep it off the
 * public ingress.
 */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: AisbfMetrics) {}

  @Get('metrics')
  async metricsText(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.metrics.render();
    void reply.status(200).header('content-type', this.metrics.contentType).header('cache-control', 'no-store').send(body);
  }
}
