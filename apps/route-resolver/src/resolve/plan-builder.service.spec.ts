import { AisbfError, RouteResolveRequest } from '@aisbf/contracts';
import { ConfigStore } from '@aisbf/persistence';
import { compileProvider, CooldownPolicy, rotationSchema, UserRouteConfig } from '@aisbf/routing';
import { MemoryRouteStateStore } from '../route-state/memory-route-state-store';
import { PlanBuilderService } from './plan-builder.service';

const policy: CooldownPolicy = { defaultCooldownSeconds: 60, maxCooldownSeconds: 600 };

function config(): UserRouteConfig {
  const provider = (id: string, isPrivate: boolean) =>
    [id, compileProvider(id, { type: 'openai', endpoint: `http://${id}.test/v1`, private: isPrivate, models: [{ name: 'm' }] }, null)] as const;
  const rotations = {
    pool: { providers: [{ provider_id: 'local', model: 'm', weight: 6, error_cooldown: 10 }, { provider_id: 'hosted', model: 'm', weight: 4 }] },
    loop: { providers: [{ model_id: 'user-rotation/loop' }] },
  };
  return {
    username: 'alice',
    trustedEndpoints: true,
    providers: new Map([provider('local', true), provider('hosted', false)]),
    rotations: new Map(Object.entries(rotations).map(([name, r]) => [name, rotationSchema.parse(r)])),
    autoselects: new Map(),
  };
}

const store: ConfigStore = { authenticate: async () => null, loadRouteConfig: async (username) => (username === 'alice' ? config() : null) };
const request = (model: string, extra: Partial<RouteResolveRequest> = {}): RouteResolveRequest => ({
  username: 'alice',
  model,
  hints: { stream: false, tools: false, images: false },
  ...extra,
});

async function failure(run: Promise<unknown>): Promise<AisbfError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AisbfError)) throw new Error(`expected an AisbfError, got ${String(error)}`);
  return error;
}

describe('plan builder', () => {
  let state: MemoryRouteStateStore;
  let plans: PlanBuilderService;
  beforeEach(() => {
    state = new MemoryRouteStateStore(policy);
    plans = new PlanBuilderService(store, state, policy);
  });

  it('builds the plan its dry run announced, taking a request number only when live', async () => {
    for (let i = 0; i < 5; i++) {
      const explained = await plans.explain(request('user-rotation/pool'));
      const plan = await plans.build(request('user-rotation/pool'));
      expect(plan.candidates.map((c) => c.providerId)).toEqual(explained.plan.map((p) => p.provider_id));
    }
    expect(await state.peekSequence('alice', 'pool')).toBe(6);
  });

  it('carries weight and error_cooldown on candidates, and cuts the plan at the attempt limit', async () => {
    const plan = await plans.build(request('user-rotation/pool', { maxCandidates: 1 }));
    expect(plan).toMatchObject({ routeId: 'user-rotation/pool', routeKind: 'rotation' });
    expect(plan.candidates).toHaveLength(1);
    const full = await plans.build(request('user-rotation/pool'));
    expect(full.candidates.find((c) => c.providerId === 'local')).toMatchObject({ weight: 6, errorCooldownSeconds: 10 });
    expect(full.candidates.find((c) => c.providerId === 'hosted')?.errorCooldownSeconds).toBeUndefined();
  });

  it('keeps private providers only when asked, for rotations and direct routes', async () => {
    const plan = await plans.build(request('user-rotation/pool'), { requirePrivate: true });
    expect(plan.candidates.map((c) => c.providerId)).toEqual(['local']);
    const direct = await failure(plans.build(request('user-provider/hosted/m'), { requirePrivate: true }));
    expect(direct).toMatchObject({ code: 'no_eligible_candidate', status: 400 });
    expect((await plans.build(request('user-provider/local/m'), { requirePrivate: true })).candidates).toHaveLength(1);
  });

  it('maps configuration problems to clear client errors', async () => {
    expect(await failure(plans.build(request('user-rotation/nope')))).toMatchObject({ code: 'model_not_found', status: 404 });
    const loop = await failure(plans.build(request('user-rotation/loop')));
    expect(loop).toMatchObject({ code: 'unprocessable_config', status: 422 });
    expect(loop.message).toBe("route 'user-rotation/loop' is misconfigured: rotation loop: user-rotation/loop -> user-rotation/loop");
    expect(await failure(plans.build(request('gpt-4')))).toMatchObject({ code: 'model_not_found' });
    expect(await failure(plans.build({ ...request('user-rotation/pool'), username: 'mallory' }))).toMatchObject({ code: 'permission_denied' });
  });

  it('answers 503 with the soonest recovery once every candidate cools, and explains it without failing', async () => {
    const now = Date.now();
    for (const [providerId, seconds] of [['local', 10], ['hosted', 40]] as const) {
      await state.updateCircuit({ username: 'alice', providerId, model: 'm' }, () => ({
        state: { openUntil: now + seconds * 1000, openedAt: now, level: 1, status: 500, code: 'upstream_error' },
        changed: true,
      }));
    }
    const error = await failure(plans.build(request('user-rotation/pool')));
    expect(error).toMatchObject({ code: 'all_candidates_cooling', status: 503 });
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(9);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(10);
    const explained = await plans.explain(request('user-rotation/pool'));
    expect(explained.error).toMatchObject({ code: 'all_candidates_cooling' });
    expect(explained.candidates.map((c) => c.status)).toEqual(['cooling', 'cooling']);
    // A direct route to a cooling provider is still served.
    expect((await plans.build(request('user-provider/local/m'))).candidates).toHaveLength(1);
  });
});
