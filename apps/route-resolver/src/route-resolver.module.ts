import { DynamicModule, Module } from '@nestjs/common';
import { BusModule, BusModuleOptions } from '@aisbf/bus';
import { CONFIG_STORE, ConfigStore } from '@aisbf/persistence';
import { PlanBuilderService } from './resolve/plan-builder.service';
import { RouteResolveHandler } from './resolve/route-resolve.handler';
import { AutoselectService } from './autoselect/autoselect.service';
import { AUTOSELECT_OPTIONS, AutoselectOptions } from './autoselect/autoselect-options';

export interface RouteResolverModuleOptions {
  bus: BusModuleOptions;
  configStore: ConfigStore;
  autoselect: AutoselectOptions;
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
        { provide: AUTOSELECT_OPTIONS, useValue: options.autoselect },
        PlanBuilderService,
        AutoselectService,
        RouteResolveHandler,
      ],
    };
  }
}
