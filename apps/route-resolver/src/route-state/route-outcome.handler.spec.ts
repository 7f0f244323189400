import { RouteOutcome, routeOutcomeEventSchema } from '@aisbf/contracts';
import { BusServer, InProcessBusTransport } from '@aisbf/bus';
import { DEFAULT_COOLDOWN_POLICY } from '@aisbf/routing';
import { AisbfMetrics, ReadinessRegistry } from '@aisbf/telemetry';
import { CooldownMetrics } from './cooldown-metrics';
import { MemoryRouteStateStore } from './memory-route-state-store';
import { RouteOutcomeHandler } from './route-outcome.handler';

const outcome = (providerId: string, ok: boolean, requestId: string): RouteOutcome => ({
  requestId,
  username: 'alice',
  routeId: 'user-rotation/r',
  providerId,
  model: 'm',
  attempt: 1,
  ok,
  status: ok ? 200 : 503,
  code: ok ? null : 'upstream_error',
  retryable: !ok,
  errorCooldownSeconds: 30,
  latencyMs: 12,
  ttftMs: null,
  promptTokens: null,
  completionTokens: null,
});

describe('route outcome handler', () => {
  const store = () => new MemoryRouteStateStore(DEFAULT_COOLDOWN_POLICY);
  const handler = (s: MemoryRouteStateStore, bus = new BusServer(new InProcessBusTransport(), '', 'route-resolver')) =>
    new RouteOutcomeHandler(bus, s, DEFAULT_COOLDOWN_POLICY, new CooldownMetrics(new AisbfMetrics('route-resolver', new ReadinessRegistry(), { defaultMetrics: false })));

  it('records every outcome of a batch: cooldowns of the failed candidate, statistics of all', async () => {
    const s = store();
    await handler(s).recordAll([outcome('a', true, '1'), outcome('b', true, '2'), outcome('a', false, '3'), outcome('b', true, '4')]);
    const circuits = await s.readCircuits('alice', [
      { providerId: 'a', model: 'm' },
      { providerId: 'b', model: 'm' },
    ]);
    expect([...circuits.keys()]).toEqual(['a\u0000m']);
    const stats = await s.readStats('alice', [{ providerId: 'a', model: 'm' }, { providerId: 'b', model: 'm' }], Date.now());
    expect(stats.get('a\u0000m')).toMatchObject({ requests: 2, successes: 1, failures: 1 });
    expect(stats.get('b\u0000m')).toMatchObject({ requests: 2, successes: 2, failures: 0, avgLatencyMs: 12 });
  });

  it('reads one outcome and a batch from the same subject', () => {
    const single = outcome('a', true, '1');
    expect(routeOutcomeEventSchema.parse(single)).toEqual([single]);
    expect(routeOutcomeEventSchema.parse({ outcomes: [single, single] })).toHaveLength(2);
    expect(routeOutcomeEventSchema.safeParse({ outcomes: [] }).success).toBe(false);
    expect(routeOutcomeEventSchema.safeParse({ outcomes: [{ ...single, ok: 'yes' }] }).success).toBe(false);
  });
});
