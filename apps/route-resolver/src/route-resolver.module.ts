import { DynamicModule, Module } from '@nestjs/common';
import { BusModule, BusModuleOptions } from '@aisbf/bus';
import { CONFIG_DATABASE, CONFIG_STORE, ConfigDatabase, ConfigStore, ConfigSyncService, UsageConsumerService } from '@aisbf/persistence';
import { PlanBuilderService } from './resolve/plan-builder.service';
import { RouteResolveHandler } from './resolve/route-resolve.handler';

export interface RouteResolverModuleOptions {
  bus: BusModuleOptions;
  configStore: ConfigStore;
  /** The database-backed store's writable side: cache invalidation and usage events; null when file-only. */
  configDatabase?: ConfigDatabase | null;
}

/** Model id -> ordered candidate plan. */
@Module({})
export class RouteResolverModule {
  static forRoot(options: RouteResolverModuleOptions): DynamicModule {
    return {
      module: RouteResolverModule,
      imports: [BusModule.forRoot(options.bus)],
      providers: [
        { provide: CONFIG_STORE, useValue: options.configStore },
        { provide: CONFIG_DATABASE, useValue: options.configDatabase ?? null },
        ConfigSyncService,
        UsageConsumerService,
        PlanBuilderService,
        RouteResolveHandler,
      ],
    };
  }
}
