import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { BusClient } from '@aisbf/bus';

@Controller()
export class HealthController {
  constructor(private readonly bus: BusClient) {}

  @Get('healthz')
  @HttpCode(200)
  health() {
    return { status: 'ok' };
  }

  @Get('readyz')
  ready(@Res() reply: FastifyReply) {
    const bus = this.bus.isConnected();
    void reply.status(bus ? 200 : 503).send({ status: bus ? 'ready' : 'not ready', checks: { bus } });
  }
}
