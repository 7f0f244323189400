import { DynamicModule, Module } from '@nestjs/common';
import { BusModule, BusModuleOptions } from '@aisbf/bus';
import { CONFIG_STORE, ConfigStore } from '@aisbf/persistence';
import { PlanBuilderService } from './resolve/plan-builder.service';
import { RouteResolveHandler } from './resolve/route-resolve.handler';
import { ProviderCandidateHandler } from './provider/provider-candidate.handler';

export interface RouteResolverModuleOptions {
  bus: BusModuleOptions;
  configStore: ConfigStore;
}

/** Model id -> ordered candidate plan. */
@Module({})
export class RouteResolverModule {
  static forRoot(options: RouteResolverModuleOptions): DynamicModule {
    return {
      module: RouteResolverModule,
      imports: [BusModule.forRoot(options.bus)],
      providers: [{ provide: CONFIG_STORE, useValue: options.configStore }, PlanBuilderService, RouteResolveHandler, ProviderCandidateHandler],
    };
  }
}
