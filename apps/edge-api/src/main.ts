import './instrument';
import { natsBusModuleOptions } from '@aisbf/bus';
import { RedisConcurrencyLimiter, RedisRateLimiter } from '@aisbf/cache';
import { openConfigBackend } from '@aisbf/persistence';
import { SecretBox } from '@aisbf/secrets';
import { busMetricsObserver, createLogger, logServiceReady, processAisbfMetrics } from '@aisbf/telemetry';
import { edgeEnvSchema } from './config/edge-env';
import { createEdgeHttpApp, listenEdgeHttpApp } from './http/edge-http-app';
import { parseEnv } from '@aisbf/contracts';

async function bootstrap(): Promise<void> {
  const env = parseEnv(edgeEnvSchema, process.env);
  const logger = createLogger('edge-api', env.LOG_LEVEL);
  if (!env.AISBF_SECRET_KEY) throw new Error('AISBF_SECRET_KEY is required in distributed mode');
  const backend = await openConfigBackend(env, new SecretBox(env.AISBF_SECRET_KEY), process.env, {
    mode: 'distributed',
    seed: true,
    log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) },
  });
  // Limits shared by every edge replica; without Redis each replica limits on its own.
  const rateLimiter = env.REDIS_URL ? new RedisRateLimiter({ url: env.REDIS_URL, keyPrefix: env.AISBF_REDIS_PREFIX }) : undefined;
  const concurrencyLimiter = env.REDIS_URL ? new RedisConcurrencyLimiter({ url: env.REDIS_URL, keyPrefix: env.AISBF_REDIS_PREFIX }) : undefined;
  const connected = await Promise.all([rateLimiter?.connect(), concurrencyLimiter?.connect()]);
  if (connected.includes(false)) logger.warn('Redis unreachable: request limits are per replica until it returns');
  const app = await createEdgeHttpApp(
    {
      env,
      bus: natsBusModuleOptions('edge-api', env, busMetricsObserver(processAisbfMetrics())),
      configStore: backend.store,
      configDatabase: backend.database,
      rateLimiter,
      concurrencyLimiter,
    },
    logger,
  );
  const port = await listenEdgeHttpApp(app, env.AISBF_PORT, env.AISBF_HOST);
  logServiceReady(logger, { port, config: backend.description });
}

bootstrap().catch((error) => {
  console.error(`edge-api failed to start: ${(error as Error).message}`);
  process.exit(1);
});
