import { BusClient, BusServer, InProcessBusTransport } from '@aisbf/bus';
import { candidateKey, CooldownPolicy, nextCircuitState } from '@aisbf/routing';
import { CircuitChangeListener, mirrorCircuits } from './circuit-change-notices';
import { MemoryRouteStateStore } from './memory-route-state-store';

const policy: CooldownPolicy = { defaultCooldownSeconds: 60, maxCooldownSeconds: 600 };
const ref = { username: 'alice', providerId: 'p', model: 'm' };
const failure = { ok: false, retryable: true, status: 500, code: 'upstream_error', errorCooldownSeconds: 30 };

describe('circuit change notices', () => {
  it("reach the other replicas over the bus, which see a cooldown at once instead of after their copy's ttl", async () => {
    const transport = new InProcessBusTransport();
    const shared = new MemoryRouteStateStore(policy);
    const replica = (service: string) => {
      const store = mirrorCircuits(shared, new BusClient(transport, 'ns'));
      new CircuitChangeListener(new BusServer(transport, 'ns', service), store).onModuleInit();
      return store;
    };
    const a = replica('route-resolver');
    const b = replica('route-resolver');
    expect((await b.readCircuits('alice', [ref])).size).toBe(0);
    await a.updateCircuit(ref, (previous) => nextCircuitState(previous, failure, Date.now(), policy));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await b.readCircuits('alice', [ref])).get(candidateKey('p', 'm'))).toMatchObject({ code: 'upstream_error' });
    await transport.close();
  });
});
