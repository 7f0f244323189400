import { candidateKey, CooldownPolicy, nextCircuitState } from '@aisbf/routing';
import { MemoryRouteStateStore } from './memory-route-state-store';
import { MirroredRouteStateStore } from './mirrored-route-state-store';
import { CandidateRef } from './route-state-store';

const policy: CooldownPolicy = { defaultCooldownSeconds: 60, maxCooldownSeconds: 600 };
const ref = { username: 'alice', providerId: 'p', model: 'm' };
const other = { providerId: 'q', model: 'm' };
const failure = { ok: false, retryable: true, status: 500, code: 'upstream_error', errorCooldownSeconds: 30 };
const fail = (store: { updateCircuit: MirroredRouteStateStore['updateCircuit'] }) =>
  store.updateCircuit(ref, (previous) => nextCircuitState(previous, failure, Date.now(), policy));

/** Two resolver replicas over one shared store (Redis's role, played by a memory store), notices passed by hand. */
function replicas(ttlMs = 1_000) {
  const shared = Object.assign(new MemoryRouteStateStore(policy), { isReady: () => true });
  const reads = { count: 0 };
  const readCircuits = shared.readCircuits.bind(shared);
  shared.readCircuits = (username, candidates) => {
    reads.count++;
    return readCircuits(username, candidates);
  };
  let clock = 1_000_000;
  const notices: Array<CandidateRef & { origin: string }> = [];
  const options = { ttlMs, maxEntries: 2, now: () => clock };
  const a = new MirroredRouteStateStore(shared, (changed) => notices.push({ origin: 'a', ...changed }), { ...options, origin: 'a' });
  const b = new MirroredRouteStateStore(shared, (changed) => notices.push({ origin: 'b', ...changed }), { ...options, origin: 'b' });
  return { shared, reads, a, b, notices, advance: (ms: number) => (clock += ms) };
}

describe('mirrored route state store', () => {
  it('plans from its copy: a second read of the same candidates does not reach the shared store', async () => {
    const { reads, a } = replicas();
    expect((await a.readCircuits('alice', [ref, other])).size).toBe(0);
    expect((await a.readCircuits('alice', [ref, other])).size).toBe(0);
    expect(reads.count).toBe(1);
  });

  it('sees its own cooldown at once and announces it; the other replica sees it once told', async () => {
    const { a, b, notices } = replicas();
    await b.readCircuits('alice', [ref]);
    await fail(a);
    expect((await a.readCircuits('alice', [ref])).get(candidateKey('p', 'm'))).toMatchObject({ code: 'upstream_error' });
    expect(notices).toEqual([{ origin: 'a', ...ref }]);
    // Its own notice changes nothing for a.
    a.noticed(notices[0]);
    expect((await a.readCircuits('alice', [ref])).get(candidateKey('p', 'm'))).toMatchObject({ code: 'upstream_error' });
    // Until the notice arrives, b plans with its copy; after it, b reads the shared state.
    expect((await b.readCircuits('alice', [ref])).size).toBe(0);
    b.noticed(notices[0]);
    expect((await b.readCircuits('alice', [ref])).get(candidateKey('p', 'm'))).toMatchObject({ code: 'upstream_error' });
  });

  it('announces only real changes', async () => {
    const { a, notices } = replicas();
    await a.updateCircuit(ref, (previous) => ({ state: previous, changed: false }));
    expect(notices).toEqual([]);
  });

  it('reads the shared store again once a copy is older than its ttl, so a lost notice does not last', async () => {
    const { a, b, reads, advance } = replicas(1_000);
    await b.readCircuits('alice', [ref]);
    await fail(a);
    // The notice never came: b keeps planning with its copy, up to the ttl.
    advance(999);
    expect((await b.readCircuits('alice', [ref])).size).toBe(0);
    const before = reads.count;
    advance(1);
    expect((await b.readCircuits('alice', [ref])).get(candidateKey('p', 'm'))).toMatchObject({ code: 'upstream_error' });
    expect(reads.count).toBe(before + 1);
  });

  it('keeps at most maxEntries copies, dropping the oldest', async () => {
    const { a, reads } = replicas();
    await a.readCircuits('alice', [{ providerId: 'x', model: '1' }]);
    await a.readCircuits('alice', [{ providerId: 'x', model: '2' }]);
    await a.readCircuits('alice', [{ providerId: 'x', model: '3' }]);
    const before = reads.count;
    await a.readCircuits('alice', [{ providerId: 'x', model: '3' }]);
    expect(reads.count).toBe(before);
    await a.readCircuits('alice', [{ providerId: 'x', model: '1' }]);
    expect(reads.count).toBe(before + 1);
  });
});

describe('mirrored route state store: outcomes', () => {
  const success = { ok: true, retryable: false, status: 200, code: null, errorCooldownSeconds: 30 };

  it('records a success of a candidate it knows healthy without a shared round trip, but not one of a cooling candidate', async () => {
    const { shared, a } = replicas();
    const updates = { count: 0 };
    const update = shared.updateCircuit.bind(shared);
    shared.updateCircuit = (ref, transition) => {
      updates.count++;
      return update(ref, transition);
    };
    await a.readCircuits('alice', [ref]);
    expect(await a.updateCircuit(ref, (previous) => nextCircuitState(previous, success, Date.now(), policy))).toBeNull();
    expect(updates.count).toBe(0);
    await fail(a);
    expect(updates.count).toBe(1);
    // Cooling: the success (a probe's) must reach the shared store and close the circuit there.
    await a.updateCircuit(ref, (previous) => nextCircuitState(previous, success, Date.now(), policy));
    expect(updates.count).toBe(2);
  });
});
