import type { RoutePlan, RouteResolveRequest } from '@aisbf/contracts';
import { ReusablePlans } from './reusable-plans';

const hints = { stream: false, tools: false, images: false };
const question = (username: string, model = 'user-provider/openai/gpt-4o-mini', extra: Partial<RouteResolveRequest> = {}): RouteResolveRequest => ({
  username,
  model,
  hints,
  maxCandidates: 3,
  ...extra,
});

function plan(model: string, reusableMs?: number): RoutePlan {
  return {
    routeId: model,
    routeKind: 'provider',
    candidates: [
      {
        providerId: 'openai',
        providerType: 'openai',
        model: 'gpt-4o-mini',
        endpoint: 'https://api.openai.com/v1',
        pool: 'default',
        sealedKey: null,
        timeouts: { connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1 },
        allowPrivateEndpoint: false,
      },
    ],
    explanation: [],
    ...(reusableMs ? { reusableMs } : {}),
  };
}

describe('ReusablePlans', () => {
  let now = 1_000;
  const clock = () => now;

  it('answers the same user, route and hints with a reusable plan until it expires', () => {
    const plans = new ReusablePlans({ now: clock });
    const key = ReusablePlans.key(question('alice'));
    const kept = plan('user-provider/openai/gpt-4o-mini', 5_000);
    plans.keep(key, kept, plans.mark());
    expect(plans.get(key)).toBe(kept);
    expect(plans.get(ReusablePlans.key(question('bob')))).toBeUndefined();
    expect(plans.get(ReusablePlans.key(question('alice', 'user-provider/openai/gpt-4o')))).toBeUndefined();
    expect(plans.get(ReusablePlans.key(question('alice', undefined, { hints: { ...hints, stream: true } })))).toBeUndefined();
    expect(plans.get(ReusablePlans.key(question('alice', undefined, { maxCandidates: 1 })))).toBeUndefined();
    now += 5_001;
    expect(plans.get(key)).toBeUndefined();
  });

  it('keeps nothing the resolver did not mark reusable', () => {
    const plans = new ReusablePlans({ now: clock });
    const key = ReusablePlans.key(question('alice', 'user-rotation/coding'));
    plans.keep(key, plan('user-rotation/coding'), plans.mark());
    expect(plans.get(key)).toBeUndefined();
  });

  it("drops a user's plans when that user's routes change, and everyone's on a global change", () => {
    const plans = new ReusablePlans({ now: clock });
    const alice = ReusablePlans.key(question('alice'));
    const alice2 = ReusablePlans.key(question('alice', 'user-provider/openai/gpt-4o'));
    const bob = ReusablePlans.key(question('bob'));
    for (const key of [alice, alice2, bob]) plans.keep(key, plan('m', 30_000), plans.mark());

    plans.drop({ username: 'alice', kind: 'tokens' });
    expect(plans.get(alice)).toBeDefined();

    plans.drop({ username: 'alice', kind: 'providers' });
    expect(plans.get(alice)).toBeUndefined();
    expect(plans.get(alice2)).toBeUndefined();
    expect(plans.get(bob)).toBeDefined();

    plans.drop({ username: null, kind: 'all' });
    expect(plans.get(bob)).toBeUndefined();
    expect(plans.size).toBe(0);
  });

  it('does not keep an answer to a question asked before a change', () => {
    const plans = new ReusablePlans({ now: clock });
    const key = ReusablePlans.key(question('alice'));
    const asked = plans.mark();
    plans.drop({ username: 'alice', kind: 'providers' });
    plans.keep(key, plan('m', 30_000), asked);
    expect(plans.get(key)).toBeUndefined();
    plans.keep(key, plan('m', 30_000), plans.mark());
    expect(plans.get(key)).toBeDefined();
  });

  it('holds at most its limit, dropping the least recently used', () => {
    const plans = new ReusablePlans({ max: 2, now: clock });
    const keys = ['a', 'b', 'c'].map((user) => ReusablePlans.key(question(user)));
    keys.forEach((key) => plans.keep(key, plan('m', 30_000), plans.mark()));
    expect(plans.size).toBe(2);
    expect(plans.get(keys[0])).toBeUndefined();
    // An evicted user's plans are forgotten with it: a later change of that user finds nothing to drop.
    plans.drop({ username: 'a', kind: 'providers' });
    expect(plans.get(keys[2])).toBeDefined();
  });
});
