import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  InjectionToken,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import pino, { Logger } from 'pino';
import { AisbfMetrics, processAisbfMetrics } from './metrics/aisbf-metrics';
import { processReadinessRegistry, ReadinessCheck, ReadinessCheckOptions, ReadinessRegistry } from './health/readiness-registry';
import { OpsHttpServer, startOpsHttpServer } from './http/ops-http-server';
import { LogFlushLifecycle } from './logging/log-flush-lifecycle';
import { AISBF_LOGGER } from './logging/logger-token';

export { AISBF_LOGGER } from './logging/logger-token';
const TELEMETRY_OPTIONS = Symbol('TELEMETRY_OPTIONS');

export interface TelemetryModuleOptions {
  logger?: Logger;
  /** Serve /metrics, /healthz and /readyz on their own port (workers); the edge serves them on its HTTP port. */
  opsServer?: { host: string; port: number };
}

@Injectable()
class OpsServerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: OpsHttpServer;

  constructor(
    @Inject(TELEMETRY_OPTIONS) private readonly options: TelemetryModuleOptions,
    private readonly metrics: AisbfMetrics,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const ops = this.options.opsServer;
    if (!ops) return;
    this.server = await startOpsHttpServer({ ...ops, metrics: this.metrics, readiness: this.readiness });
    this.options.logger?.info({ port: this.server.port }, 'metrics and health endpoints listening');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}

/**
 * Metrics, readiness checks and the logger for a service's Nest context. The metrics and the
 * readiness registry are those of the process, so the embedded mode exposes one /metrics and one
 * /readyz covering every service module it runs.
 */
@Global()
@Module({})
export class TelemetryModule {
  static forRoot(options: TelemetryModuleOptions = {}): DynamicModule {
    return {
      module: TelemetryModule,
      providers: [
        { provide: TELEMETRY_OPTIONS, useValue: options },
        { provide: AisbfMetrics, useFactory: () => processAisbfMetrics() },
        { provide: ReadinessRegistry, useFactory: () => processReadinessRegistry() },
        { provide: AISBF_LOGGER, useValue: options.logger ?? pino({ level: 'silent' }) },
        OpsServerLifecycle,
        LogFlushLifecycle,
      ],
      exports: [AisbfMetrics, ReadinessRegistry, AISBF_LOGGER],
    };
  }
}

/**
 * A provider that registers one readiness check built from an injected dependency, e.g.
 * `readinessCheckProvider('bus', BusClient, (bus) => () => bus.isConnected())`. Put it in the
 * module that owns the dependency: each service then reports exactly what it uses. `check` may
 * return null when this process does not use the dependency after all (no database configured).
 */
export function readinessCheckProvider<T>(
  name: string,
  dependency: InjectionToken,
  check: (dependency: T) => ReadinessCheck | null,
  options: ReadinessCheckOptions = {},
): Provider {
  return {
    provide: Symbol(`readiness:${name}`),
    inject: [ReadinessRegistry, dependency],
    useFactory: (registry: ReadinessRegistry, instance: T) => {
      const built = check(instance);
      return built ? registry.register(name, built, options) : null;
    },
  };
}
