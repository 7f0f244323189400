import { BusClient, BusServer, InProcessBusTransport } from '@aisbf/bus';
import { candidateKey, CooldownPolicy, nextCircuitState } from '@aisbf/routing';
import { mirrorCircuits } from './circuit-change-notices';
import { Logger } from '@nestjs/common';
import { FallbackRouteStateStore } from './fallback-route-state-store';
import { MemoryRouteStateStore } from './memory-route-state-store';

const policy: CooldownPolicy = { defaultCooldownSeconds: 60, maxCooldownSeconds: 600 };
const ref = { username: 'alice', providerId: 'p', model: 'm' };
const failure = { ok: false, retryable: true, status: 500, code: 'upstream_error', errorCooldownSeconds: 30 };

describe('circuit change notices', () => {
  it("reach the other replicas over the bus, which see a cooldown at once instead of after their copy's ttl", async () => {
    const transport = new InProcessBusTransport();
    const shared = Object.assign(new MemoryRouteStateStore(policy), { isReady: () => true });
    const replica = () => mirrorCircuits(shared, { client: new BusClient(transport, 'ns'), server: new BusServer(transport, 'ns', 'route-resolver') });
    const a = replica();
    const b = replica();
    expect((await b.readCircuits('alice', [ref])).size).toBe(0);
    await a.updateCircuit(ref, (previous) => nextCircuitState(previous, failure, Date.now(), policy));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await b.readCircuits('alice', [ref])).get(candidateKey('p', 'm'))).toMatchObject({ code: 'upstream_error' });
    await transport.close();
  });

  it('announce the cooldowns a replica hands back to Redis after an outage, so no other replica keeps planning without them', async () => {
    Logger.overrideLogger(false);
    const transport = new InProcessBusTransport();
    let up = false;
    const shared = Object.assign(new MemoryRouteStateStore(policy), { isReady: () => up });
    const replica = () =>
      new FallbackRouteStateStore(
        mirrorCircuits(shared, { client: new BusClient(transport, 'ns'), server: new BusServer(transport, 'ns', 'route-resolver') }),
        new MemoryRouteStateStore(policy),
      );
    const a = replica();
    const b = replica();
    // Redis is away: a cools the candidate in its own memory.
    await a.updateCircuit(ref, (previous) => nextCircuitState(previous, failure, Date.now(), policy));
    up = true;
    // Redis is back, still without the cooldown: b reads (and copies) what it has.
    expect((await b.readCircuits('alice', [ref])).size).toBe(0);
    await a.recovered();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await b.readCircuits('alice', [ref])).get(candidateKey('p', 'm'))).toMatchObject({ code: 'upstream_error' });
    await transport.close();
    Logger.overrideLogger(['log', 'error', 'warn']);
  });
});
