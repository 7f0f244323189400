import type { AutoselectConfig } from '../config/autoselect.schema';
import type { UserRouteConfig } from '../config/user-route-config';
import { RouteIdParser, routePrivacy } from './route-target';

export type PrivacySource = 'entry' | 'rotation' | 'provider';

/** One model an autoselect policy may choose, with what the user's configuration says about it. */
export interface AutoselectEntry {
  modelId: string;
  description: string;
  /** Private data may go there: a private entry, a private rotation or a private provider. */
  private: boolean;
  privacySource: PrivacySource | null;
  priority?: number;
  capabilities: string[];
  /** The id names a provider model or rotation of this user. */
  known: boolean;
}

function privacyOf(config: UserRouteConfig, parse: RouteIdParser, modelId: string, entryPrivate: boolean) {
  const target = parse(modelId);
  const route = routePrivacy(config, target);
  let source: PrivacySource | null = null;
  if (entryPrivate) source = 'entry';
  else if (route.private) source = target?.kind === 'rotation' ? 'rotation' : 'provider';
  return { known: route.known, private: source !== null, source };
}

/** The policy's `available_models`, each with its privacy and whether it exists. */
export function autoselectEntries(config: UserRouteConfig, policy: AutoselectConfig, parse: RouteIdParser): AutoselectEntry[] {
  return policy.available_models.map((model) => {
    const privacy = privacyOf(config, parse, model.model_id, model.privacy);
    return {
      modelId: model.model_id,
      description: model.description,
      private: privacy.private,
      privacySource: privacy.source,
      priority: model.priority,
      capabilities: model.capabilities ?? [],
      known: privacy.known,
    };
  });
}

/** The policy's `fallback`: private when its entry says so, or when the route itself is private. */
export function fallbackEntry(config: UserRouteConfig, policy: AutoselectConfig, parse: RouteIdParser): AutoselectEntry {
  const listed = policy.available_models.find((m) => m.model_id === policy.fallback);
  const privacy = privacyOf(config, parse, policy.fallback, listed?.privacy ?? false);
  return {
    modelId: policy.fallback,
    description: listed?.description ?? '',
    private: privacy.private,
    privacySource: privacy.source,
    priority: listed?.priority,
    capabilities: listed?.capabilities ?? [],
    known: privacy.known,
  };
}

/**
 * The route id of `selection_model`: `local` needs none; a full route id is taken as is; a bare
 * name is a rotation of that name, else a provider of that name (its first model).
 */
export function selectorRouteId(config: UserRouteConfig, selectionModel: string, parse: RouteIdParser): string | null {
  if (selectionModel === 'local') return null;
  if (parse(selectionModel)) return selectionModel;
  if (config.rotations.has(selectionModel)) return `user-rotation/${selectionModel}`;
  const provider = config.providers.get(selectionModel);
  const first = provider?.models.keys().next();
  if (provider && first && !first.done) return `user-provider/${provider.id}/${first.value}`;
  return selectionModel;
}
