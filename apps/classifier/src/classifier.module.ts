import { DynamicModule, Module } from '@nestjs/common';
import { BusModule, BusModuleOptions } from '@aisbf/bus';
import { ClassifyHandler } from './privacy/classify.handler';

export interface ClassifierModuleOptions {
  bus: BusModuleOptions;
}

/** Privacy classification and semantic selection for autoselect policies. */
@Module({})
export class ClassifierModule {
  static forRoot(options: ClassifierModuleOptions): DynamicModule {
    return { module: ClassifierModule, imports: [BusModule.forRoot(options.bus)], providers: [ClassifyHandler] };
  }
}
