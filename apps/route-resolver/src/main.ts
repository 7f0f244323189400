import './instrument';
import { NestFactory } from '@nestjs/core';
import { parseEnv } from '@aisbf/contracts';
import { natsBusModuleOptions } from '@aisbf/bus';
import { openConfigBackend } from '@aisbf/persistence';
import { SecretBox } from '@aisbf/secrets';
import { createLogger, PinoNestLogger } from '@aisbf/telemetry';
import { resolverEnvSchema } from './config/resolver-env';
import { RouteResolverModule } from './route-resolver.module';

async function bootstrap(): Promise<void> {
  const env = parseEnv(resolverEnvSchema, process.env);
  const logger = createLogger('route-resolver', env.LOG_LEVEL);
  if (!env.AISBF_SECRET_KEY) throw new Error('AISBF_SECRET_KEY is required in distributed mode');
  const backend = await openConfigBackend(env, new SecretBox(env.AISBF_SECRET_KEY), process.env, {
    mode: 'distributed',
    seed: false,
    log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) },
  });
  const app = await NestFactory.createApplicationContext(
    RouteResolverModule.forRoot({ bus: natsBusModuleOptions('route-resolver', env), configStore: backend.store, configDatabase: backend.database }),
    { bufferLogs: true, logger: new PinoNestLogger(logger) },
  );
  app.enableShutdownHooks();
  await app.init();
  logger.info({ config: backend.description }, 'aisbf service ready');
}

bootstrap().catch((error) => {
  console.error(`route-resolver failed to start: ${(error as Error).message}`);
  process.exit(1);
});
