import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BusModule, BusModuleOptions } from '@aisbf/bus';
import { CONFIG_STORE, ConfigStore } from '@aisbf/persistence';
import { EDGE_ENV, EdgeEnv } from './config/edge-env';
import { ChatController } from './chat/chat.controller';
import { ChatRelayService } from './chat/chat-relay.service';
import { ModelsController } from './models/models.controller';
import { EmbeddingsController } from './embeddings/embeddings.controller';
import { EmbeddingsRelayService } from './embeddings/embeddings-relay.service';
import { ProviderModelsController } from './provider-models/provider-models.controller';
import { HealthController } from './health/health.controller';
import { OpenAiExceptionFilter } from './errors/openai-exception.filter';
import { TokenAuthGuard } from './auth/token-auth.guard';

export interface EdgeApiModuleOptions {
  env: EdgeEnv;
  bus: BusModuleOptions;
  configStore: ConfigStore;
}

/** HTTP: the OpenAI-compatible API, authentication and the SSE relay. */
@Module({})
export class EdgeApiModule {
  static forRoot(options: EdgeApiModuleOptions): DynamicModule {
    return {
      module: EdgeApiModule,
      imports: [BusModule.forRoot(options.bus)],
      controllers: [ChatController, ModelsController, EmbeddingsController, ProviderModelsController, HealthController],
      providers: [
        { provide: EDGE_ENV, useValue: options.env },
        { provide: CONFIG_STORE, useValue: options.configStore },
        { provide: APP_FILTER, useClass: OpenAiExceptionFilter },
        ChatRelayService,
        EmbeddingsRelayService,
        TokenAuthGuard,
      ],
    };
  }
}
