import './instrument';
import { NestFactory } from '@nestjs/core';
import { parseEnv } from '@aisbf/contracts';
import { natsBusModuleOptions } from '@aisbf/bus';
import { SecretBox } from '@aisbf/secrets';
import { busMetricsObserver, createLogger, logServiceReady, opsServerOptions, PinoNestLogger, processAisbfMetrics } from '@aisbf/telemetry';
import { connectorEnvSchema } from './config/connector-env';
import { ConnectorModule } from './connector.module';

async function bootstrap(): Promise<void> {
  const env = parseEnv(connectorEnvSchema, process.env);
  const logger = createLogger('connector', env.LOG_LEVEL);
  const app = await NestFactory.createApplicationContext(
    ConnectorModule.forRoot({
      env,
      bus: natsBusModuleOptions('connector', env, busMetricsObserver(processAisbfMetrics())),
      secretBox: env.AISBF_SECRET_KEY ? new SecretBox(env.AISBF_SECRET_KEY) : null,
      telemetry: { logger, opsServer: opsServerOptions(env) },
    }),
    { bufferLogs: true, logger: new PinoNestLogger(logger) },
  );
  app.enableShutdownHooks();
  await app.init();
  logServiceReady(logger, { pools: env.CONNECTOR_POOLS, allowPrivateEndpoints: env.CONNECTOR_ALLOW_PRIVATE_ENDPOINTS });
}

bootstrap().catch((error) => {
  console.error(`connector failed to start: ${(error as Error).message}`);
  process.exit(1);
});
