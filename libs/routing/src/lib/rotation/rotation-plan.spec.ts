import fc from 'fast-check';
import { CircuitState } from './cooldown-policy';
import { RouteNeeds } from './candidate-eligibility';
import { planRotation, RotationPlanInputs } from './rotation-plan';
import { candidateKey, expandRotation, RotationNode } from './rotation-tree';
import { parseReferenceFixture, routeConfigFixture, seedConfigFixture } from './route-config.fixture';

const NOW = 1_700_000_000_000;
const NO_NEEDS: RouteNeeds = { stream: false, tools: false, images: false };

/** Counters and probe claims as the shared store would keep them. */
class FakeState {
  counters = new Map<string, number>();
  circuits = new Map<string, CircuitState>();
  probes = new Set<string>();
  sequenceCalls: string[] = [];

  inputs(overrides: Partial<RotationPlanInputs> = {}): RotationPlanInputs {
    return {
      now: NOW,
      needs: NO_NEEDS,
      requirePrivate: false,
      circuits: this.circuits,
      sequence: async (rotation) => {
        this.sequenceCalls.push(rotation);
        const next = (this.counters.get(rotation) ?? 0) + 1;
        this.counters.set(rotation, next);
        return next;
      },
      claimProbe: async (leaf) => {
        const key = candidateKey(leaf.providerId, leaf.model);
        if (this.probes.has(key)) return false;
        this.probes.add(key);
        return true;
      },
      ...overrides,
    };
  }

  open(providerId: string, model: string, untilOffsetMs: number, level = 1): void {
    this.circuits.set(candidateKey(providerId, model), { openUntil: NOW + untilOffsetMs, openedAt: NOW - 1_000, level, status: 502, code: 'upstream_error' });
  }
}

const seedTree = () => expandRotation(seedConfigFixture(), 'coding-production', { parseReference: parseReferenceFixture });
const order = (result: Awaited<ReturnType<typeof planRotation>>) => result.candidates.map((c) => c.providerId);

async function spread(tree: RotationNode, state: FakeState, requests: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < requests; i++) {
    const first = (await planRotation(tree, state.inputs())).candidates[0];
    const label = `${first.providerId}/${first.model}`;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

describe('rotation plans', () => {
  it('sends 60/30/10 % of the seed rotation to its candidates', async () => {
    const counts = await spread(seedTree(), new FakeState(), 3_000);
    expect(counts['coderai-local/qwen2.5-coder:32b']).toBeGreaterThanOrEqual(1_797);
    expect(counts['coderai-local/qwen2.5-coder:32b']).toBeLessThanOrEqual(1_803);
    expect(Math.abs(counts['runpod-gpu-a/deepseek-coder-v2'] - 900)).toBeLessThanOrEqual(3);
    expect(Math.abs(counts['openai-prod/gpt-4.1-mini'] - 300)).toBeLessThanOrEqual(3);
  });

  it('puts the weighted choice first and every other healthy candidate after it, heaviest first', async () => {
    const state = new FakeState();
    state.counters.set('coding-production', 0); // request #1 -> point 0.618 -> runpod (0.6..0.9)
    const result = await planRotation(seedTree(), state.inputs());
    expect(order(result)).toEqual(['runpod-gpu-a', 'coderai-local', 'openai-prod']);
    expect(result.picks).toEqual([
      expect.objectContaining({ rotation: 'coding-production', sequence: 1, chosen: 'runpod-gpu-a/deepseek-coder-v2' }),
    ]);
    expect(result.verdicts.map((v) => [v.status, v.position])).toEqual([
      ['failover', 2],
      ['selected', 1],
      ['failover', 3],
    ]);
    expect(result.verdicts[1].reason).toBe('chosen by weight (request #1 of user-rotation/coding-production)');
    expect(result.verdicts.map((v) => v.share)).toEqual([0.6, 0.3, 0.1]);
  });

  it('keeps highest-weight-first order with the priority strategy, without a counter', async () => {
    const config = routeConfigFixture(
      { a: { models: [{ name: 'm' }] }, b: { models: [{ name: 'm' }] }, c: { models: [{ name: 'm' }] } },
      { p: { strategy: 'priority', providers: [{ provider_id: 'a', model: 'm', weight: 1 }, { provider_id: 'b', model: 'm', weight: 5 }, { provider_id: 'c', model: 'm', weight: 3 }] } },
    );
    const state = new FakeState();
    const tree = expandRotation(config, 'p', { parseReference: parseReferenceFixture });
    for (let i = 0; i < 5; i++) expect(order(await planRotation(tree, state.inputs()))).toEqual(['b', 'c', 'a']);
    expect(state.sequenceCalls).toEqual([]);
    state.open('b', 'm', 10_000);
    expect(order(await planRotation(tree, state.inputs()))).toEqual(['c', 'a']);
  });

  it('skips cooling candidates, and the weights of the others share the traffic', async () => {
    const state = new FakeState();
    state.open('coderai-local', 'qwen2.5-coder:32b', 60_000);
    const counts = await spread(seedTree(), state, 400);
    expect(counts['coderai-local/qwen2.5-coder:32b']).toBeUndefined();
    expect(Math.abs(counts['runpod-gpu-a/deepseek-coder-v2'] - 300)).toBeLessThanOrEqual(3);
    const plan = await planRotation(seedTree(), state.inputs());
    const cooling = plan.verdicts.find((v) => v.leaf.providerId === 'coderai-local')!;
    expect(cooling).toMatchObject({ status: 'cooling', position: null });
    expect(cooling.reason).toBe(`cooling down until ${new Date(NOW + 60_000).toISOString()} after HTTP 502 (upstream_error)`);
  });

  it('fails with the soonest recovery when every candidate is cooling', async () => {
    const state = new FakeState();
    state.open('coderai-local', 'qwen2.5-coder:32b', 60_000);
    state.open('runpod-gpu-a', 'deepseek-coder-v2', 7_000);
    state.open('openai-prod', 'gpt-4.1-mini', 300_000);
    const result = await planRotation(seedTree(), state.inputs());
    expect(result.candidates).toEqual([]);
    expect(result.failure).toEqual({
      kind: 'all_cooling',
      retryAfterSeconds: 7,
      message: 'every candidate of user-rotation/coding-production is cooling down after errors; the first one is back in 7 s',
    });
  });

  it('lets a candidate whose cooldown is over serve one probe, as a first choice only', async () => {
    const config = routeConfigFixture(
      { a: { models: [{ name: 'm' }] }, b: { models: [{ name: 'm' }] } },
      { r: { strategy: 'priority', providers: [{ provider_id: 'a', model: 'm', weight: 2 }, { provider_id: 'b', model: 'm', weight: 1 }] } },
    );
    const tree = expandRotation(config, 'r', { parseReference: parseReferenceFixture });
    const state = new FakeState();
    state.open('a', 'm', -1); // cooldown just ended
    const probe = await planRotation(tree, state.inputs());
    expect(order(probe)).toEqual(['a', 'b']);
    expect(probe.verdicts[0]).toMatchObject({ status: 'selected', probe: true, reason: 'cooldown over: this request is its half-open probe' });
    // While that probe runs, other requests leave the candidate alone.
    const meanwhile = await planRotation(tree, state.inputs());
    expect(order(meanwhile)).toEqual(['b']);
    expect(meanwhile.verdicts[0]).toMatchObject({ status: 'probe_in_flight', position: null });
  });

  it('does not use a half-open candidate for failover', async () => {
    const config = routeConfigFixture(
      { a: { models: [{ name: 'm' }] }, b: { models: [{ name: 'm' }] } },
      { r: { strategy: 'priority', providers: [{ provider_id: 'a', model: 'm', weight: 2 }, { provider_id: 'b', model: 'm', weight: 1 }] } },
    );
    const state = new FakeState();
    state.open('b', 'm', -1);
    const result = await planRotation(expandRotation(config, 'r', { parseReference: parseReferenceFixture }), state.inputs());
    expect(order(result)).toEqual(['a']);
    expect(result.verdicts[1].status).toBe('half_open');
    expect(state.probes.size).toBe(0);
  });

  it('asks again soon when the only candidates left are being probed', async () => {
    const state = new FakeState();
    for (const [p, m] of [['coderai-local', 'qwen2.5-coder:32b'], ['runpod-gpu-a', 'deepseek-coder-v2'], ['openai-prod', 'gpt-4.1-mini']]) {
      state.open(p, m, -1);
      state.probes.add(candidateKey(p, m));
    }
    const result = await planRotation(seedTree(), state.inputs());
    expect(result.failure).toMatchObject({ kind: 'all_cooling', retryAfterSeconds: 1 });
  });

  it('filters by the capabilities a request needs: tools need tool_use, images need vision', async () => {
    const config = routeConfigFixture(
      {
        text: { models: [{ name: 'm', capabilities: ['chat'] }] },
        tools: { models: [{ name: 'm', capabilities: ['chat', 'tool_use'] }] },
        eyes: { models: [{ name: 'm', capabilities: ['chat', 'vision', 'tool_use'] }] },
        unknown: { models: [{ name: 'm' }] },
      },
      {
        r: {
          strategy: 'priority',
          providers: [
            { provider_id: 'text', model: 'm', weight: 4 },
            { provider_id: 'tools', model: 'm', weight: 3 },
            { provider_id: 'eyes', model: 'm', weight: 2 },
            { provider_id: 'unknown', model: 'm', weight: 1 },
          ],
        },
      },
    );
    const tree = expandRotation(config, 'r', { parseReference: parseReferenceFixture });
    const state = new FakeState();
    expect(order(await planRotation(tree, state.inputs({ needs: { ...NO_NEEDS, tools: true } })))).toEqual(['tools', 'eyes', 'unknown']);
    const images = await planRotation(tree, state.inputs({ needs: { stream: true, tools: true, images: true } }));
    expect(order(images)).toEqual(['eyes', 'unknown']);
    expect(images.verdicts[1]).toMatchObject({ status: 'filtered_capability', reason: 'lacks vision (the request has images)' });
    expect(images.verdicts[0].reason).toBe('lacks tool_use (the request has tools); lacks vision (the request has images)');
  });

  it('uses the rotation capabilities for models that declare none', async () => {
    const result = await planRotation(seedTree(), new FakeState().inputs({ needs: { ...NO_NEEDS, images: true } }));
    expect(result.candidates).toEqual([]);
    expect(result.failure?.kind).toBe('none_eligible');
    expect(result.failure?.message).toContain('coderai-local/qwen2.5-coder:32b: lacks vision (the request has images)');
    expect(order(await planRotation(seedTree(), new FakeState().inputs({ needs: { ...NO_NEEDS, tools: true } })))).toHaveLength(3);
  });

  it('keeps only private providers when the request must stay private', async () => {
    const result = await planRotation(seedTree(), new FakeState().inputs({ requirePrivate: true }));
    expect(order(result)).toEqual(['coderai-local']);
    expect(result.verdicts[2]).toMatchObject({
      status: 'filtered_privacy',
      reason: "provider 'openai-prod' is not declared private and this request must stay private",
    });
  });

  it('draws a nested rotation from its own counter, so its own weights hold inside its share', async () => {
    const config = routeConfigFixture(
      { x: { models: [{ name: 'm' }] }, a: { models: [{ name: 'm' }] }, b: { models: [{ name: 'm' }] } },
      {
        outer: { providers: [{ provider_id: 'x', model: 'm', weight: 1 }, { model_id: 'user-rotation/inner', weight: 1 }] },
        inner: { providers: [{ provider_id: 'a', model: 'm', weight: 1 }, { provider_id: 'b', model: 'm', weight: 1 }] },
      },
    );
    const state = new FakeState();
    const counts = await spread(expandRotation(config, 'outer', { parseReference: parseReferenceFixture }), state, 1_000);
    expect(Math.abs(counts['x/m'] - 500)).toBeLessThanOrEqual(3);
    expect(Math.abs(counts['a/m'] - 250)).toBeLessThanOrEqual(3);
    expect(Math.abs(counts['b/m'] - 250)).toBeLessThanOrEqual(3);
    expect(state.counters.get('outer')).toBe(1_000);
    expect(state.counters.get('inner')).toBe(counts['a/m'] + counts['b/m']);
  });

  it('lists a candidate named twice once, and skips unusable members', async () => {
    const config = routeConfigFixture(
      { a: { models: [{ name: 'm' }] }, b: { models: [{ name: 'm' }] } },
      {
        outer: { providers: [{ provider_id: 'a', model: 'm', weight: 1 }, { model_id: 'user-rotation/inner', weight: 1 }, { provider_id: 'ghost', model: 'z' }] },
        inner: { providers: [{ provider_id: 'a', model: 'm' }, { provider_id: 'b', model: 'm' }] },
      },
    );
    const result = await planRotation(expandRotation(config, 'outer', { parseReference: parseReferenceFixture }), new FakeState().inputs());
    expect(result.candidates.map((c) => c.providerId).sort()).toEqual(['a', 'b']);
    expect(result.verdicts.find((v) => v.leaf.providerId === 'ghost')).toMatchObject({ status: 'invalid', position: null });
  });

  it('never plans a cooling, filtered or duplicated candidate, and plans something whenever one can serve', async () => {
    const names = ['p0', 'p1', 'p2', 'p3', 'p4'];
    const providers = Object.fromEntries(names.map((n, i) => [n, { private: i % 2 === 0, models: [{ name: 'm', capabilities: i === 3 ? ['chat'] : [] }] }]));
    const member = fc.record({ provider: fc.constantFrom(...names), weight: fc.integer({ min: 1, max: 10 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(member, { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom(...names)),
        fc.array(fc.constantFrom(...names)),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom<'weighted' | 'priority'>('weighted', 'priority'),
        fc.nat(),
        async (members, cooling, halfOpen, tools, requirePrivate, strategy, counter) => {
          const config = routeConfigFixture(providers, {
            r: { strategy, providers: members.map((m) => ({ provider_id: m.provider, model: 'm', weight: m.weight })) },
          });
          const state = new FakeState();
          state.counters.set('r', counter);
          for (const p of halfOpen) state.open(p, 'm', -5);
          for (const p of cooling) state.open(p, 'm', 30_000);
          const result = await planRotation(
            expandRotation(config, 'r', { parseReference: parseReferenceFixture }),
            state.inputs({ needs: { ...NO_NEEDS, tools }, requirePrivate }),
          );
          const planned = result.candidates.map((c) => c.providerId);
          expect(new Set(planned).size).toBe(planned.length);
          const coolingSet = new Set(cooling);
          const usable = members.filter((m) => !coolingSet.has(m.provider) && !(tools && m.provider === 'p3') && !(requirePrivate && Number(m.provider[1]) % 2 === 1));
          for (const p of planned) expect(usable.some((m) => m.provider === p)).toBe(true);
          // Half-open candidates appear only first (as a probe).
          planned.slice(1).forEach((p) => expect(halfOpen.includes(p) && !coolingSet.has(p)).toBe(false));
          expect(result.failure === null).toBe(usable.length > 0);
          if (result.failure?.kind === 'all_cooling') expect(result.failure.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
