import './instrument';
import { natsBusModuleOptions } from '@aisbf/bus';
import { openConfigSource } from '@aisbf/persistence';
import { SecretBox } from '@aisbf/secrets';
import { busMetricsObserver, createLogger, processAisbfMetrics } from '@aisbf/telemetry';
import { edgeEnvSchema } from './config/edge-env';
import { createEdgeHttpApp } from './http/edge-http-app';
import { parseEnv } from '@aisbf/contracts';

async function bootstrap(): Promise<void> {
  const env = parseEnv(edgeEnvSchema, process.env);
  const logger = createLogger('edge-api', env.LOG_LEVEL);
  if (!env.AISBF_SECRET_KEY) throw new Error('AISBF_SECRET_KEY is required in distributed mode');
  const source = openConfigSource(env, new SecretBox(env.AISBF_SECRET_KEY), process.env, false);
  const app = await createEdgeHttpApp({ env, bus: natsBusModuleOptions('edge-api', env, busMetricsObserver(processAisbfMetrics())), configStore: source.store }, logger);
  await app.listen(env.AISBF_PORT, env.AISBF_HOST);
  logger.info({ port: env.AISBF_PORT, config: source.description }, 'aisbf service ready');
}

bootstrap().catch((error) => {
  console.error(`edge-api failed to start: ${(error as Error).message}`);
  process.exit(1);
});
