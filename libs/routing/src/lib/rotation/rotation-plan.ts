import { leafEligibility, RouteNeeds } from './candidate-eligibility';
import { CircuitState, circuitPhase } from './cooldown-policy';
import { candidateKey, RotationNode, RouteLeaf, RouteMember, treeLeaves } from './rotation-tree';
import { pickByWeight, pickHighestWeight, sequencePoint, weightShares } from './weighted-picker';

export interface RotationPlanInputs {
  now: number;
  needs: RouteNeeds;
  /** A policy demands that the data stays private: only candidates of private providers remain. */
  requirePrivate: boolean;
  /** Breaker states by candidateKey(provider, model). */
  circuits: ReadonlyMap<string, CircuitState>;
  /**
   * The request number of a rotation. A live call increments the shared counter; a dry run reads
   * the number the next live call will get. Asked only for rotations whose weighted choice decides
   * the first candidate, so nested rotations draw their own evenly spread sequence.
   */
  sequence(rotation: string): Promise<number>;
  /** Takes the half-open probe of a candidate; false when another request already holds it. */
  claimProbe(leaf: RouteLeaf): Promise<boolean>;
}

export type LeafStatus =
  | 'selected'
  | 'failover'
  | 'cooling'
  | 'half_open'
  | 'probe_in_flight'
  | 'filtered_capability'
  | 'filtered_privacy'
  | 'invalid';

export interface LeafVerdict {
  leaf: RouteLeaf;
  status: LeafStatus;
  reason: string;
  /** 1-based position in the plan, or null when the candidate is not in it. */
  position: number | null;
  circuit: CircuitState | null;
  /** The weight's share among the members of the rotation that lists it, as configured. */
  share: number;
  /** This request is the half-open probe of the candidate. */
  probe: boolean;
}

export interface RotationPick {
  rotation: string;
  strategy: 'weighted' | 'priority';
  /** The rotation's request number (weighted strategy). */
  sequence: number | null;
  /** Where that request number falls in [0, 1). */
  point: number | null;
  /** Members that could be chosen, with their weights. */
  options: Array<{ member: string; weight: number }>;
  chosen: string;
}

export type RotationPlanFailure =
  | { kind: 'all_cooling'; message: string; retryAfterSeconds: number }
  | { kind: 'none_eligible'; message: string };

export interface RotationPlanResult {
  /** First candidate, then failover candidates in order; empty when `failure` is set. */
  candidates: RouteLeaf[];
  verdicts: LeafVerdict[];
  picks: RotationPick[];
  failure: RotationPlanFailure | null;
}

/** Suggested wait when the only candidates left are being probed by other requests. */
const PROBE_RETRY_MS = 1_000;

type Usability = 'ready' | 'half_open' | 'probe_in_flight' | 'cooling' | 'filtered_capability' | 'filtered_privacy' | 'invalid';

export function memberLabel(member: RouteMember): string {
  return member.kind === 'leaf' ? `${member.providerId}/${member.model}` : `user-rotation/${member.name}`;
}

/** Weight descending, configuration order among equals. */
function byWeight(members: RouteMember[]): RouteMember[] {
  return members.map((member, index) => ({ member, index })).sort((a, b) => b.member.weight - a.member.weight || a.index - b.index).map((e) => e.member);
}

/**
 * Orders a rotation's candidates for one request: the first chosen by weight among the candidates
 * that can serve now (or the highest weight with `priority`), then every other healthy candidate,
 * heaviest first, for failover. Filtered, cooling and busy candidates are left out with a reason;
 * a candidate whose cooldown is over is tried again only as the first choice of a request, which
 * becomes its probe.
 */
export async function planRotation(root: RotationNode, inputs: RotationPlanInputs): Promise<RotationPlanResult> {
  const leaves = treeLeaves(root);
  const filterOf = new Map<RouteLeaf, { status: Usability; reason: string }>();
  for (const leaf of leaves) {
    const verdict = leafEligibility(leaf, inputs.needs, inputs.requirePrivate);
    if (!verdict.eligible) {
      const status = verdict.filter === 'invalid' ? 'invalid' : verdict.filter === 'privacy' ? 'filtered_privacy' : 'filtered_capability';
      filterOf.set(leaf, { status, reason: verdict.reason });
    }
  }
  const busy = new Set<string>();
  const claimed = new Set<string>();
  const keyOf = (leaf: RouteLeaf) => candidateKey(leaf.providerId, leaf.model);
  const usability = (leaf: RouteLeaf): Usability => {
    const filtered = filterOf.get(leaf);
    if (filtered) return filtered.status;
    const key = keyOf(leaf);
    const phase = circuitPhase(inputs.circuits.get(key), inputs.now);
    if (phase === 'closed' || claimed.has(key)) return 'ready';
    if (phase === 'open') return 'cooling';
    return busy.has(key) ? 'probe_in_flight' : 'half_open';
  };
  const available = (member: RouteMember): boolean => {
    if (member.kind === 'rotation') return member.members.some(available);
    const state = usability(member);
    return state === 'ready' || state === 'half_open';
  };

  const sequences = new Map<string, number>();
  const picks = new Map<string, RotationPick>();
  const first = async (node: RotationNode): Promise<RouteLeaf | null> => {
    for (;;) {
      const options = node.members.filter(available);
      if (options.length === 0) return null;
      const weights = options.map((member) => member.weight);
      let index: number;
      let sequence: number | null = null;
      let point: number | null = null;
      if (node.strategy === 'priority' || options.length === 1) {
        index = node.strategy === 'priority' ? pickHighestWeight(weights) : 0;
      } else {
        if (!sequences.has(node.name)) sequences.set(node.name, await inputs.sequence(node.name));
        sequence = sequences.get(node.name)!;
        point = sequencePoint(sequence);
        index = pickByWeight(weights, point);
      }
      const member = options[index];
      picks.set(node.name, {
        rotation: node.name,
        strategy: node.strategy,
        sequence,
        point,
        options: options.map((option) => ({ member: memberLabel(option), weight: option.weight })),
        chosen: memberLabel(member),
      });
      if (member.kind === 'rotation') {
        const leaf = await first(member);
        if (leaf) return leaf;
        continue; // every usable candidate below was being probed by other requests
      }
      if (usability(member) === 'half_open') {
        if (!(await inputs.claimProbe(member))) {
          busy.add(keyOf(member));
          continue;
        }
        claimed.add(keyOf(member));
      }
      return member;
    }
  };
  const failover = (node: RotationNode): RouteLeaf[] =>
    byWeight(node.members).flatMap((member) =>
      member.kind === 'rotation' ? failover(member) : usability(member) === 'ready' && !claimed.has(keyOf(member)) ? [member] : [],
    );

  const chosen = await first(root);
  const candidates: RouteLeaf[] = [];
  const positions = new Map<string, number>();
  if (chosen) {
    for (const leaf of [chosen, ...failover(root)]) {
      const key = keyOf(leaf);
      if (positions.has(key)) continue;
      positions.set(key, candidates.length + 1);
      candidates.push(leaf);
    }
  }

  const shares = new Map<RouteMember, number>();
  const collectShares = (node: RotationNode) => {
    const split = weightShares(node.members.map((member) => member.weight));
    node.members.forEach((member, index) => {
      shares.set(member, split[index]);
      if (member.kind === 'rotation') collectShares(member);
    });
  };
  collectShares(root);

  const verdicts = leaves.map((leaf): LeafVerdict => {
    const key = keyOf(leaf);
    const circuit = inputs.circuits.get(key) ?? null;
    const position = positions.get(key) ?? null;
    const probe = claimed.has(key);
    const base = { leaf, circuit, position, share: shares.get(leaf) ?? 0, probe };
    if (position !== null) {
      const pick = picks.get(leaf.path[leaf.path.length - 1]);
      const why =
        position === 1
          ? probe
            ? 'cooldown over: this request is its half-open probe'
            : pick?.strategy === 'priority'
              ? 'highest weight (priority strategy)'
              : pick?.sequence !== null && pick?.sequence !== undefined
                ? `chosen by weight (request #${pick.sequence} of user-rotation/${pick.rotation})`
                : 'the only candidate that can serve now'
          : `failover #${position - 1}: healthy, weight ${leaf.weight}`;
      return { ...base, status: position === 1 ? 'selected' : 'failover', reason: why };
    }
    const state = usability(leaf);
    switch (state) {
      case 'invalid':
      case 'filtered_capability':
      case 'filtered_privacy':
        return { ...base, status: state, reason: filterOf.get(leaf)!.reason };
      case 'cooling':
        return {
          ...base,
          status: 'cooling',
          reason: `cooling down until ${new Date(circuit!.openUntil).toISOString()} after ${describeFailure(circuit!)}${circuit!.level > 1 ? ` (failed ${circuit!.level} times in a row)` : ''}`,
        };
      case 'probe_in_flight':
        return { ...base, status: 'probe_in_flight', reason: 'cooldown over; another request is probing it' };
      default:
        return {
          ...base,
          status: 'half_open',
          reason: 'cooldown over; it is tried again when a request picks it first (its probe), not for failover',
        };
    }
  });

  let failure: RotationPlanFailure | null = null;
  if (!chosen) {
    const waiting = verdicts.filter((v) => v.status === 'cooling' || v.status === 'probe_in_flight');
    if (waiting.length > 0) {
      // A probe in flight may close its circuit any moment: worth asking again shortly.
      const soonest = Math.min(...waiting.map((v) => (v.status === 'cooling' ? v.circuit!.openUntil - inputs.now : PROBE_RETRY_MS)));
      failure = {
        kind: 'all_cooling',
        retryAfterSeconds: Math.max(1, Math.ceil(soonest / 1000)),
        message: `every candidate of user-rotation/${root.name} is cooling down after errors; the first one is back in ${Math.max(1, Math.ceil(soonest / 1000))} s`,
      };
    } else {
      const reasons = verdicts.slice(0, 10).map((v) => `${memberLabel(v.leaf)}: ${v.reason}`);
      if (verdicts.length > 10) reasons.push(`and ${verdicts.length - 10} more`);
      failure = { kind: 'none_eligible', message: `no candidate of user-rotation/${root.name} can serve this request (${reasons.join('; ')})` };
    }
  }
  return { candidates, verdicts, picks: [...picks.values()], failure };
}

function describeFailure(circuit: CircuitState): string {
  return circuit.code ? `HTTP ${circuit.status} (${circuit.code})` : `HTTP ${circuit.status}`;
}
