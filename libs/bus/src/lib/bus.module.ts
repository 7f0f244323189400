import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { BusTransport } from './bus-transport';
import { BusClient } from './bus-client';
import { BusServer } from './bus-server';
import { BusObserver, NOOP_BUS_OBSERVER } from './bus-observer';

export const BUS_TRANSPORT = Symbol('BUS_TRANSPORT');
const BUS_MODULE_OPTIONS = Symbol('BUS_MODULE_OPTIONS');

export interface BusModuleOptions {
  /** The service name; also the queue group its replicas share. */
  service: string;
  /** Subject namespace, to share one NATS between several AISBF installations. */
  namespace: string;
  /** Creates the transport (NATS), or hands over a shared one (the embedded mode's in-process bus). */
  transport: () => Promise<BusTransport>;
  /** Close the transport on shutdown; false for a transport shared by several modules. */
  ownsTransport: boolean;
  observer?: BusObserver;
}

@Injectable()
class BusLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(BUS_TRANSPORT) private readonly transport: BusTransport,
    @Inject(BUS_MODULE_OPTIONS) private readonly options: BusModuleOptions,
    private readonly client: BusClient,
    private readonly server: BusServer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.server.close();
    this.client.close();
    if (this.options.ownsTransport) await this.transport.close();
  }
}

@Global()
@Module({})
export class BusModule {
  static forRoot(options: BusModuleOptions): DynamicModule {
    return {
      module: BusModule,
      providers: [
        { provide: BUS_MODULE_OPTIONS, useValue: options },
        { provide: BUS_TRANSPORT, useFactory: () => options.transport() },
        {
          provide: BusClient,
          inject: [BUS_TRANSPORT],
          useFactory: (transport: BusTransport) =>
            new BusClient(transport, options.namespace, options.observer ?? NOOP_BUS_OBSERVER),
        },
        {
          provide: BusServer,
          inject: [BUS_TRANSPORT],
          useFactory: (transport: BusTransport) => new BusServer(transport, options.namespace, options.service),
        },
        BusLifecycle,
      ],
      exports: [BusClient, BusServer, BUS_TRANSPORT],
    };
  }
}
