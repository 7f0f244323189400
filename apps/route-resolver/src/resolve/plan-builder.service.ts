import { Inject, Injectable } from '@nestjs/common';
import { AisbfError, Candidate, parseModelId, RequestHints, RouteExplanation, RoutePlan, RouteResolveRequest } from '@aisbf/contracts';
import {
  candidateKey,
  CircuitState,
  CompiledProvider,
  CooldownPolicy,
  describeRotationPlan,
  expandRotation,
  findProviderTarget,
  planRotation,
  PROBE_CLAIM_MS,
  RotationNode,
  RotationPlanResult,
  RouteExpansionError,
  RouteLeaf,
  treeLeaves,
  UserRouteConfig,
} from '@aisbf/routing';
import { CONFIG_FRESH_MS, CONFIG_STORE, ConfigStore } from '@aisbf/persistence';
import { COOLDOWN_POLICY, ROUTE_STATE_STORE, RouteStateStore } from '../route-state/route-state-store';
import { buildRouteExplanation } from './route-explanation.builder';

export function candidateFor(config: UserRouteConfig, provider: CompiledProvider, model: string): Candidate {
  return {
    providerId: provider.id,
    providerType: provider.type,
    model,
    endpoint: provider.endpoint,
    pool: provider.pool,
    sealedKey: provider.sealedKey,
    timeouts: provider.timeouts,
    allowPrivateEndpoint: config.trustedEndpoints,
  };
}

export interface PlanOptions {
  /** A policy classified the request as private: only candidates of providers declared `private` remain. */
  requirePrivate?: boolean;
  /** Read the shared state without taking a request number or a probe claim (route explanations). */
  dryRun?: boolean;
}

export interface RotationPlanning {
  tree: RotationNode;
  result: RotationPlanResult;
  /** The plan's candidates, first choice first, ready for a connector. */
  candidates: Candidate[];
  circuits: Map<string, CircuitState>;
}

/** A plan as computed, before it becomes a bus reply or an explanation. */
export interface Planning {
  routeKind: 'provider' | 'rotation';
  candidates: Candidate[];
  explanation: string[];
  /** What the call answers instead of a plan. */
  failure: AisbfError | null;
  rotation: RotationPlanning | null;
  direct: { provider: CompiledProvider; model: string; circuit: CircuitState | null } | null;
}

function expansionFailure(error: RouteExpansionError, requested: string): AisbfError {
  if (error.reason === 'unknown_rotation') return new AisbfError('model_not_found', `model '${requested}' not found: ${error.message}`, { param: 'model' });
  return new AisbfError('unprocessable_config', `route '${requested}' is misconfigured: ${error.message}`, { param: 'model' });
}

/** Turns a requested model id into an ordered candidate plan with its reasons. */
@Injectable()
export class PlanBuilderService {
  constructor(
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
    @Inject(ROUTE_STATE_STORE) private readonly state: RouteStateStore,
    @Inject(COOLDOWN_POLICY) private readonly policy: CooldownPolicy,
  ) {}

  async userConfig(username: string): Promise<UserRouteConfig> {
    const config = await this.store.loadRouteConfig(username);
    if (!config) throw new AisbfError('permission_denied', `user '${username}' is unknown or disabled`);
    return config;
  }

  /** The entry point for any model id: the ordered candidates, or the error the client gets. */
  async build(request: RouteResolveRequest, options: PlanOptions = {}): Promise<RoutePlan> {
    const planning = await this.plan(await this.userConfig(request.username), request, { ...options, dryRun: false });
    if (planning.failure) throw planning.failure;
    return {
      routeId: request.model,
      routeKind: planning.routeKind,
      candidates: planning.candidates.slice(0, request.maxCandidates),
      explanation: planning.explanation,
      // A direct route reads no shared state (cooldowns do not block it), only the configuration:
      // reusable as long as this resolver reuses that configuration, and dropped with it on a change.
      ...(planning.routeKind === 'provider' && !request.requirePrivate ? { reusableMs: CONFIG_FRESH_MS } : {}),
    };
  }

  /** What `build` would answer now, and why, without taking anything from the shared state. */
  async explain(request: RouteResolveRequest, options: PlanOptions = {}): Promise<RouteExplanation> {
    const requirePrivate = options.requirePrivate ?? request.requirePrivate ?? false;
    const planning = await this.plan(await this.userConfig(request.username), request, { requirePrivate, dryRun: true });
    const now = Date.now();
    const shown = planning.rotation ? treeLeaves(planning.rotation.tree) : [{ providerId: planning.direct!.provider.id, model: planning.direct!.model }];
    const stats = await this.state.readStats(request.username, shown, now);
    return buildRouteExplanation({ request, requirePrivate, planning, stats, stateStore: this.state.describe(), policy: this.policy, now });
  }

  async plan(config: UserRouteConfig, request: RouteResolveRequest, options: PlanOptions): Promise<Planning> {
    const requirePrivate = options.requirePrivate ?? request.requirePrivate ?? false;
    const id = parseModelId(request.model);
    if (!id) {
      throw new AisbfError(
        'model_not_found',
        `model '${request.model}' is not an AISBF route id; use user-provider/{provider}/{model}, user-rotation/{name} or user-autoselect/{name} (GET /v1/models lists yours)`,
        { param: 'model' },
      );
    }
    if (id.kind === 'autoselect') {
      throw new AisbfError(
        'model_not_found',
        config.autoselects.has(id.name) ? 'autoselect routes cannot be served by this AISBF version yet' : `autoselect '${id.name}' does not exist`,
        { param: 'model' },
      );
    }
    if (id.kind === 'rotation') {
      if (!config.rotations.has(id.name)) throw new AisbfError('model_not_found', `rotation '${id.name}' does not exist`, { param: 'model' });
      const rotation = await this.planRotation(config, id.name, request.hints, { requirePrivate, dryRun: options.dryRun });
      const failure = rotation.result.failure;
      return {
        routeKind: 'rotation',
        candidates: rotation.candidates,
        explanation: describeRotationPlan(rotation.result),
        failure: !failure
          ? null
          : failure.kind === 'all_cooling'
            ? new AisbfError('all_candidates_cooling', failure.message, { retryAfterSeconds: failure.retryAfterSeconds, retryable: true })
            : new AisbfError('no_eligible_candidate', failure.message, { param: 'model' }),
        rotation,
        direct: null,
      };
    }
    const target = findProviderTarget(config, id.providerId, id.model);
    if (!target.ok) throw new AisbfError('model_not_found', `model '${request.model}' not found: ${target.message}`, { param: 'model' });
    // A direct route is the wire the client chose: cooldowns inform, they do not block it.
    const circuit = options.dryRun ? ((await this.state.readCircuits(config.username, [{ providerId: target.provider.id, model: id.model }])).get(candidateKey(target.provider.id, id.model)) ?? null) : null;
    const privateViolation = requirePrivate && !target.provider.private;
    return {
      routeKind: 'provider',
      candidates: privateViolation ? [] : [candidateFor(config, target.provider, id.model)],
      explanation: [`direct provider route: ${target.provider.id} (${target.provider.type}) model ${id.model}`],
      failure: privateViolation
        ? new AisbfError('no_eligible_candidate', `provider '${target.provider.id}' is not declared private and this request must stay private`, { param: 'model' })
        : null,
      rotation: null,
      direct: { provider: target.provider, model: id.model, circuit },
    };
  }

  /**
   * Expands and orders rotation `name` of this user for one request: capability and privacy
   * filters, cooldowns shared by every replica, the weighted first choice, failover after it.
   */
  async planRotation(config: UserRouteConfig, name: string, needs: RequestHints, options: PlanOptions = {}): Promise<RotationPlanning> {
    let tree: RotationNode;
    try {
      tree = expandRotation(config, name, { parseReference: parseModelId });
    } catch (error) {
      if (error instanceof RouteExpansionError) throw expansionFailure(error, `user-rotation/${name}`);
      throw error;
    }
    const username = config.username;
    const ref = (leaf: RouteLeaf) => ({ username, providerId: leaf.providerId, model: leaf.model });
    const circuits = await this.state.readCircuits(username, treeLeaves(tree));
    const result = await planRotation(tree, {
      now: Date.now(),
      needs,
      requirePrivate: options.requirePrivate ?? false,
      circuits,
      sequence: (rotation) => (options.dryRun ? this.state.peekSequence(username, rotation) : this.state.nextSequence(username, rotation)),
      claimProbe: async (leaf) =>
        options.dryRun ? !(await this.state.probeHeld(ref(leaf))) : this.state.claimProbe(ref(leaf), PROBE_CLAIM_MS),
    });
    const candidates = result.candidates.map((leaf) => ({
      ...candidateFor(config, leaf.provider!, leaf.model),
      weight: leaf.weight,
      ...(leaf.errorCooldownSeconds !== undefined ? { errorCooldownSeconds: leaf.errorCooldownSeconds } : {}),
    }));
    return { tree, result, candidates, circuits };
  }
}
