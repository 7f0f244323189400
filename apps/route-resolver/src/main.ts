import './instrument';
import { NestFactory } from '@nestjs/core';
import { parseEnv } from '@aisbf/contracts';
import { natsBusModuleOptions } from '@aisbf/bus';
import { openConfigBackend } from '@aisbf/persistence';
import { SecretBox } from '@aisbf/secrets';
import { busMetricsObserver, createLogger, logServiceReady, opsServerOptions, PinoNestLogger, processAisbfMetrics } from '@aisbf/telemetry';
import { resolverEnvSchema } from './config/resolver-env';
import { RouteResolverModule } from './route-resolver.module';
import { autoselectOptionsFromEnv } from './autoselect/autoselect-env-options';

async function bootstrap(): Promise<void> {
  const env = parseEnv(resolverEnvSchema, process.env);
  const logger = createLogger('route-resolver', env.LOG_LEVEL);
  if (!env.AISBF_SECRET_KEY) throw new Error('AISBF_SECRET_KEY is required in distributed mode');
  const backend = await openConfigBackend(env, new SecretBox(env.AISBF_SECRET_KEY), process.env, {
    mode: 'distributed',
    seed: false,
    log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) },
  });
  let lastStoreWarning = 0;
  const autoselect = autoselectOptionsFromEnv(env, (error) => {
    // Redis down costs re-classification, not requests: say so, but not on every command.
    if (Date.now() - lastStoreWarning < 30_000) return;
    lastStoreWarning = Date.now();
    logger.warn({ err: error.message }, 'autoselect decision cache (Redis) unavailable');
  });
  const app = await NestFactory.createApplicationContext(
    RouteResolverModule.forRoot({
      bus: natsBusModuleOptions('route-resolver', env, busMetricsObserver(processAisbfMetrics())),
      configStore: backend.store,
      configDatabase: backend.database,
      routeState: env,
      autoselect,
      telemetry: { logger, opsServer: opsServerOptions(env) },
    }),
    { bufferLogs: true, logger: new PinoNestLogger(logger) },
  );
  app.enableShutdownHooks();
  await app.init();
  // Buffered start-up logs go out now, and later Nest logs (cooldowns, Redis state) straight away.
  app.flushLogs();
  if (!env.REDIS_URL) logger.warn('REDIS_URL is not set: cooldowns and rotation counters are not shared with other resolver replicas');
  logServiceReady(logger, { config: backend.description, routeState: env.REDIS_URL ? 'redis' : 'memory' });
}

bootstrap().catch((error) => {
  console.error(`route-resolver failed to start: ${(error as Error).message}`);
  process.exit(1);
});
