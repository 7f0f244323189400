import { DynamicModule, Module } from '@nestjs/common';
import { BusClient, BusModule, BusModuleOptions } from '@aisbf/bus';
import { CONFIG_STORE, ConfigStore } from '@aisbf/persistence';
import { readinessCheckProvider, TelemetryModule, TelemetryModuleOptions } from '@aisbf/telemetry';
import { PlanBuilderService } from './resolve/plan-builder.service';
import { RouteResolveHandler } from './resolve/route-resolve.handler';
import { RouteDecisionRecorder } from './resolve/route-decision-recorder';

export interface RouteResolverModuleOptions {
  bus: BusModuleOptions;
  configStore: ConfigStore;
  telemetry?: TelemetryModuleOptions;
}

/** Model id -> ordered candidate plan. */
@Module({})
export class RouteResolverModule {
  static forRoot(options: RouteResolverModuleOptions): DynamicModule {
    return {
      module: RouteResolverModule,
      imports: [BusModule.forRoot(options.bus), TelemetryModule.forRoot(options.telemetry)],
      providers: [
        { provide: CONFIG_STORE, useValue: options.configStore },
        PlanBuilderService,
        RouteDecisionRecorder,
        RouteResolveHandler,
        readinessCheckProvider('bus', BusClient, (bus: BusClient) => () => bus.isConnected()),
      ],
    };
  }
}
