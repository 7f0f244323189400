import './instrument';
import { NestFactory } from '@nestjs/core';
import { parseEnv } from '@aisbf/contracts';
import { natsBusModuleOptions } from '@aisbf/bus';
import { busMetricsObserver, createLogger, logServiceReady, opsServerOptions, PinoNestLogger, processAisbfMetrics } from '@aisbf/telemetry';
import { classifierEnvSchema } from './config/classifier-env';
import { ClassifierModule } from './classifier.module';

async function bootstrap(): Promise<void> {
  const env = parseEnv(classifierEnvSchema, process.env);
  const logger = createLogger('classifier', env.LOG_LEVEL);
  const app = await NestFactory.createApplicationContext(
    ClassifierModule.forRoot({
      bus: natsBusModuleOptions('classifier', env, busMetricsObserver(processAisbfMetrics())),
      telemetry: { logger, opsServer: opsServerOptions(env) },
    }),
    { bufferLogs: true, logger: new PinoNestLogger(logger) },
  );
  app.enableShutdownHooks();
  await app.init();
  logServiceReady(logger);
}

bootstrap().catch((error) => {
  console.error(`classifier failed to start: ${(error as Error).message}`);
  process.exit(1);
});
