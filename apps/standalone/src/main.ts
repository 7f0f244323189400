import './instrument';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseEnv } from '@aisbf/contracts';
import { BusModuleOptions, InProcessBusTransport } from '@aisbf/bus';
import { openConfigBackend } from '@aisbf/persistence';
import path from 'node:path';
import { loadOrCreateSecret, SecretBox } from '@aisbf/secrets';
import { busMetricsObserver, createLogger, flushLogSync, logServiceReady, PinoNestLogger, processAisbfMetrics } from '@aisbf/telemetry';
import { createEdgeHttpApp, listenEdgeHttpApp } from '@aisbf/edge-api';
import { autoselectOptionsFromEnv, RouteResolverModule } from '@aisbf/route-resolver';
import { ClassifierModule } from '@aisbf/classifier';
import { ConnectorModule, connectorEnvSchema } from '@aisbf/connector';
import { standaloneEnvSchema } from './standalone-env';

/**
 * Embedded mode: the four services in one process, each in its own Nest context (as they would be
 * in their own processes), joined by the in-process bus.
 */
async function bootstrap(): Promise<void> {
  const env = parseEnv(standaloneEnvSchema, process.env);
  const logger = createLogger('aisbf', env.LOG_LEVEL);
  const nestLogger = new PinoNestLogger(logger);
  const transport = new InProcessBusTransport();
  // One metrics registry for the whole process: the edge's /metrics covers every service module.
  const observer = busMetricsObserver(processAisbfMetrics());
  const bus = (service: string): BusModuleOptions => ({ service, namespace: '', ownsTransport: false, transport: async () => transport, observer });
  const telemetry = { logger };
  const box = new SecretBox(env.AISBF_SECRET_KEY ?? loadOrCreateSecret(path.join(env.AISBF_DATA_DIR, 'secret.key')));
  const source = await openConfigBackend(env, box, process.env, {
    mode: 'embedded',
    seed: true,
    log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) },
  });
  // One host talking to its own local backends: the embedded pool reaches private endpoints unless told otherwise.
  const connectorEnv = parseEnv(connectorEnvSchema, {
    ...process.env,
    CONNECTOR_POOLS: process.env.CONNECTOR_POOLS ?? '*',
    CONNECTOR_ALLOW_PRIVATE_ENDPOINTS: process.env.CONNECTOR_ALLOW_PRIVATE_ENDPOINTS ?? 'true',
  });

  const contexts: INestApplicationContext[] = [];
  for (const module of [
    RouteResolverModule.forRoot({
      bus: bus('route-resolver'),
      configStore: source.store,
      configDatabase: source.database,
      routeState: env,
      autoselect: autoselectOptionsFromEnv(env, () => undefined),
      telemetry,
    }),
    ClassifierModule.forRoot({ bus: bus('classifier'), telemetry }),
    ConnectorModule.forRoot({ env: connectorEnv, bus: bus('connector'), secretBox: box, telemetry }),
  ]) {
    const context = await NestFactory.createApplicationContext(module, { logger: nestLogger });
    await context.init();
    contexts.push(context);
  }
  const edge = await createEdgeHttpApp({ env, bus: bus('edge-api'), configStore: source.store, configDatabase: source.database }, logger);
  const port = await listenEdgeHttpApp(edge, env.AISBF_PORT, env.AISBF_HOST);

  if (source.generatedToken) {
    // Shown once, on the terminal only: it is not stored anywhere in clear. It comes after the
    // start-up lines and before the ready line, so whoever waits for that line has the token too.
    flushLogSync(logger);
    process.stdout.write(
      `\n  AISBF is running on http://localhost:${port} (embedded mode, ${source.description})\n` +
        `  API token for user '${env.AISBF_BOOTSTRAP_USER}' (shown once): ${source.generatedToken}\n` +
        `  Try: curl -X POST http://localhost:${port}/api/u/${env.AISBF_BOOTSTRAP_USER}/chat/completions \\\n` +
        `         -H "Authorization: Bearer ${source.generatedToken}" -H "Content-Type: application/json" \\\n` +
        `         -d '{"model":"user-provider/demo/echo","messages":[{"role":"user","content":"Hello"}]}'\n\n`,
    );
  }
  logServiceReady(logger, { port, config: source.description });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await edge.close();
    for (const context of contexts.reverse()) await context.close();
    await transport.close();
    await source.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

bootstrap().catch((error) => {
  console.error(`aisbf failed to start: ${(error as Error).message}`);
  process.exit(1);
});
