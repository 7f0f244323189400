import type { UserRouteConfig } from '../config/user-route-config';

/** A parsed route id (the same shape as the model-id grammar of the contracts, which this lib does not import). */
export type RouteTarget =
  | { kind: 'provider'; providerId: string; model: string }
  | { kind: 'rotation'; name: string }
  | { kind: 'autoselect'; name: string };

export type RouteIdParser = (id: string) => RouteTarget | null;

export interface RoutePrivacy {
  /** The route exists for this user. */
  known: boolean;
  /** The route itself is declared private: a private provider or a rotation with `"privacy": true`. */
  private: boolean;
}

/** Whether a route id names something of this user, and whether that route keeps data private. */
export function routePrivacy(config: UserRouteConfig, target: RouteTarget | null): RoutePrivacy {
  if (!target) return { known: false, private: false };
  switch (target.kind) {
    case 'provider': {
      const provider = config.providers.get(target.providerId);
      return { known: Boolean(provider?.models.has(target.model)), private: provider?.private ?? false };
    }
    case 'rotation': {
      const rotation = config.rotations.get(target.name);
      return { known: Boolean(rotation), private: rotation?.privacy ?? false };
    }
    case 'autoselect':
      // A policy never chooses another policy: nesting them would hide who decided.
      return { known: false, private: false };
  }
}
