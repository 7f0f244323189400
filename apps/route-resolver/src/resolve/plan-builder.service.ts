import { Inject, Injectable } from '@nestjs/common';
import { AisbfError, Candidate, parseModelId, RoutePlan, RouteResolveRequest } from '@aisbf/contracts';
import { CompiledProvider, findProviderTarget, UserRouteConfig } from '@aisbf/routing';
import { CONFIG_STORE, ConfigStore } from '@aisbf/persistence';

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

export interface PlanBuildOptions {
  /** Only routes that keep data private (a private provider, a rotation with `"privacy": true`) may be planned. */
  requirePrivate?: boolean;
}

/** Turns a requested model id into an ordered candidate plan with its reasons. */
@Injectable()
export class PlanBuilderService {
  constructor(@Inject(CONFIG_STORE) private readonly store: ConfigStore) {}

  async userConfig(username: string): Promise<UserRouteConfig> {
    const config = await this.store.loadRouteConfig(username);
    if (!config) throw new AisbfError('permission_denied', `user '${username}' is unknown or disabled`);
    return config;
  }

  async build(request: RouteResolveRequest, options: PlanBuildOptions = {}): Promise<RoutePlan> {
    const config = await this.userConfig(request.username);
    const id = parseModelId(request.model);
    if (!id) {
      throw new AisbfError(
        'model_not_found',
        `model '${request.model}' is not an AISBF route id; use user-provider/{provider}/{model}, user-rotation/{name} or user-autoselect/{name} (GET /v1/models lists yours)`,
        { param: 'model' },
      );
    }
    if (id.kind !== 'provider') {
      const table = id.kind === 'rotation' ? config.rotations : config.autoselects;
      const known = table.has(id.name);
      throw new AisbfError(
        'model_not_found',
        known
          ? `${id.kind} routes cannot be served by this AISBF version yet`
          : `${id.kind} '${id.name}' does not exist`,
        { param: 'model' },
      );
    }
    const target = findProviderTarget(config, id.providerId, id.model);
    if (!target.ok) throw new AisbfError('model_not_found', `model '${request.model}' not found: ${target.message}`, { param: 'model' });
    if (options.requirePrivate && !target.provider.private) {
      throw new AisbfError('no_private_route', `provider '${target.provider.id}' is not declared private and this request is private`, {
        param: 'model',
      });
    }
    return {
      routeId: request.model,
      routeKind: 'provider',
      candidates: [candidateFor(config, target.provider, id.model)],
      explanation: [`direct provider route: ${target.provider.id} (${target.provider.type}) model ${id.model}`],
    };
  }
}
