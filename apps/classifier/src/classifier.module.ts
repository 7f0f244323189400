import { DynamicModule, Module } from '@nestjs/common';
import { BusClient, BusModule, BusModuleOptions } from '@aisbf/bus';
import { readinessCheckProvider, TelemetryModule, TelemetryModuleOptions } from '@aisbf/telemetry';
import { ClassifyHandler } from './classify/classify.handler';
import { ClassifyService } from './classify/classify.service';
import { LlmSelectorService } from './selection/llm-selector';

export interface ClassifierModuleOptions {
  bus: BusModuleOptions;
  telemetry?: TelemetryModuleOptions;
}

/** Privacy classification and semantic selection for autoselect policies. */
@Module({})
export class ClassifierModule {
  static forRoot(options: ClassifierModuleOptions): DynamicModule {
    return {
      module: ClassifierModule,
      imports: [BusModule.forRoot(options.bus), TelemetryModule.forRoot(options.telemetry)],
      providers: [
        LlmSelectorService,
        ClassifyService,
        ClassifyHandler,
        readinessCheckProvider('bus', BusClient, (bus: BusClient) => () => bus.isConnected()),
      ],
    };
  }
}
