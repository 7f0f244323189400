import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { AisbfMetrics, opsServerOptions, PinoNestLogger } from '@aisbf/telemetry';
import { EdgeApiModule, EdgeApiModuleOptions } from '../edge-api.module';
import { recordHttpMetrics } from './http-metrics-hook';
import { joinIncomingTrace } from './incoming-trace-hook';
import { admitBodiesWithinBudget } from './body-budget-hook';
import { BodyMemoryBudget, defaultBodyBudgetBytes } from './body-memory-budget';

/** Listens on `port` (0: one the kernel picks) and resolves with the port bound, for the ready line. */
export async function listenEdgeHttpApp(app: NestFastifyApplication, port: number, host: string): Promise<number> {
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : port;
}

/** Builds the edge's Fastify application; used by its own main and by the embedded launcher. */
export async function createEdgeHttpApp(options: EdgeApiModuleOptions, logger: Logger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.env.AISBF_MAX_BODY_BYTES,
    // Slow clients may not hold a connection open forever while sending headers or a body.
    requestTimeout: 60_000,
    keepAliveTimeout: 65_000,
    routerOptions: { maxParamLength: 500 },
    return503OnClosing: true,
  });
  // /metrics and the probes are on the HTTP port; AISBF_METRICS_PORT adds a port of their own.
  const telemetry = { opsServer: opsServerOptions(options.env, options.env.AISBF_HOST), ...options.telemetry, logger };
  const app = await NestFactory.create<NestFastifyApplication>(EdgeApiModule.forRoot({ ...options, telemetry }), adapter, {
    bufferLogs: true,
    logger: new PinoNestLogger(logger),
    // Configuration documents are checked for keys given twice, which JSON.parse would hide.
    rawBody: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(AisbfMetrics);
  const maxBody = options.env.AISBF_MAX_BODY_BYTES;
  const budget = new BodyMemoryBudget(options.env.AISBF_MAX_INFLIGHT_BODY_BYTES ?? defaultBodyBudgetBytes(maxBody));
  admitBodiesWithinBudget(fastify, budget, maxBody, metrics);
  recordHttpMetrics(fastify, metrics);
  joinIncomingTrace(fastify);
  app.enableShutdownHooks();
  return app;
}
