import { DynamicModule, Module } from '@nestjs/common';
import { BusModule, BusModuleOptions } from '@aisbf/bus';
import { ClassifyHandler } from './classify/classify.handler';
import { ClassifyService } from './classify/classify.service';
import { LlmSelectorService } from './selection/llm-selector';

export interface ClassifierModuleOptions {
  bus: BusModuleOptions;
}

/** Privacy classification and semantic selection for autoselect policies. */
@Module({})
export class ClassifierModule {
  static forRoot(options: ClassifierModuleOptions): DynamicModule {
    return {
      module: ClassifierModule,
      imports: [BusModule.forRoot(options.bus)],
      providers: [LlmSelectorService, ClassifyService, ClassifyHandler],
    };
  }
}
