import { expandRotation, RouteExpansionError, treeLeaves, treeRotations } from './rotation-tree';
import { parseReferenceFixture, routeConfigFixture, seedConfigFixture } from './route-config.fixture';

const expand = (config: ReturnType<typeof routeConfigFixture>, name: string) =>
  expandRotation(config, name, { parseReference: parseReferenceFixture });

const providers = {
  a: { models: [{ name: 'm1' }, { name: 'm2', capabilities: ['chat', 'vision'] }] },
  b: { models: [{ name: 'n' }] },
};

function expansionError(run: () => unknown): RouteExpansionError {
  try {
    run();
  } catch (error) {
    if (error instanceof RouteExpansionError) return error;
    throw error;
  }
  throw new Error('expected a RouteExpansionError');
}

describe('rotation trees', () => {
  it("expands the seed's candidate shape with weights and cooldowns", () => {
    const leaves = treeLeaves(expand(seedConfigFixture(), 'coding-production'));
    expect(leaves.map((l) => [l.providerId, l.model, l.weight, l.errorCooldownSeconds, l.problem])).toEqual([
      ['coderai-local', 'qwen2.5-coder:32b', 6, 60, null],
      ['runpod-gpu-a', 'deepseek-coder-v2', 3, 120, null],
      ['openai-prod', 'gpt-4.1-mini', 1, 300, null],
    ]);
    expect(leaves[0].rotationCapabilities).toEqual(['chat', 'coding', 'tool_use']);
  });

  it("flattens AISBF's nested models list into one member per model", () => {
    const config = routeConfigFixture(providers, {
      r: { providers: [{ provider_id: 'a', models: [{ name: 'm1', weight: 2, error_cooldown: 5 }, { name: 'm2' }] }] },
    });
    expect(treeLeaves(expand(config, 'r')).map((l) => [l.model, l.weight, l.errorCooldownSeconds])).toEqual([
      ['m1', 2, 5],
      ['m2', 1, undefined],
    ]);
  });

  it('nests rotations by model_id, passing down capabilities and a default cooldown', () => {
    const config = routeConfigFixture(providers, {
      outer: { capabilities: ['tool_use'], providers: [{ provider_id: 'b', model: 'n', weight: 2 }, { model_id: 'user-rotation/inner', weight: 3, error_cooldown: 9 }] },
      inner: { providers: [{ provider_id: 'a', model: 'm1' }, { model_id: 'user-provider/a/m2', error_cooldown: 4 }] },
    });
    const tree = expand(config, 'outer');
    expect(treeRotations(tree).map((r) => [r.name, r.weight])).toEqual([
      ['outer', 1],
      ['inner', 3],
    ]);
    const leaves = treeLeaves(tree);
    expect(leaves.map((l) => [l.providerId, l.model, l.errorCooldownSeconds, l.path.join('>')])).toEqual([
      ['b', 'n', undefined, 'outer'],
      ['a', 'm1', 9, 'outer>inner'],
      ['a', 'm2', 4, 'outer>inner'],
    ]);
    expect(leaves[1].rotationCapabilities).toEqual(['tool_use']);
  });

  it('rejects a loop with the path that loops, never recursing forever', () => {
    const config = routeConfigFixture(providers, {
      x: { providers: [{ model_id: 'user-rotation/y' }] },
      y: { providers: [{ provider_id: 'a', model: 'm1' }, { model_id: 'user-rotation/x' }] },
      self: { providers: [{ model_id: 'user-rotation/self' }] },
    });
    const error = expansionError(() => expand(config, 'x'));
    expect(error.reason).toBe('loop');
    expect(error.message).toBe('rotation loop: user-rotation/x -> user-rotation/y -> user-rotation/x');
    expect(expansionError(() => expand(config, 'self')).message).toContain('user-rotation/self -> user-rotation/self');
  });

  it('bounds nesting at 8 levels', () => {
    const rotations: Record<string, { providers: Array<{ model_id: string } | { provider_id: string; model: string }> }> = {};
    for (let i = 1; i <= 9; i++) rotations[`r${i}`] = { providers: [i === 9 ? { provider_id: 'b', model: 'n' } : { model_id: `user-rotation/r${i + 1}` }] };
    const config = routeConfigFixture(providers, rotations);
    expect(treeLeaves(expand(config, 'r2'))).toHaveLength(1);
    const error = expansionError(() => expand(config, 'r1'));
    expect(error.reason).toBe('too_deep');
    expect(error.message).toContain('deeper than 8 levels');
  });

  it('stops a rotation that multiplies into too many candidates', () => {
    const wide = Array.from({ length: 100 }, () => ({ model_id: 'user-rotation/leafy' }));
    const config = routeConfigFixture(providers, {
      top: { providers: wide },
      leafy: { providers: Array.from({ length: 20 }, () => ({ provider_id: 'b', model: 'n' })) },
    });
    expect(expansionError(() => expand(config, 'top')).reason).toBe('too_large');
  });

  it('keeps unusable members with the reason, so an explanation can show them', () => {
    const config = routeConfigFixture(providers, {
      r: {
        providers: [
          { provider_id: 'ghost', model: 'x' },
          { provider_id: 'a', model: 'nope' },
          { model_id: 'user-autoselect/engineering' },
          { model_id: 'user-rotation/missing' },
          { model_id: 'gpt-4' },
        ],
      },
    });
    expect(treeLeaves(expand(config, 'r')).map((l) => l.problem)).toEqual([
      "provider 'ghost' does not exist",
      "provider 'a' has no model 'nope'",
      "'user-autoselect/engineering' is an autoselect policy; a rotation lists providers and rotations only",
      "rotation 'missing' does not exist",
      "'gpt-4' is not a route id (user-rotation/{name} or user-provider/{provider}/{model})",
    ]);
    expect(expansionError(() => expand(config, 'nothing')).reason).toBe('unknown_rotation');
  });
});
