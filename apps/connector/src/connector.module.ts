import { DynamicModule, Module } from '@nestjs/common';
import { BusModule, BusModuleOptions } from '@aisbf/bus';
import { SecretBox } from '@aisbf/secrets';
import { CONNECTOR_ENV, ConnectorEnv } from './config/connector-env';
import { CONNECTOR_SECRET_BOX, ConnectorChatHandler } from './chat/connector-chat.handler';
import { OpenAiAdapter } from './adapters/openai/openai-adapter';
import { DemoAdapter } from './adapters/demo/demo-adapter';
import { UpstreamDispatcher } from './upstream/upstream-dispatcher';

export interface ConnectorModuleOptions {
  env: ConnectorEnv;
  bus: BusModuleOptions;
  /** Opens sealed provider keys; null when this connector holds no secret key. */
  secretBox: SecretBox | null;
}

/** Wire adapters for backends; one process serves the pools listed in CONNECTOR_POOLS. */
@Module({})
export class ConnectorModule {
  static forRoot(options: ConnectorModuleOptions): DynamicModule {
    return {
      module: ConnectorModule,
      imports: [BusModule.forRoot(options.bus)],
      providers: [
        { provide: CONNECTOR_ENV, useValue: options.env },
        { provide: CONNECTOR_SECRET_BOX, useValue: options.secretBox },
        UpstreamDispatcher,
        OpenAiAdapter,
        DemoAdapter,
        ConnectorChatHandler,
      ],
    };
  }
}
