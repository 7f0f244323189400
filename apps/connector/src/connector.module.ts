import { DynamicModule, Module } from '@nestjs/common';
import { BusClient, BusModule, BusModuleOptions } from '@aisbf/bus';
import { readinessCheckProvider, TelemetryModule, TelemetryModuleOptions } from '@aisbf/telemetry';
import { SecretBox } from '@aisbf/secrets';
import { CONNECTOR_ENV, ConnectorEnv } from './config/connector-env';
import { PoolCallsHandler } from './calls/pool-calls.handler';
import { ConnectorModelsHandler } from './models/connector-models.handler';
import { RequestCancelHandler } from './calls/request-cancel.handler';
import { InflightCalls } from './calls/inflight-calls';
import { AdapterRegistry, CONNECTOR_SECRET_BOX } from './adapters/adapter-registry';
import { OpenAiAdapter } from './adapters/openai/openai-adapter';
import { AnthropicAdapter } from './adapters/anthropic/anthropic-adapter';
import { GeminiAdapter } from './adapters/gemini/gemini-adapter';
import { OllamaAdapter } from './adapters/ollama/ollama-adapter';
import { DemoAdapter } from './adapters/demo/demo-adapter';
import { UpstreamDispatcher } from './upstream/upstream-dispatcher';
import { UpstreamHttp } from './upstream/upstream-http';
import { UpstreamCallRecorder } from './calls/upstream-call-recorder';

export interface ConnectorModuleOptions {
  env: ConnectorEnv;
  bus: BusModuleOptions;
  /** Opens sealed provider keys; null when this connector holds no secret key. */
  secretBox: SecretBox | null;
  telemetry?: TelemetryModuleOptions;
}

/** Wire adapters for backends; one process serves the pools listed in CONNECTOR_POOLS. */
@Module({})
export class ConnectorModule {
  static forRoot(options: ConnectorModuleOptions): DynamicModule {
    return {
      module: ConnectorModule,
      imports: [BusModule.forRoot(options.bus), TelemetryModule.forRoot(options.telemetry)],
      providers: [
        { provide: CONNECTOR_ENV, useValue: options.env },
        { provide: CONNECTOR_SECRET_BOX, useValue: options.secretBox },
        UpstreamDispatcher,
        UpstreamHttp,
        OpenAiAdapter,
        AnthropicAdapter,
        GeminiAdapter,
        OllamaAdapter,
        DemoAdapter,
        AdapterRegistry,
        InflightCalls,
        UpstreamCallRecorder,
        PoolCallsHandler,
        ConnectorModelsHandler,
        RequestCancelHandler,
        readinessCheckProvider('bus', BusClient, (bus: BusClient) => () => bus.isConnected()),
      ],
    };
  }
}
