import { AisbfMetrics, ReadinessRegistry } from '@aisbf/telemetry';
import { CooldownMetrics } from './cooldown-metrics';

const state = (openedAt: number, openUntil: number) => ({ openedAt, openUntil, level: 1, status: 503, code: 'upstream_error' });

describe('cooldown metrics', () => {
  it('count cooldowns opened and those still running, per provider, until they end or close', async () => {
    const metrics = new AisbfMetrics('route-resolver', new ReadinessRegistry(), { defaultMetrics: false });
    const cooldowns = new CooldownMetrics(metrics);
    const a = { username: 'alice', providerId: 'runpod-gpu-a', model: 'deepseek-coder-v2' };
    const b = { username: 'bob', providerId: 'runpod-gpu-a', model: 'deepseek-coder-v2' };
    const c = { username: 'alice', providerId: 'openai-prod', model: 'gpt-4.1-mini' };
    cooldowns.observe(a, state(1_000, 61_000), 1_000);
    cooldowns.observe(b, state(2_000, 122_000), 2_000);
    cooldowns.observe(c, state(3_000, 8_000), 3_000);
    // A later failure while open keeps the cooldown, without starting another one.
    cooldowns.observe(a, state(1_000, 61_000), 4_000);

    const text = async () => {
      cooldowns.refresh(10_000);
      return metrics.registry.metrics();
    };
    let exposition = await text();
    expect(exposition).toContain('aisbf_cooldowns_open{provider="runpod-gpu-a",aisbf_service="route-resolver"} 2');
    expect(exposition).not.toMatch(/aisbf_cooldowns_open\{provider="openai-prod"/);
    expect(exposition).toContain('aisbf_cooldowns_started_total{provider="runpod-gpu-a",aisbf_service="route-resolver"} 2');
    expect(exposition).toContain('aisbf_cooldowns_started_total{provider="openai-prod",aisbf_service="route-resolver"} 1');

    // A successful probe closes bob's breaker.
    cooldowns.observe(b, null, 11_000);
    exposition = await text();
    expect(exposition).toContain('aisbf_cooldowns_open{provider="runpod-gpu-a",aisbf_service="route-resolver"} 1');
  });
});
