import type { CompiledModel, CompiledProvider, UserRouteConfig } from '../config/user-route-config';

export type ProviderTargetResult =
  | { ok: true; provider: CompiledProvider; model: CompiledModel }
  | { ok: false; reason: 'unknown_provider' | 'unknown_model'; message: string };

/** `user-provider/{providerId}/{model}`: the provider must exist and list that model. */
export function findProviderTarget(config: UserRouteConfig, providerId: string, model: string): ProviderTargetResult {
  const provider = config.providers.get(providerId);
  if (!provider) return { ok: false, reason: 'unknown_provider', message: `provider '${providerId}' does not exist` };
  const compiled = provider.models.get(model);
  if (!compiled) {
    return { ok: false, reason: 'unknown_model', message: `provider '${providerId}' has no model '${model}'` };
  }
  return { ok: true, provider, model: compiled };
}
