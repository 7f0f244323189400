import type { UserRouteConfig } from '../config/user-route-config';

export interface RouteCatalogEntry {
  id: string;
  kind: 'provider' | 'rotation' | 'autoselect';
  description: string | null;
  privacy: boolean;
  capabilities: string[];
}

/** Exactly the model ids chat accepts for this user, in a stable order. */
export function routeCatalog(config: UserRouteConfig): RouteCatalogEntry[] {
  const entries: RouteCatalogEntry[] = [];
  for (const provider of config.providers.values()) {
    for (const model of provider.models.values()) {
      entries.push({
        id: `user-provider/${provider.id}/${model.name}`,
        kind: 'provider',
        description: model.description ?? provider.description,
        privacy: provider.private,
        capabilities: model.capabilities,
      });
    }
  }
  for (const [name, rotation] of config.rotations) {
    entries.push({
      id: `user-rotation/${name}`,
      kind: 'rotation',
      description: rotation.description ?? null,
      privacy: rotation.privacy,
      capabilities: rotation.capabilities ?? [],
    });
  }
  for (const [name, policy] of config.autoselects) {
    entries.push({
      id: `user-autoselect/${name}`,
      kind: 'autoselect',
      description: policy.description ?? null,
      privacy: false,
      capabilities: [],
    });
  }
  return entries;
}
