import { BusModuleOptions } from './bus.module';
import { BusEnv } from './bus-env';
import { NatsBusTransport } from './nats-bus-transport';
import { natsTransportOptions } from './nats-options';
import { BusObserver } from './bus-observer';

/** The NATS wiring of a distributed service: one connection, queue group = service name. */
export function natsBusModuleOptions(service: string, env: BusEnv, observer?: BusObserver): BusModuleOptions {
  return {
    service,
    namespace: env.AISBF_BUS_NAMESPACE,
    ownsTransport: true,
    observer,
    transport: () =>
      NatsBusTransport.connect(
        natsTransportOptions({ url: env.NATS_URL, service, user: env.NATS_USER, pass: env.NATS_PASSWORD, token: env.NATS_TOKEN }),
      ),
  };
}
